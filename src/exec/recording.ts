import type { ObserverFactory, RunRole } from "../runtime/observed-run.js";
import type { Mode } from "../runtime/mode-names.js";
import { newId, TraceRecorder, type RecordedContext } from "../trace/recorder.js";
import type { TraceStore } from "../store/store.js";
import type { PreparedNode } from "../runtime/prepared.js";
import type { RuntimeName } from "../runtime/protocol.js";
import type { Value } from "../values/values.js";

// Recording an execution: an ObserverFactory for the dual-path executor that writes
// one trace per runtime run it makes (the answer, the verifying run, a canary
// fallback), all linked by one group id. It lives beside the executor because the
// runs and their roles are the executor's; it reaches down to src/trace for the
// rows, and src/trace never imports src/exec, so the layers stay acyclic.

export interface RecordedRun {
  id: string;
  runtime: RuntimeName;
  role: RunRole;
}

export interface Recording {
  groupId: string;
  observe: ObserverFactory;
  /** Filled as the executor starts each run, in the order they start. */
  traces: RecordedRun[];
}

/** Backend names recorded with a trace: the reference computes in float64 loops; the direct runtime on its engine. */
export const REFERENCE_BACKEND = "reference-float64";

export function startRecording(
  store: TraceStore,
  run: {
    node: PreparedNode;
    inputs: ReadonlyMap<string, Value>;
    seed: string;
    context: RecordedContext;
    mode: Mode | null;
    directBackend?: string;
  },
): Recording {
  const groupId = newId("ex");
  const traces: RecordedRun[] = [];
  return {
    groupId,
    traces,
    observe: (runtime, role) => {
      const recorder = TraceRecorder.begin(store, {
        ...run,
        runtime,
        backend: runtime === "reference" ? REFERENCE_BACKEND : (run.directBackend ?? "float32"),
        groupId,
        role,
      });
      traces.push({ id: recorder.id, runtime, role });
      return recorder;
    },
  };
}
