import type Database from "better-sqlite3";
import type { ExecutionReport } from "../exec/executor.js";
import type { RuntimeName } from "../runtime/protocol.js";

// Execution metrics as vesper run observes them (tables of traces/002_verify.sql):
// which runtimes ran and which answered, how long executions took (a histogram
// per node and mode), and what failed. Counters only ever grow, as Prometheus
// expects of a _total.

/** Histogram bucket upper bounds in seconds: 100 µs to 10 s. */
export const DURATION_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

export function recordExecution(db: Database.Database, nodeId: string, report: ExecutionReport): void {
  const ran = new Set<RuntimeName>([report.runtime]);
  if (report.compared) ran.add(report.runtime === "reference" ? "direct" : "reference");
  if (report.fellBack) ran.add("direct");
  const exec = db.prepare(
    `INSERT INTO runtime_executions (node_id, runtime, ran, answered) VALUES (?, ?, 1, ?)
     ON CONFLICT (node_id, runtime) DO UPDATE SET ran = ran + 1, answered = answered + excluded.answered`,
  );
  for (const runtime of ran) exec.run(nodeId, runtime, runtime === report.runtime ? 1 : 0);

  const seconds = report.durationUs / 1e6;
  const le = DURATION_BUCKETS.find((b) => seconds <= b);
  if (le !== undefined) {
    db.prepare(
      `INSERT INTO duration_buckets (node_id, mode, le, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (node_id, mode, le) DO UPDATE SET count = count + 1`,
    ).run(nodeId, report.mode, le);
  }
  db.prepare(
    `INSERT INTO duration_totals (node_id, mode, count, sum_us) VALUES (?, ?, 1, ?)
     ON CONFLICT (node_id, mode) DO UPDATE SET count = count + 1, sum_us = sum_us + excluded.sum_us`,
  ).run(nodeId, report.mode, Math.max(0, Math.round(report.durationUs)));

  const r = report.result;
  if (r.status !== "success") {
    // A declared error output carries its code in the output; failures carry theirs in failure.
    const declared = r.output?.fields.get("code");
    const code = r.failure?.code ?? (typeof declared === "string" ? declared : "unknown");
    db.prepare(
      `INSERT INTO execution_errors (node_id, status, code, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (node_id, status, code) DO UPDATE SET count = count + 1`,
    ).run(nodeId, r.status, code);
  }
}
