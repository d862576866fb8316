import type { ErrorCode } from "../../values/error-codes.js";
import { VesperError } from "../../values/errors.js";
// A problem with something typed at the debugger (a breakpoint, an expression, a
// command). At the prompt it is printed and the session goes on; in a flag it is a
// usage error. The message is a whole sentence a user can act on.
export class DebugError extends VesperError {
  override name = "DebugError";
  constructor(message: string, code: ErrorCode = "U200") {
    super(code, message);
  }
}
