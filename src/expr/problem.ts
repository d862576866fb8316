import type { Span } from "./ast.js";

/** A problem found inside one expression string, positioned by offsets in that string. */
export interface ExprProblem {
  code: string;
  message: string;
  span: Span;
}
