import type { Span } from "./ast.js";
import type { ErrorCode } from "../values/error-codes.js";
import { VesperError } from "../values/errors.js";

// A failure while evaluating an expression (R1xx), at the span of the expression
// that failed, so both runtimes can report the same code at the same column.

export class EvalError extends VesperError {
  override name = "EvalError";
  constructor(
    code: ErrorCode,
    message: string,
    readonly span: Span,
  ) {
    super(code, message);
  }
}

/**
 * The failure of an operation that got the values `got` where it needed something else:
 * R103 when one of them is null (null where a value is needed: an optional input or
 * field left out), R102 for a value of the wrong kind (docs/vesper-ir.md 9.8, "Run-time
 * error codes"). Both runtimes fail through this one rule, so a null never reads as a
 * wrong kind on one runtime and as a missing value on the other.
 */
export function wrongKind(message: string, span: Span, ...got: unknown[]): EvalError {
  return new EvalError(got.includes(null) ? "R103" : "R102", message, span);
}
