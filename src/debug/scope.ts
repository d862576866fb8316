import { evaluate } from "../expr/evaluate.js";
import type { Span } from "../expr/ast.js";
import { parseExpression } from "../expr/parse.js";
import type { StepEvent } from "../runtime/protocol.js";
import type { Value } from "../values/values.js";
import type { ErrorCode } from "../values/error-codes.js";
import { VesperError } from "../values/errors.js";

// What a debugger shows at a step: the inputs, every binding made so far, the state
// machine's state; and `print EXPR` evaluated over them in the IR's own language.

export interface StepScope {
  inputs: ReadonlyMap<string, Value>;
  bindings: Map<string, Value>;
  state: string | undefined;
}

/** The scope after `events` (in order) have run. */
export function scopeAfter(
  inputs: ReadonlyMap<string, Value>,
  initialState: string | undefined,
  events: readonly StepEvent[],
): StepScope {
  const bindings = new Map<string, Value>();
  let state = initialState;
  for (const ev of events) {
    for (const [k, v] of ev.changed) bindings.set(k, v);
    if (ev.transition) state = ev.transition.to;
  }
  return { inputs, bindings, state };
}

export class ExpressionError extends VesperError {
  override name = "ExpressionError";
  constructor(message: string, code: ErrorCode = "U201") {
    super(code, message);
  }
}

/** The expression, and a caret line under the span of a problem in it (shared by replay and the debugger). */
export function caret(text: string, problem: { span: Span }): string {
  const start = Math.min(problem.span.start, text.length);
  const width = Math.max(1, Math.min(problem.span.end, text.length) - start);
  return `  ${text}\n  ${" ".repeat(start)}${"^".repeat(width)}`;
}

/** Evaluates an expression over a scope; a parse or evaluation error says where in the expression. */
export function evaluateIn(scope: StepScope, text: string): Value {
  const parsed = parseExpression(text);
  if (!parsed.ok) {
    const { problem } = parsed;
    throw new ExpressionError(`${problem.message} at column ${problem.span.start + 1}\n${caret(text, problem)}`);
  }
  try {
    return evaluate(parsed.expr, {
      lookup: (name) =>
        scope.bindings.get(name) ?? scope.inputs.get(name) ?? (name === "state" ? (scope.state ?? null) : undefined),
    });
  } catch (err) {
    const span = (err as { span?: { start: number } }).span;
    const at = span ? ` at column ${span.start + 1}` : "";
    throw new ExpressionError(`${(err as Error).message}${at}`);
  }
}
