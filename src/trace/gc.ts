import type { TraceStore } from "../store/store.js";

// Deleting old traces. Steps, calls and checkpoints go with their trace (ON DELETE
// CASCADE); a fork whose parent is deleted keeps its own rows and loses the link.
// Traces still being written are never deleted.

export interface GcResult {
  traces: number;
  steps: number;
}

export function collectGarbage(store: TraceStore, keepDays: number, now = Date.now()): GcResult {
  const cutoff = now - keepDays * 86_400_000;
  return store.db
    .transaction(() => {
      const steps = (
        store.db
          .prepare(
            "SELECT COUNT(*) AS n FROM steps WHERE trace_id IN (SELECT id FROM traces WHERE started_at < ? AND status != 'running')",
          )
          .get(cutoff) as { n: number }
      ).n;
      const traces = store.db
        .prepare("DELETE FROM traces WHERE started_at < ? AND status != 'running'")
        .run(cutoff).changes;
      return { traces, steps };
    })
    .immediate();
}
