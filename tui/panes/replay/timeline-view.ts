// The replay pane's timeline of one trace as styled lines: the trace, a bar with a
// cell per recorded step (✓ ran, ✗ failed, ≠ departs from the recording, · still to
// come; the selected step inverted) that ←/→ scrub along, then the selected step:
// its source line, the bindings it set, its transition, the calls it made (arguments,
// result or error, attempts, virtual time) and any failure; the state there (state
// machine, clock, every binding, the inputs); the trace's calls; the edits made and
// the last fork. Wide terminals put the state in a second column.

import type { StepEvent } from "../../../src/runtime/protocol.js";
import type { Replay } from "../../../src/workbench/index.js";
import { formatValue, type Value, VRecord } from "../../../src/values/values.js";
import { cells, shorten, wrapWords } from "../debug/fit-text.js";
import { capLines, columns, fitLine } from "../debug/line-fit.js";
import { line, type Line, type Segment } from "../debug/styled-lines.js";
import { statusMark, when } from "./trace-list-view.js";

export interface TimelinePicture {
  replay: Replay;
  fileName: string;
  width: number;
  rows: number;
}

export function timelineLines(p: TimelinePicture): Line[] {
  const { replay: r, width } = p;
  const t = r.trace;
  const st = statusMark(t.status);
  const head: Line[] = [
    [
      { text: "REPLAY ", bold: true },
      { text: `${t.id.slice(0, 8)} ` },
      { text: t.node_id, tone: "accent" },
      { text: ` · ${t.runtime} · ` },
      { text: `${st.mark} ${t.status}`, tone: st.tone, bold: true },
      { text: ` · ${when(t.started_at)} · ${p.fileName}`, tone: "muted" },
    ],
  ];
  if (t.parent_id)
    head.push(line(`fork of ${t.parent_id.slice(0, 8)} from step ${t.fork_step ?? 0}`, { tone: "muted" }));
  if (r.tampered)
    head.push(line(`✗ the recording fails its hash check: ${r.tampered.reason}`, { tone: "bad", bold: true }));
  if (r.fileChanged)
    head.push(
      line(
        "! the file changed since this run was recorded: the replay serves the recorded results (R reruns the file)",
        {
          tone: "warn",
        },
      ),
    );
  const out = head.flatMap((l) => (l.length === 1 ? wrapLine(l, width) : [fitLine(l, width)]));
  out.push(...bar(r, width));
  const room = Math.max(3, p.rows - out.length);
  const step = stepBlock(r, width >= 120 ? Math.floor((width - 3) / 2) : width);
  const state = stateBlock(r);
  const calls = callsBlock(r);
  const edits = editsBlock(r);
  if (width >= 120) {
    const col = Math.floor((width - 3) / 2);
    const left = [...step, ...(calls.length ? [[], ...calls] : []), ...(edits.length ? [[], ...edits] : [])];
    out.push(
      ...columns(
        [
          { lines: capLines(left, room), width: col },
          { lines: capLines(state, room), width: width - col - 3 },
        ],
        " │ ",
      ),
    );
    return out;
  }
  // Narrow: the step first, then the edits (short), then the state and the calls share what is left.
  const stepRows = Math.min(step.length, Math.max(3, Math.ceil(room / 2)));
  const editRows = Math.min(edits.length, 3);
  const rest = Math.max(0, room - stepRows - editRows);
  const callRows = Math.min(calls.length, Math.floor(rest / 3));
  out.push(
    ...capLines(step, stepRows),
    ...capLines(edits, editRows),
    ...capLines(state, rest - callRows),
    ...capLines(calls, callRows),
  );
  return out.map((l) => fitLine(l, width));
}

function wrapLine(l: Line, width: number): Line[] {
  return wrapWords(l[0]!.text, width, "  ").map((text) => [{ ...l[0]!, text }]);
}

/** The scrub bar: a cell per recorded step, windowed around the selection when they do not fit. */
function bar(r: Replay, width: number): Line[] {
  const last = r.last;
  const at = r.position;
  const cellsFit = Math.max(4, width - 24);
  const first = Math.max(0, Math.min(at - Math.floor(cellsFit / 2), last + 1 - cellsFit));
  const end = Math.min(last, first + cellsFit - 1);
  const row: Segment[] = [{ text: first > 0 ? "◀ " : "  ", tone: "muted" }];
  for (let i = first; i <= end; i++) {
    const { mark, tone } = cellOf(r, i);
    row.push({ text: mark, tone, inverse: i === at, bold: i === at });
  }
  row.push({ text: end < last ? " ▶" : "  ", tone: "muted" });
  row.push({ text: `  step ${at < 0 ? "-" : at} of 0–${last}`, tone: "muted" });
  const where = r.where();
  const ev = where.event;
  const now: Line = ev
    ? [
        { text: `▶ #${ev.index} ${ev.step}`, bold: true },
        { text: ` (${ev.op}) line ${ev.location.line}`, tone: "muted" },
        ...(where.sourceLine !== undefined ? [{ text: `   ${where.sourceLine.trim()}`, tone: "accent" as const }] : []),
      ]
    : [{ text: "▶ before the run (→ runs enter, the inputs and preconditions)", bold: true }];
  return [row, now];
}

function cellOf(r: Replay, i: number): { mark: string; tone: Segment["tone"] } {
  if (i <= r.position) {
    if (r.mismatches.some((m) => m.index === i)) return { mark: "≠", tone: "warn" };
    return r.events[i]?.error ? { mark: "✗", tone: "bad" } : { mark: "✓", tone: "good" };
  }
  return r.recorded[i]?.event.error ? { mark: "✗", tone: "muted" } : { mark: "·", tone: "muted" };
}

function stepBlock(r: Replay, width: number): Line[] {
  const ev: StepEvent | undefined = r.events[r.position];
  if (!ev) return [line("THIS STEP", { bold: true }), line("  nothing has run yet", { tone: "muted" })];
  const out: Line[] = [line("THIS STEP", { bold: true })];
  if (ev.skipped) out.push(line("  skipped: its guard was false", { tone: "muted" }));
  if (ev.branch) out.push(line(`  took the ${ev.branch} arm`));
  for (const [name, v] of ev.changed) out.push(line(`  ${name} = ${shorten(valueText(v), width - cells(name) - 5)}`));
  if (ev.transition) out.push(line(`  state ${ev.transition.from} → ${ev.transition.to}`));
  // The calls this step made, those it could not list (a node time-out right after them) included.
  for (const e of r
    .calls()
    .filter((c) => c.index === ev.index)
    .map((c) => c.effect)) {
    out.push([
      { text: `  call ${e.tool} ` },
      e.ok
        ? { text: `✓ ${shorten(valueText(e.result ?? null), width - cells(e.tool) - 12)}`, tone: "good" }
        : { text: `✗ ${e.error?.code}: ${e.error?.message}`, tone: "bad", bold: true },
    ]);
    out.push(
      line(`    ${e.attempts} attempt${e.attempts === 1 ? "" : "s"}, ${e.elapsedMs} ms (virtual)`, { tone: "muted" }),
    );
    out.push(line(`    args ${shorten(valueText(e.args), width - 9)}`, { tone: "muted" }));
  }
  for (const c of ev.contracts.filter((c: { passed: boolean }) => !c.passed))
    out.push(line(`  ✗ ${c.kind} '${c.name}' fails`, { tone: "bad" }));
  if (ev.error)
    out.push(
      line(`  ${ev.recovered ? `recovered (${ev.recovered}) from` : "✗"} ${ev.error.code}: ${ev.error.message}`, {
        tone: ev.recovered ? "warn" : "bad",
        bold: !ev.recovered,
      }),
    );
  if (ev.result)
    out.push(
      line(`  ended: ${ev.result.status}${ev.result.state ? ` in ${ev.result.state}` : ""}`, {
        tone: statusMark(ev.result.status).tone,
      }),
    );
  const mismatch = r.mismatches.find((m) => m.index === ev.index);
  if (mismatch) out.push(line(`  ≠ departs from the recording: ${mismatch.message}`, { tone: "warn", bold: true }));
  if (out.length === 1) out.push(line("  (changed nothing)", { tone: "muted" }));
  return out.flatMap((l) => (l.length === 1 ? wrapLine(l, width) : [l]));
}

function stateBlock(r: Replay): Line[] {
  const s = r.state();
  const out: Line[] = [
    [
      { text: "STATE", bold: true },
      { text: `  ${s.state !== undefined ? `state ${s.state} · ` : ""}clock ${s.elapsedMs} ms`, tone: "muted" },
    ],
  ];
  for (const [k, v] of s.bindings) out.push(line(`  ${k} = ${valueText(v)}`));
  if (s.bindings.size === 0) out.push(line("  (no bindings yet)", { tone: "muted" }));
  out.push(line(`  inputs: ${[...s.inputs].map(([k, v]) => `${k}=${valueText(v)}`).join(", ")}`, { tone: "muted" }));
  return out;
}

function callsBlock(r: Replay): Line[] {
  const calls = r.calls();
  if (calls.length === 0) return [];
  return [
    line("CALLS", { bold: true }),
    ...calls.map(
      (c): Line => [
        { text: c.made ? "  ✓ " : "  · ", tone: c.made ? undefined : "muted" },
        { text: `#${c.index} ${c.step} ${c.effect.tool} ` },
        c.effect.ok ? { text: "ok", tone: "good" } : { text: `${c.effect.error?.code}`, tone: "bad" },
        { text: ` (${c.effect.attempts}×, ${c.effect.elapsedMs} ms)${c.made ? "" : " to come"}`, tone: "muted" },
      ],
    ),
  ];
}

function editsBlock(r: Replay): Line[] {
  if (r.edits.length === 0) return [];
  const unapplied = new Set(r.unapplied);
  const out: Line[] = [line("EDITS", { bold: true })];
  for (const e of r.edits)
    out.push([
      { text: `  ${e.kind === "input" ? `input ${e.param}` : `#${e.index} ${e.step}.${e.param}`}: ` },
      { text: e.before, tone: "bad" },
      { text: " → " },
      { text: e.after, tone: "good", bold: true },
      { text: e.kind === "input" ? " (fork only)" : unapplied.has(e) ? " (not applied)" : " (applied)", tone: "muted" },
    ]);
  const f = r.forked;
  if (f) {
    const m = statusMark(f.result.status);
    out.push([
      { text: `  fork ${f.trace.id.slice(0, 8)}: ` },
      { text: `${m.mark} ${f.result.status}`, tone: m.tone, bold: true },
      { text: "  (d: diff, a: apply)", tone: "muted" },
    ]);
  } else out.push(line("  f forks the run with these edits", { tone: "muted" }));
  return out;
}

/** A value as the formatter shows it, a record without its type's name (the step already says whose it is). */
function valueText(v: Value): string {
  if (v instanceof VRecord) return `{${[...v.fields].map(([k, f]) => `${k}: ${formatValue(f)}`).join(", ")}}`;
  return formatValue(v);
}
