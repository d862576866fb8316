import type { Edit } from "./edit.js";
import type { ReplaySession } from "./replay-session.js";
import type { Step } from "../../ir/ast.js";
import { runObserved } from "../../runtime/observed-run.js";
import { ExecutionContext } from "../../runtime/context.js";
import type { PreparedNode } from "../../runtime/prepared.js";
import type { RunResult } from "../../runtime/protocol.js";
import type { ToolRegistry } from "../../tools/registry.js";
import type { Value } from "../../values/values.js";
import { getTrace, traceSteps, traceTape, type RecordedStep, type TraceRow } from "../../trace/reader.js";
import { TraceRecorder } from "../../trace/recorder.js";
import type { TraceStore } from "../../store/store.js";

// Re-executing a recorded run after an edit, as a new trace (a fork) whose parent
// is the original; the original is never changed. Clock readings and random numbers
// are served from the recording; from the edited step on the node runs for real:
// calls the edit did not change still get their recorded results, changed calls go
// to the simulated service, or to the live tool only through the safety boundary
// (--live, and --allow-irreversible for tools that cannot be undone).
//
// When the node file is not the one recorded (the user fixed it since), the
// recording cannot say which of a step's settings the file changed (a timeout, a
// retry count): every call to a simulated service is then made again. A simulated
// service answers an unchanged call exactly as it did when recorded (same seed, same
// behaviour, same order), so nothing is lost, and a changed one gets the answer the
// current file would get. Calls to live tools with unchanged arguments are still
// served from the recording: they cannot be made again unasked.

export interface ForkOptions {
  live: boolean;
  allowIrreversible: boolean;
}

export interface Fork {
  trace: TraceRow;
  steps: RecordedStep[];
  result: RunResult;
  /** The fork ran the node file as it is now, not as it was recorded (its simulated calls were made again). */
  againstChangedFile: boolean;
}

export interface ForkPlan {
  node: PreparedNode;
  inputs: Map<string, Value>;
  edits: Edit[];
  /** The event index recorded as where the fork starts (default: the first edited step). */
  forkStep?: number;
}

export async function runFork(
  store: TraceStore,
  session: ReplaySession,
  plan: ForkPlan,
  options: ForkOptions,
): Promise<Fork> {
  const original = session.trace;
  const changedSteps = new Set(plan.edits.filter((e) => e.kind === "step").map((e) => e.step));
  if (session.fileChanged)
    for (const name of simulatedCallSteps(plan.node.node.flow, session.tools)) changedSteps.add(name);
  const ctx = ExecutionContext.fork(
    {
      seed: original.seed,
      grants: plan.node.grants,
      tools: session.tools,
      ...session.context,
      budgetMs: plan.node.node.performance.timeout_ms,
    },
    traceTape(session.recorded),
    { changedSteps, ...options },
  );
  const recorder = TraceRecorder.begin(store, {
    node: plan.node,
    runtime: original.runtime,
    backend: original.engine_backend,
    mode: null,
    inputs: plan.inputs,
    seed: original.seed,
    context: session.context,
    parentId: original.id,
    forkStep: plan.forkStep ?? Math.min(...plan.edits.map((e) => e.index)),
    forkChange: plan.edits,
    role: "fork",
  });
  const result = await runObserved(session.runtime, plan.node, new Map(plan.inputs), ctx, recorder);
  const trace = getTrace(store, recorder.id);
  return { trace, steps: traceSteps(store, trace), result, againstChangedFile: session.fileChanged };
}

/** The names of the steps (branches searched) that call a simulated service. */
export function simulatedCallSteps(flow: readonly Step[], tools: ToolRegistry): string[] {
  const out: string[] = [];
  for (const step of flow) {
    if (step.op === "call" && tools.get(step.tool.value)?.simulated) out.push(step.name);
    if (step.op === "branch")
      out.push(...simulatedCallSteps(step.then, tools), ...simulatedCallSteps(step.else, tools));
  }
  return out;
}
