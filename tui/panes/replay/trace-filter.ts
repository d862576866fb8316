// The replay pane's one-line trace filter: `node:payment status:failed since:2026-11-01`
// and free words. node: and free words match the node id or the node file (any
// part, any case); status: is a trace status (`failed` means any that is not success
// or running); since:/until: are dates (YYYY-MM-DD, UTC) or date-times the trace
// started at or after / before the end of. A bad status or date is a usage error
// naming the term, so the prompt can say what to type instead.

import { TRACE_STATUSES, type TraceRow, type TraceStatus } from "../../../src/workbench/index.js";
import { UsageError } from "../../../src/values/errors.js";

export interface TraceFilter {
  node?: string;
  /** The statuses wanted (one, or several for `failed`). */
  statuses?: readonly TraceStatus[];
  /** Epoch ms: started at or after. */
  since?: number;
  /** Epoch ms: started before. */
  until?: number;
  /** Free words, each matching the node id or file. */
  words: string[];
}

export const FILTER_HELP =
  "node:NAME status:STATUS|failed since:YYYY-MM-DD until:YYYY-MM-DD, or words matching the node";

const FAILED: readonly TraceStatus[] = TRACE_STATUSES.filter((s) => s !== "success" && s !== "running");

export function parseTraceFilter(text: string): TraceFilter {
  const f: TraceFilter = { words: [] };
  for (const term of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(node|status|since|until):(.*)$/i.exec(term);
    if (!m) {
      f.words.push(term.toLowerCase());
      continue;
    }
    const [, key, value] = m as unknown as [string, string, string];
    if (value === "") throw new UsageError(`'${term}' needs a value (${FILTER_HELP})`);
    switch (key.toLowerCase()) {
      case "node":
        f.node = value.toLowerCase();
        break;
      case "status":
        f.statuses = statusesOf(value);
        break;
      case "since":
        f.since = dateOf(value, term, false);
        break;
      case "until":
        f.until = dateOf(value, term, true);
        break;
    }
  }
  return f;
}

function statusesOf(value: string): readonly TraceStatus[] {
  const v = value.toLowerCase();
  if (v === "failed" || v === "failure") return FAILED;
  const found = TRACE_STATUSES.find((s) => s === v);
  if (!found) throw new UsageError(`status '${value}' is not one of ${[...TRACE_STATUSES, "failed"].join(", ")}`);
  return [found];
}

/** A date (UTC midnight; with `end`, the next midnight) or a date-time. */
function dateOf(value: string, term: string, end: boolean): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(day ? `${value}T00:00:00Z` : value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms))
    throw new UsageError(`'${term}' needs a date such as 2026-11-01 or 2026-11-01T09:30Z`);
  return day && end ? ms + 86_400_000 : ms;
}

export function matchesTrace(f: TraceFilter, t: TraceRow): boolean {
  const where = `${t.node_id} ${t.node_file}`.toLowerCase();
  if (f.node !== undefined && !where.includes(f.node)) return false;
  if (f.statuses && !f.statuses.includes(t.status)) return false;
  if (f.since !== undefined && t.started_at < f.since) return false;
  if (f.until !== undefined && t.started_at >= f.until) return false;
  return f.words.every((w) => where.includes(w));
}

/** The filter's status, when it names exactly one: the store is asked for that status only. */
export function onlyStatus(f: TraceFilter): TraceStatus | undefined {
  return f.statuses?.length === 1 ? f.statuses[0] : undefined;
}
