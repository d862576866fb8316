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
