import type { ErrorCode } from "../values/error-codes.js";
import { VesperError } from "../values/errors.js";

// Failures the runtimes raise besides expression errors (EvalError, R1xx). Codes:
//   R200 the flow ended without returning      R205 unknown tool
//   R201 capability denied (security)          R206 a tool result does not fit `returns`
//   R202 a tool call failed                    R207 replay mismatch
//   R203 a tool call timed out                 R208 the node ran past performance.timeout_ms
//   R204 illegal state transition              R209 an output does not fit its declared type
//   R210 safety boundary: a fork would call a live tool again without --live / --allow-irreversible
// Security, replay, safety-boundary and node-timeout faults end the run; error_handling cannot catch them.

export class RuntimeFault extends VesperError {
  override name = "RuntimeFault";
  constructor(
    code: ErrorCode,
    message: string,
    readonly recoverable = true,
  ) {
    super(code, message);
  }
}
