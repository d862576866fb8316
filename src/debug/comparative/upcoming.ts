import type { SideView } from "./side-view.js";
import { EvalError, evaluate } from "../../expr/evaluate.js";
import type { SourceExpr, Step } from "../../ir/ast.js";
import { toJson, type Json } from "../../values/json.js";
import { formatValue, type Value } from "../../values/values.js";

// What a run is about to do, worked out on one side's view before the step runs:
// the call it will make with the arguments as that runtime computed them, the
// transition, the branch arm, the bindings it will set. Evaluating here never
// touches the run's context (a guard or argument that needs now() says so).

export interface Upcoming {
  step: string;
  op: string;
  /** file:line */
  location: string;
  /** One line: "call sim.payments.charge", "state pending -> processing", "sets fee, to_charge". */
  summary: string;
  /** For a call: each argument and its value on this side. */
  args?: { name: string; value: Value | undefined; error?: string }[];
  /** A guard that is false: the step will be skipped. */
  skipped?: boolean;
}

export function upcomingOf(step: Step | "enter" | undefined, view: SideView, file: string): Upcoming | undefined {
  if (step === undefined) return undefined;
  if (step === "enter")
    return { step: "enter", op: "enter", location: `${file}`, summary: "check the inputs and preconditions" };
  const u: Upcoming = { step: step.name, op: step.op, location: `${step.loc.file}:${step.loc.line}`, summary: "" };
  if (step.guards.some((g) => peek(g, view).value === false)) u.skipped = true;
  switch (step.op) {
    case "call":
      u.summary = `call ${step.tool.value}`;
      u.args = step.args.map((a) => {
        const r = peek(a.value, view);
        return { name: a.name, value: r.value, ...(r.error ? { error: r.error } : {}) };
      });
      break;
    case "transition":
      u.summary = `state ${view.state ?? "?"} -> ${step.to.value}`;
      break;
    case "compute":
    case "tensor":
      u.summary = `set ${step.assignments.map((a) => a.name).join(", ")}`;
      break;
    case "validate":
      u.summary = `check ${step.check.text}`;
      break;
    case "branch": {
      const r = peek(step.condition, view);
      u.summary = `if ${step.condition.text}${r.value === true ? " (true: then)" : r.value === false ? " (false: else)" : ""}`;
      break;
    }
    case "return":
      u.summary = `return ${step.output.value}`;
      break;
  }
  return u;
}

function peek(src: SourceExpr, view: SideView): { value?: Value; error?: string } {
  if (!src.expr) return { error: "does not parse" };
  const refuse = (what: string) => () => {
    throw new EvalError("R100", `needs ${what}, known only when the step runs`, src.expr!.span);
  };
  try {
    return { value: evaluate(src.expr, { lookup: view.lookup, now: refuse("now()"), random: refuse("random()") }) };
  } catch (err) {
    if (err instanceof EvalError) return { error: err.message };
    throw err;
  }
}

export function upcomingJson(u: Upcoming | undefined): Json {
  if (!u) return null;
  return {
    step: u.step,
    op: u.op,
    location: u.location,
    summary: u.summary,
    ...(u.args
      ? {
          args: Object.fromEntries(u.args.map((a) => [a.name, a.error ? { error: a.error } : toJson(a.value ?? null)])),
        }
      : {}),
    ...(u.skipped ? { skipped: true } : {}),
  };
}

export function formatArgs(u: Upcoming): string[] {
  return (u.args ?? []).map((a) => `${a.name}: ${a.error ? `(${a.error})` : formatValue(a.value ?? null)}`);
}
