// The replay pane's trace list as styled lines: one row a trace (newest first), the
// selected one marked `▶` and inverted, its status marked ✓/✗/… so the list reads
// without colour. Wide terminals get the runtime, the step count and the parent of a
// fork; narrow ones keep id, time, status and node. The window scrolls to keep the
// selection in view.

import type { TraceRow } from "../../../src/workbench/index.js";
import { wrapWords } from "../debug/fit-text.js";
import { fitLine } from "../debug/line-fit.js";
import { line, type Line, type Tone } from "../debug/styled-lines.js";
import { distinctPrefixLength } from "./distinct-prefix.js";

export interface TraceListPicture {
  traces: readonly TraceRow[];
  selected: number;
  /** The filter line in force ("" for none). */
  filter: string;
  /** The most the store was asked for: a list this long may have more behind it. */
  limit: number;
  width: number;
  /** Rows for the list itself. */
  rows: number;
}

export function statusMark(status: string): { mark: string; tone: Tone } {
  if (status === "success") return { mark: "✓", tone: "good" };
  if (status === "running") return { mark: "…", tone: "accent" };
  if (status === "error") return { mark: "!", tone: "warn" };
  return { mark: "✗", tone: "bad" };
}

export function when(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

export function traceListLines(p: TraceListPicture): Line[] {
  const { width } = p;
  const title: Line = [
    { text: "REPLAY ", bold: true },
    { text: `${p.traces.length} trace${p.traces.length === 1 ? "" : "s"}` },
    {
      text: `${p.filter ? ` matching '${p.filter}'` : ""}${p.traces.length >= p.limit ? ` (the newest ${p.limit})` : p.filter ? "" : " (newest first)"}`,
      tone: p.filter ? "warn" : "muted",
    },
  ];
  const out: Line[] = [fitLine(title, width)];
  if (p.traces.length === 0) {
    // Wrapped, not cut: at 80 columns a cut lost where to go ("debug one in the Debug…").
    const said = p.filter
      ? "No trace matches the filter: / changes it, Esc clears it."
      : "No traces recorded yet: run a node (vesper run FILE) or debug one in the Debug pane.";
    out.push(...wrapWords(said, width).map((t) => line(t, { tone: "muted" })));
    return out;
  }
  const rows = Math.max(1, p.rows - 1);
  const first = Math.max(0, Math.min(p.selected - Math.floor(rows / 2), p.traces.length - rows));
  const wide = width >= 120;
  // Every id the list shows (its parents too) under a prefix no other shown id has.
  const shown = p.traces.slice(first, first + rows);
  const idLength = distinctPrefixLength(
    shown.flatMap((t) => (t.parent_id ? [t.id, t.parent_id] : [t.id])),
    8,
  );
  for (let i = first; i < Math.min(p.traces.length, first + rows); i++) {
    const t = p.traces[i]!;
    const sel = i === p.selected;
    const { mark, tone } = statusMark(t.status);
    const extra = wide
      ? `  ${t.runtime.padEnd(9)} ${String(t.step_count).padStart(4)} steps${t.parent_id ? `  fork of ${t.parent_id.slice(0, idLength)}` : ""}${t.role && t.role !== "fork" ? `  ${t.role}` : ""}`
      : "";
    const row: Line = [
      { text: sel ? "▶ " : "  ", bold: sel, inverse: sel },
      { text: `${t.id.slice(0, idLength).padEnd(idLength)}  ${when(t.started_at)}  `, inverse: sel },
      { text: `${mark} ${t.status.padEnd(wide ? 18 : 13)}`, tone, bold: tone === "bad", inverse: sel },
      { text: ` ${t.node_id}`, tone: "accent", inverse: sel },
      { text: extra, tone: "muted", inverse: sel },
    ];
    out.push(fitLine(row, width));
  }
  return out;
}
