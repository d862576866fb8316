import type { RuntimeName } from "../runtime/protocol.js";
import type { TraceStore } from "../store/store.js";

// The execution counters vesper run keeps (traces/002_verify.sql): which runtime
// ran and which answered, a duration histogram per node and mode, and failures by
// status and code. Counters only ever grow (as Prometheus expects of a _total);
// each function here adds to one counter. Which counters an execution touches is
// src/verify/metrics-store.ts's decision.

export interface RuntimeExecutions {
  runtime: string;
  ran: number;
  answered: number;
}

export interface DurationTotal {
  mode: string;
  count: number;
  sum_us: number;
}

export interface ErrorCount {
  status: string;
  code: string;
  count: number;
}

/** One more run of `runtime` for the node; `answered` when its result was the answer. */
export function countRun(store: TraceStore, nodeId: string, runtime: RuntimeName, answered: boolean): void {
  store.db
    .prepare(
      `INSERT INTO runtime_executions (node_id, runtime, ran, answered) VALUES (?, ?, 1, ?)
     ON CONFLICT (node_id, runtime) DO UPDATE SET ran = ran + 1, answered = answered + excluded.answered`,
    )
    .run(nodeId, runtime, answered ? 1 : 0);
}

/** One more execution in the node's histogram for `mode`: in bucket `le` (none past the last bound). */
export function countDuration(
  store: TraceStore,
  nodeId: string,
  mode: string,
  le: number | undefined,
  durationUs: number,
): void {
  if (le !== undefined) {
    store.db
      .prepare(
        `INSERT INTO duration_buckets (node_id, mode, le, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (node_id, mode, le) DO UPDATE SET count = count + 1`,
      )
      .run(nodeId, mode, le);
  }
  store.db
    .prepare(
      `INSERT INTO duration_totals (node_id, mode, count, sum_us) VALUES (?, ?, 1, ?)
     ON CONFLICT (node_id, mode) DO UPDATE SET count = count + 1, sum_us = sum_us + excluded.sum_us`,
    )
    .run(nodeId, mode, durationUs);
}

/** One more failed (or declared-error) execution of the node with this status and code. */
export function countError(store: TraceStore, nodeId: string, status: string, code: string): void {
  store.db
    .prepare(
      `INSERT INTO execution_errors (node_id, status, code, count) VALUES (?, ?, ?, 1)
     ON CONFLICT (node_id, status, code) DO UPDATE SET count = count + 1`,
    )
    .run(nodeId, status, code);
}

export function runtimeExecutions(store: TraceStore, nodeId: string): RuntimeExecutions[] {
  return store.db
    .prepare("SELECT runtime, ran, answered FROM runtime_executions WHERE node_id = ? ORDER BY runtime")
    .all(nodeId) as RuntimeExecutions[];
}

export function durationTotals(store: TraceStore, nodeId: string): DurationTotal[] {
  return store.db
    .prepare("SELECT mode, count, sum_us FROM duration_totals WHERE node_id = ? ORDER BY mode")
    .all(nodeId) as DurationTotal[];
}

/** The node's histogram for one mode: count per bucket upper bound (buckets never hit are absent). */
export function durationBuckets(store: TraceStore, nodeId: string, mode: string): Map<number, number> {
  const rows = store.db
    .prepare("SELECT le, count FROM duration_buckets WHERE node_id = ? AND mode = ?")
    .all(nodeId, mode) as { le: number; count: number }[];
  return new Map(rows.map((b) => [b.le, b.count]));
}

export function errorCounts(store: TraceStore, nodeId: string): ErrorCount[] {
  return store.db
    .prepare("SELECT status, code, count FROM execution_errors WHERE node_id = ? ORDER BY status, code")
    .all(nodeId) as ErrorCount[];
}
