import { DebugError } from "./debug-error.js";
import { caret } from "../scope.js";
import { checkExpression } from "../../expr/check.js";
import { EvalError, evaluate } from "../../expr/evaluate.js";
import { parseExpression } from "../../expr/parse.js";
import type { Expr } from "../../expr/ast.js";
import type { Step } from "../../ir/ast.js";
import { didYouMean } from "../../values/suggest.js";
import { T, typeToString, type VType } from "../../values/types.js";
import { INPUTS_RECORD, SUCCESS_RECORD } from "../../ir/validate.js";
import { children } from "../../expr/depth.js";
import type { PreparedNode } from "../../runtime/prepared.js";
import type { Value } from "../../values/values.js";
import type { SideView } from "./side-view.js";

// Expressions typed at the debugger (`print`, expression breakpoints) in the IR's
// own language: parsed, then type-checked against every name the node can bind,
// so a typo is an error when it is typed, not a silent "never true" later.
// Evaluation reads a SideView and never touches the run's context: now() and
// random() would consume the run's clock and random stream, so they are refused.

export interface DebugExpr {
  text: string;
  expr: Expr;
  type: VType;
}

/** Every name an expression may use anywhere in the node, with its declared or inferred type. */
export function nodeScope(p: PreparedNode): Map<string, VType> {
  const scope = new Map<string, VType>();
  for (const f of p.node.inputs) scope.set(f.name, f.type);
  scope.set("input", { kind: "record", name: INPUTS_RECORD });
  if (p.node.states) scope.set("state", { kind: "enum", values: p.node.states.states.map((s) => s.value) });
  if (p.node.outputs.success.length > 0) scope.set("output", { kind: "record", name: SUCCESS_RECORD });
  const visit = (steps: Step[]) => {
    for (const s of steps) {
      const assigned = s.op === "compute" || s.op === "tensor" ? s.assignments : [];
      for (const a of [...assigned, ...(s.errorHandling?.fallback ?? [])]) {
        if (!scope.has(a.name)) scope.set(a.name, (a.value.expr && p.exprTypes.get(a.value.expr)) || T.any);
      }
      if (s.op === "call" && s.bind && !scope.has(s.bind.value)) {
        const record = `result of ${s.name}`;
        scope.set(s.bind.value, p.types.has(record) ? { kind: "record", name: record } : T.any);
      }
      if (s.op === "branch") {
        visit(s.then);
        visit(s.else);
      }
    }
  };
  visit(p.node.flow);
  return scope;
}

/** Parses and checks an expression; a DebugError with a caret under the fault when it is wrong. */
export function compileExpression(p: PreparedNode, text: string, scope = nodeScope(p), expect?: "boolean"): DebugExpr {
  if (text.trim() === "")
    throw new DebugError("an expression is needed, e.g. print fee or break 'amount > 100'", "U201");
  const parsed = parseExpression(text);
  if (!parsed.ok)
    throw new DebugError(`cannot parse '${text}': ${parsed.problem.message}\n${caret(text, parsed.problem)}`, "U201");
  const context = contextCall(parsed.expr);
  if (context) {
    throw new DebugError(
      `${context.callee}() cannot be used in the debugger: it would take a value from the run's own clock or random stream\n${caret(text, context)}`,
      "U201",
    );
  }
  const checked = checkExpression(parsed.expr, { types: p.types, scope });
  const problem = checked.problems[0];
  if (problem) {
    const name = /'([A-Za-z_][A-Za-z0-9_]*)'/.exec(problem.message)?.[1];
    const hint =
      name && !scope.has(name) && !problem.message.includes("did you mean") ? didYouMean(name, scope.keys()) : "";
    throw new DebugError(`in '${text}': ${problem.message}${hint}\n${caret(text, problem)}`, "U201");
  }
  if (expect === "boolean" && checked.type.kind !== "boolean" && checked.type.kind !== "any") {
    throw new DebugError(
      `'${text}' is ${typeToString(checked.type)}, but a breakpoint condition must be true or false`,
      "U201",
    );
  }
  return { text, expr: parsed.expr, type: checked.type };
}

/** The first now() or random() call in an expression, if any. */
function contextCall(e: Expr): Extract<Expr, { kind: "call" }> | undefined {
  if (e.kind === "call" && (e.callee === "now" || e.callee === "random")) return e;
  for (const c of children(e)) {
    const found = contextCall(c);
    if (found) return found;
  }
  return undefined;
}

export type Evaluated = { ok: true; value: Value } | { ok: false; message: string };

export function evaluateOn(e: DebugExpr, side: SideView): Evaluated {
  const refuse = (what: string) => () => {
    throw new DebugError(`${what} is not available in the debugger: it would take a value from the run's own context`);
  };
  try {
    return {
      ok: true,
      value: evaluate(e.expr, { lookup: side.lookup, now: refuse("now()"), random: refuse("random()") }),
    };
  } catch (err) {
    if (err instanceof EvalError || err instanceof DebugError) return { ok: false, message: err.message };
    throw err;
  }
}
