import { ConformError, conform, fromPlain } from "../values/conform.js";
import { RuntimeFault } from "./faults.js";
import type { PreparedNode } from "./prepared.js";
import { pointOf, type ContractKind, type Effect, type Failure, type RunResult } from "./protocol.js";
import { VRecord, type Value } from "../values/values.js";
import { EvalError } from "../expr/evaluate.js";
import type { Contract, ErrorSpec, SourceExpr, Step } from "../ir/ast.js";
import type { Loc } from "../ir/diagnostics.js";
import { ERROR_RECORD, SUCCESS_RECORD } from "../ir/validate.js";

// How a step's outcome becomes protocol data, the same way for both runtimes:
// failures with codes and file positions, the declared outputs, contract results.

export const CONTRACT_CODES: Record<ContractKind, string> = {
  precondition: "C001",
  postcondition: "C002",
  invariant: "C003",
  "input constraint": "C004",
};

/** Turns anything a step threw into a Failure; `src` locates expression errors precisely. */
export function failureOf(err: unknown, step: Step, src?: SourceExpr): Failure {
  if (err instanceof EvalError) {
    const loc: Loc = src ? src.locOf(err.span.start) : step.loc;
    return { code: err.code, message: err.message, location: pointOf(loc), step: step.name };
  }
  if (err instanceof RuntimeFault)
    return { code: err.code, message: err.message, location: pointOf(step.loc), step: step.name };
  if (err instanceof ConformError)
    return { code: "R209", message: err.message, location: pointOf(step.loc), step: step.name };
  throw err;
}

/** Whether error_handling may catch this failure (security, replay and node time-outs end the run). */
export function isRecoverable(err: unknown): boolean {
  return !(err instanceof RuntimeFault) || err.recoverable;
}

export function callFailure(effect: Effect): RuntimeFault {
  const code = effect.error?.code === "TIMEOUT" ? "R203" : "R202";
  const tries = effect.attempts === 1 ? "1 attempt" : `${effect.attempts} attempts`;
  return new RuntimeFault(code, `${effect.tool} failed after ${tries}: ${effect.error?.message ?? "unknown error"}`);
}

export function contractFailure(
  kind: ContractKind,
  contract: { name: string; source: SourceExpr },
  step?: string,
): Failure {
  const named = contract.name === contract.source.text ? `${kind} failed` : `${kind} '${contract.name}' failed`;
  const where = step ? ` after step '${step}'` : "";
  return {
    code: CONTRACT_CODES[kind],
    message: `${named}${where}: ${contract.source.text}`,
    location: pointOf(contract.source.locOf(0)),
    step,
    contract: { kind, name: contract.name, text: contract.source.text },
  };
}

export function checkOf(kind: ContractKind, c: Contract | { name: string; source: SourceExpr }, passed: boolean) {
  return { kind, name: c.name, text: c.source.text, passed };
}

/** The declared success or error output from a return step's values (missing optional fields are null). */
export function outputRecord(p: PreparedNode, which: "success" | "error", values: Map<string, Value>): VRecord {
  const record = which === "success" ? SUCCESS_RECORD : ERROR_RECORD;
  return conform(new VRecord(record, values), { kind: "record", name: record }, p.types, `outputs.${which}`) as VRecord;
}

/** The error output an on_error or a failed validate step ends the node with. */
export function errorOutput(p: PreparedNode, spec: ErrorSpec): VRecord {
  const values = new Map<string, Value>([["code", spec.code.value]]);
  if (p.node.outputs.error.some((f) => f.name === "message"))
    values.set("message", spec.message?.value ?? spec.code.value);
  return outputRecord(p, "error", values);
}

export function failed(
  status: "contract_violation" | "runtime_error",
  failure: Failure,
  steps: number,
  state?: string,
): RunResult {
  return { status, failure, steps, state };
}

/** A call's result as the step declared it (`returns`), or R206 when the tool answered something else. */
export function toolResult(p: PreparedNode, step: Extract<Step, { op: "call" }>, result: Value | undefined): Value {
  if (!step.returns) return fromPlain(result);
  try {
    return conform(
      result,
      { kind: "record", name: `result of ${step.name}` },
      p.types,
      `the result of ${step.tool.value}`,
    );
  } catch (err) {
    if (err instanceof ConformError) throw new RuntimeFault("R206", err.message);
    throw err;
  }
}

/**
 * A flow that runs out without `return` (after `last`, or an empty flow): an empty
 * success for a node that declares no outputs (or no steps), R200 otherwise.
 */
export function flowEnded(p: PreparedNode, last: Step | undefined, steps: number, state?: string): RunResult {
  if (!last || p.node.outputs.success.length + p.node.outputs.error.length === 0) {
    return { status: "success", output: outputRecord(p, "success", new Map()), steps, state };
  }
  return failed(
    "runtime_error",
    {
      code: "R200",
      message: `the flow ended after step '${last.name}' without returning an output`,
      location: pointOf(last.loc),
      step: last.name,
    },
    steps,
    state,
  );
}
