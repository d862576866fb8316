import type { Edit } from "./edit.js";
import type { ReplaySession } from "./replay-session.js";
import { runObserved } from "../../runtime/observed-run.js";
import { ExecutionContext } from "../../runtime/context.js";
import type { PreparedNode } from "../../runtime/prepared.js";
import type { RunResult } from "../../runtime/protocol.js";
import type { Value } from "../../values/values.js";
import { getTrace, traceSteps, traceTape, type RecordedStep, type TraceRow } from "../../trace/reader.js";
import { TraceRecorder } from "../../trace/recorder.js";
import type { TraceStore } from "../../store/store.js";

// Re-executing a recorded run after an edit, as a new trace (a fork) whose parent
// is the original; the original is never changed. Steps before the first edited
// one are served from the recording and so repeat exactly; from the edited step on
// the node runs for real: calls the edit did not change still get their recorded
// results, changed calls go to the simulated service, or to the live tool only
// through the safety boundary (--live, and --allow-irreversible for tools that
// cannot be undone).

export interface ForkOptions {
  live: boolean;
  allowIrreversible: boolean;
}

export interface Fork {
  trace: TraceRow;
  steps: RecordedStep[];
  result: RunResult;
}

export async function runFork(
  store: TraceStore,
  session: ReplaySession,
  edited: { node: PreparedNode; inputs: Map<string, Value>; edits: Edit[] },
  options: ForkOptions,
): Promise<Fork> {
  const original = session.trace;
  const changedSteps = new Set(edited.edits.filter((e) => e.kind === "step").map((e) => e.step));
  const ctx = ExecutionContext.fork(
    {
      seed: original.seed,
      grants: edited.node.grants,
      tools: session.tools,
      ...session.context,
      budgetMs: edited.node.node.performance.timeout_ms,
    },
    traceTape(session.recorded),
    { changedSteps, ...options },
  );
  const recorder = TraceRecorder.begin(store, {
    node: edited.node,
    runtime: original.runtime,
    backend: original.engine_backend,
    mode: null,
    inputs: edited.inputs,
    seed: original.seed,
    context: session.context,
    parentId: original.id,
    forkStep: Math.min(...edited.edits.map((e) => e.index)),
    forkChange: edited.edits,
    role: "fork",
  });
  const result = await runObserved(session.runtime, edited.node, new Map(edited.inputs), ctx, recorder);
  const trace = getTrace(store, recorder.id);
  return { trace, steps: traceSteps(store, trace), result };
}
