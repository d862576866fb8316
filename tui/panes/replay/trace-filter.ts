// The replay pane's one-line trace filter: `node:payment status:failed since:2026-11-01`
// and free words, read into the options of listRecordedTraces, which the store applies
// (the pane matches nothing itself, so it finds what `vesper traces list` finds).
// node: and free words are text the node id or the node file contains (--match);
// status: is a trace status or `failed` (--status); since:/until: are UTC dates or
// date-times (--since/--until: until a date takes the whole day). A bad status or
// date is a usage error naming the term, so the prompt can say what to type instead.

import type { TraceListOptions } from "../../../src/workbench/index.js";
import { STATUS_NAMES, TRACE_TIME_EXAMPLE, traceStatusesNamed, traceTimeOf } from "../../../src/workbench/index.js";
import { UsageError } from "../../../src/values/errors.js";

export const FILTER_HELP =
  "node:NAME status:STATUS|failed since:YYYY-MM-DD until:YYYY-MM-DD, or words matching the node";

/** The filter line as list options (without a limit); an empty line lists everything. */
export function parseTraceFilter(text: string): TraceListOptions {
  const f: TraceListOptions = {};
  const texts: string[] = [];
  for (const term of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(node|status|since|until):(.*)$/i.exec(term);
    if (!m) {
      texts.push(term);
      continue;
    }
    const [, key, value] = m as unknown as [string, string, string];
    if (value === "") throw new UsageError(`'${term}' needs a value (${FILTER_HELP})`);
    switch (key.toLowerCase()) {
      case "node":
        texts.push(value);
        break;
      case "status":
        f.statuses = traceStatusesNamed(value);
        if (!f.statuses) throw new UsageError(`status '${value}' is not one of ${STATUS_NAMES.join(", ")}`);
        break;
      case "since":
        f.since = dateOf(value, term, false);
        break;
      case "until":
        f.until = dateOf(value, term, true);
        break;
    }
  }
  return texts.length > 0 ? { ...f, nodeContains: texts } : f;
}

function dateOf(value: string, term: string, end: boolean): number {
  const ms = traceTimeOf(value, end);
  if (ms === undefined) throw new UsageError(`'${term}' needs a date such as ${TRACE_TIME_EXAMPLE}`);
  return ms;
}
