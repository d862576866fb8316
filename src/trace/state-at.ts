import type { CheckpointState } from "./recorder.js";
import type { TraceRow } from "./reader.js";
import type { EncodedEvent } from "./step-codec.js";
import type { TraceStore } from "../store/store.js";
import type { Encoded } from "./value-codec.js";

// The recorded state after step n of a trace, without re-running anything: start
// from the nearest checkpoint at or before n (or from nothing) and apply the
// bindings and transitions of the steps after it. With a checkpoint every K steps,
// reaching any step reads one checkpoint and fewer than K step rows.

export interface RecordedState {
  step: number;
  bindings: Record<string, Encoded>;
  state: string | null;
  /** The checkpoint the state was rebuilt from, or null when from the first step. */
  checkpoint: number | null;
  /** Step rows read after the checkpoint. */
  applied: number;
}

export function stateAt(
  store: TraceStore,
  t: TraceRow,
  n: number,
  initialState: string | null,
  useCheckpoints = true,
): RecordedState {
  let bindings: Record<string, Encoded> = {};
  let state = initialState;
  let from = 0;
  let checkpoint: number | null = null;
  if (useCheckpoints) {
    const cp = store.db
      .prepare(
        "SELECT step_idx, state FROM checkpoints WHERE trace_id = ? AND step_idx <= ? ORDER BY step_idx DESC LIMIT 1",
      )
      .get(t.id, n) as { step_idx: number; state: string } | undefined;
    if (cp) {
      const saved = JSON.parse(cp.state) as CheckpointState;
      bindings = saved.bindings;
      state = saved.state;
      from = cp.step_idx + 1;
      checkpoint = cp.step_idx;
    }
  }
  let applied = 0;
  for (const row of store.db
    .prepare("SELECT event FROM steps WHERE trace_id = ? AND idx BETWEEN ? AND ? ORDER BY idx")
    .iterate(t.id, from, n) as IterableIterator<{ event: string }>) {
    const e = JSON.parse(row.event) as EncodedEvent;
    for (const [k, v] of e.changed) bindings[k] = v;
    if (e.transition) state = e.transition.to;
    applied++;
  }
  return { step: n, bindings, state, checkpoint, applied };
}
