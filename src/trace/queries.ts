import type { TraceRow, TraceStatus } from "./reader.js";
import type { TraceStore } from "../store/store.js";

// Listing traces: newest first, filtered in SQL by node (exact id, or text the id or
// file contains), status and start time, so a filter reaches every trace in the
// store, not only the newest; or all of them, oldest first. Text matching folds ASCII
// letters only (SQLite's lower()), the same on both sides.

export interface ListFilter {
  /** Exactly this node id. */
  node?: string;
  /** Each of these is contained in the node id or the node file (ASCII letters in any case). */
  nodeContains?: readonly string[];
  status?: TraceStatus;
  /** Any of these statuses (instead of `status`). */
  statuses?: readonly TraceStatus[];
  /** Started at or after this (Unix ms). */
  since?: number;
  /** Started before this (Unix ms). */
  until?: number;
  limit?: number;
}

const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

export const TRACE_STATUSES: readonly TraceStatus[] = [
  "running",
  "success",
  "error",
  "contract_violation",
  "runtime_error",
  "incomplete",
];

/**
 * Traces matching the filter, newest first, at most `limit` (default 20) of those
 * `accept` takes (a reader's own test, such as liveness, applied as rows are read).
 */
export function listTraces(store: TraceStore, filter: ListFilter = {}, accept?: (t: TraceRow) => boolean): TraceRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.node !== undefined) {
    where.push("node_id = ?");
    params.push(filter.node);
  }
  for (const text of filter.nodeContains ?? []) {
    where.push("(instr(lower(node_id), ?) > 0 OR instr(lower(node_file), ?) > 0)");
    params.push(asciiLower(text), asciiLower(text));
  }
  if (filter.since !== undefined) {
    where.push("started_at >= ?");
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    where.push("started_at < ?");
    params.push(filter.until);
  }
  const statuses = filter.statuses ?? (filter.status !== undefined ? [filter.status] : []);
  if (statuses.length > 0) {
    where.push(`status IN (${statuses.map(() => "?").join(", ")})`);
    params.push(...statuses);
  }
  const limit = filter.limit ?? 20;
  const sql = `SELECT * FROM traces ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY started_at DESC, rowid DESC`;
  if (!accept) return store.db.prepare(`${sql} LIMIT ?`).all(...params, limit) as TraceRow[];
  const out: TraceRow[] = [];
  for (const t of store.db.prepare(sql).iterate(...params) as IterableIterator<TraceRow>) {
    if (!accept(t)) continue;
    out.push(t);
    if (out.length >= limit) break;
  }
  return out;
}

/** Every trace, oldest first (what `vesper traces verify` checks when given no id). */
export function allTraces(store: TraceStore): TraceRow[] {
  return store.db.prepare("SELECT * FROM traces ORDER BY started_at").all() as TraceRow[];
}
