import type { ObserverFactory } from "../src/runtime/observed-run.js";
import type { Mode } from "../src/exec/modes.js";
import { newId, TraceRecorder, type RecordedContext } from "../src/trace/recorder.js";
import type { TraceStore } from "../src/store/store.js";
import type { PreparedNode } from "../src/runtime/prepared.js";
import type { RuntimeName } from "../src/runtime/protocol.js";
import type { Value } from "../src/values/values.js";

// Recording an execution: one trace per runtime run the executor makes (the answer,
// the verifying run, a canary fallback), linked by a group id.

export interface RecordedRun {
  id: string;
  runtime: RuntimeName;
  role: string;
}

export interface Recording {
  groupId: string;
  observe: ObserverFactory;
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
