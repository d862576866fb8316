import type { ExecutionReport } from "../exec/executor.js";
import type { RuntimeName } from "../runtime/protocol.js";
import type { TraceStore } from "../store/store.js";
import { countDuration, countError, countRun } from "../trace/execution-tables.js";

// Execution metrics as vesper run observes them: which runtimes ran and which
// answered, how long executions took (a histogram per node and mode), and what
// failed. The counters live in src/trace/execution-tables.ts; this file decides
// which of them an execution adds to.

/** Histogram bucket upper bounds in seconds: 100 µs to 10 s. */
export const DURATION_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

export function recordExecution(store: TraceStore, nodeId: string, report: ExecutionReport): void {
  const ran = new Set<RuntimeName>([report.runtime]);
  if (report.compared) ran.add(report.runtime === "reference" ? "direct" : "reference");
  if (report.fellBack) ran.add("direct");
  for (const runtime of ran) countRun(store, nodeId, runtime, runtime === report.runtime);

  const seconds = report.durationUs / 1e6;
  const le = DURATION_BUCKETS.find((b) => seconds <= b);
  countDuration(store, nodeId, report.mode, le, Math.max(0, Math.round(report.durationUs)));

  const r = report.result;
  if (r.status !== "success") {
    // A declared error output carries its code in the output; failures carry theirs in failure.
    const declared = r.output?.fields.get("code");
    const code = r.failure?.code ?? (typeof declared === "string" ? declared : "unknown");
    countError(store, nodeId, r.status, code);
  }
}
