import type { TraceRow, TraceStatus } from "./reader.js";
import type { TraceStore } from "../store/store.js";

// Listing traces: newest first, filtered by node and status; or all of them, oldest first.

export interface ListFilter {
  node?: string;
  status?: TraceStatus;
  limit?: number;
}

export const TRACE_STATUSES: readonly TraceStatus[] = [
  "running",
  "success",
  "error",
  "contract_violation",
  "runtime_error",
  "incomplete",
];

export function listTraces(store: TraceStore, filter: ListFilter = {}): TraceRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.node !== undefined) {
    where.push("node_id = ?");
    params.push(filter.node);
  }
  if (filter.status !== undefined) {
    where.push("status = ?");
    params.push(filter.status);
  }
  const sql = `SELECT * FROM traces ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
  return store.db.prepare(sql).all(...params, filter.limit ?? 20) as TraceRow[];
}

/** Every trace, oldest first (what `vesper traces verify` checks when given no id). */
export function allTraces(store: TraceStore): TraceRow[] {
  return store.db.prepare("SELECT * FROM traces ORDER BY started_at").all() as TraceRow[];
}
