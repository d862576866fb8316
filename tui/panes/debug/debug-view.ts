// The debug pane's picture, as styled lines from a DebugSession (no I/O, no React):
// a header, the breakpoints, REFERENCE | DIRECT side by side (each: where it is
// paused, its state, its bindings marked `*` changed by this step and `✗` differing
// from the other runtime, what it runs next), the divergence of the current step in
// full (path, both values, why), and a SOURCE window on the .vsp file with the
// current step's line marked `▶` (the direct runtime's `▷` when it stands elsewhere).
// Or, in the diff view, every difference at this pause. It reflows to the room:
// at 150 columns and more the source is a third column; at 70 and more the sides
// stand next to each other and the source goes below; narrower, everything stacks.
// Nothing is cut inside a word (fit-text.ts); markers never rely on colour alone.

import type { DebugSession, SidePosition, StepDiff } from "../../../src/workbench/index.js";
import { formatValue } from "../../../src/values/values.js";
import { capLines, columns, fitLine } from "./line-fit.js";
import { shorten, wrapWords } from "./fit-text.js";
import { line, type Line, type Segment } from "./styled-lines.js";

export type DebugView = "sides" | "diff";

export interface DebugPicture {
  session: DebugSession;
  /** The .vsp file's lines. */
  source: readonly string[];
  /** The file as the user knows it (relative to where the TUI started). */
  fileName: string;
  /** The sample the inputs came from (undefined: declared defaults). */
  sample?: string;
  view: DebugView;
  width: number;
  height: number;
  /** Lines below the body: the last outcome, a spinner, a prompt (already fitted by the caller). */
  footer: readonly Line[];
}

const SIDES = ["reference", "direct"] as const;
const SEP = " │ ";
export const THREE_COLUMNS = 150;
export const TWO_COLUMNS = 70;

export function debugLines(p: DebugPicture): Line[] {
  const { session: s, width } = p;
  const head = [headerLine(p), breakpointsLine(s, width)].map((l) => fitLine(l, width));
  const room = Math.max(0, p.height - head.length - p.footer.length);
  const body = p.view === "diff" ? diffBlock(s, width) : sidesBody(p, room);
  return [...head, ...capLines(body, room, "more lines (d: the diff alone)"), ...p.footer].slice(0, p.height);
}

function headerLine(p: DebugPicture): Line {
  const s = p.session;
  const n = s.node.node;
  const status: Segment = s.done
    ? s.diverged
      ? { text: "✗ ended, diverged", tone: "bad", bold: true }
      : { text: "✓ ended, the runtimes agree", tone: "good", bold: true }
    : s.diverged
      ? { text: "✗ diverged", tone: "bad", bold: true }
      : { text: s.position === 0 ? "not started" : "agree so far", tone: "muted" };
  return [
    { text: "DEBUG ", bold: true },
    { text: n.nodeId.value, tone: "accent" },
    {
      text: ` · ${p.sample ? `sample ${p.sample}` : "default inputs"} · ${s.position} step${s.position === 1 ? "" : "s"} run · `,
    },
    status,
    ...(p.view === "diff" ? [{ text: " · diff view", bold: true }] : []),
  ];
}

function breakpointsLine(s: DebugSession, width: number): Line {
  const list = s.breakpoints.map((b) => `${b.id} ${b.spec}${b.hits ? ` (hit ${b.hits})` : ""}`);
  return line(shorten(`breakpoints: ${list.length ? list.join(" · ") : "none (B adds one)"}`, width), {
    tone: "muted",
  });
}

// ---- the sides, the divergence, the source -------------------------------------------

function sidesBody(p: DebugPicture, room: number): Line[] {
  const { session: s, width } = p;
  const diffs = s.diff();
  const differing = new Set(diffs.state.map((d) => d.path));
  const divergence = divergenceBlock(s, diffs.step, width, width < THREE_COLUMNS);
  if (width >= THREE_COLUMNS) {
    const col = Math.floor((width - 2 * SEP.length) / 3);
    const sourceWidth = width - 2 * col - 2 * SEP.length;
    const rows = Math.max(3, room - divergence.length - (divergence.length ? 1 : 0));
    const blocks = SIDES.map((side) => ({ lines: sideBlock(s, side, differing, col, rows), width: col }));
    const source = sourceBlock(p, sourceWidth, rows);
    const top = columns([...blocks, { lines: source, width: sourceWidth }], SEP);
    return [...top, ...(divergence.length ? [[], ...divergence] : [])];
  }
  const sourceRows = Math.max(3, Math.min(12, Math.floor(room / 3)));
  const sidesRows = Math.max(4, room - divergence.length - sourceRows - 1);
  let sides: Line[];
  if (width >= TWO_COLUMNS) {
    const col = Math.floor((width - SEP.length) / 2);
    sides = columns(
      SIDES.map((side) => ({ lines: sideBlock(s, side, differing, col, sidesRows), width: col })),
      SEP,
    );
  } else {
    const each = Math.max(3, Math.floor(sidesRows / 2));
    sides = SIDES.flatMap((side) => sideBlock(s, side, differing, width, each));
  }
  // The source takes what the sides and the divergence leave.
  const left = Math.max(sourceRows, room - sides.length - divergence.length);
  return [...sides, ...divergence, ...sourceBlock(p, width, left)];
}

function sideBlock(s: DebugSession, side: (typeof SIDES)[number], differing: Set<string>, width: number, rows: number) {
  const w: SidePosition = s.where()[side];
  const out: Line[] = [];
  const title = side === "reference" ? "REFERENCE" : "DIRECT";
  const op = width >= 50 && w.at ? ` (${w.at.op})` : "";
  const at = w.at
    ? `#${w.last!.index} ${w.at.step}${op} line ${w.at.line}${w.ranLast ? "" : " (ended earlier)"}`
    : "not started";
  out.push([{ text: `${title} `, bold: true, tone: side === "reference" ? "good" : "accent" }, { text: `▶ ${at}` }]);
  if (s.node.node.states) {
    const bad = differing.has("state");
    out.push([
      { text: bad ? "✗ " : "  ", tone: "bad", bold: bad },
      { text: `state: ${w.state ?? "-"}`, tone: bad ? "bad" : undefined },
    ]);
  }
  const bindings: Line[] = [];
  const notable: boolean[] = [];
  for (const [name, value] of w.bindings) {
    const bad = [...differing].some((p) => p === name || p.startsWith(`${name}.`) || p.startsWith(`${name}[`));
    const changed = w.changed.includes(name);
    notable.push(bad || changed);
    const head = `${changed ? "*" : " "}${bad ? "✗" : " "}${name} = `;
    bindings.push([
      { text: head, tone: bad ? "bad" : undefined, bold: bad || changed },
      { text: shorten(formatValue(value), width - head.length), tone: bad ? "bad" : undefined },
    ]);
  }
  if (bindings.length === 0) bindings.push(line("  (no bindings yet)", { tone: "muted" }));
  const tail: Line[] = [];
  if (w.result) {
    const r = w.result;
    tail.push(
      line(
        `ended: ${r.status}${r.state ? ` in ${r.state}` : ""}${r.failure ? ` ${r.failure.code}: ${r.failure.message}` : ""}`,
        { tone: r.status === "success" ? "good" : "bad" },
      ),
    );
  } else if (w.next) {
    const u = w.upcoming;
    tail.push(line(`next: ${w.next.step}${w.next.step === "enter" ? "" : ` line ${w.next.line}`}`, { tone: "muted" }));
    if (u?.summary) tail.push(line(`  ${u.summary}${u.skipped ? " (guard false: skipped)" : ""}`, { tone: "muted" }));
  }
  const budget = Math.max(1, rows - out.length - tail.length);
  return [...out, ...pickRows(bindings, notable, budget), ...tail].map((l) => fitLine(l, width));
}

/** At most `max` binding rows, in their order: the differing and changed ones first kept, then the rest. */
function pickRows(rows: Line[], notable: boolean[], max: number): Line[] {
  if (rows.length <= max) return rows;
  const room = Math.max(0, max - 1);
  const keep = new Set<number>();
  for (let i = 0; i < rows.length && keep.size < room; i++) if (notable[i]) keep.add(i);
  for (let i = 0; i < rows.length && keep.size < room; i++) keep.add(i);
  const kept = rows.filter((_, i) => keep.has(i));
  return [...kept, line(`  … ${rows.length - kept.length} more (d: the diff)`, { tone: "muted" })];
}

/** The current step's divergence: the step, and for each difference its path and both values. */
function divergenceBlock(s: DebugSession, diffs: readonly StepDiff[], width: number, compact: boolean): Line[] {
  if (diffs.length === 0) return [];
  const d0 = s.divergences().find((d) => d.position === s.position);
  const where = d0 ? ` at #${d0.index} ${d0.step} (line ${d0.location.line})` : "";
  const out: Line[] = [[{ text: `✗ DIVERGENCE${where}`, tone: "bad", bold: true, inverse: true }]];
  if (compact) {
    // One line a difference (the reasons are in the diff view): the path, then both sides.
    out[0]!.push({ text: "  d: why", tone: "muted" });
    for (const d of diffs) out.push(compactDiffLine(d, width));
    return out.map((l) => fitLine(l, width));
  }
  if (d0?.firstBinding) out.push(line(`  first binding that differs: ${d0.firstBinding}`));
  for (const d of diffs) out.push(...diffEntryLines(d, width));
  return out.map((l) => fitLine(l, width));
}

function compactDiffLine(d: StepDiff, width: number): Line {
  const [expected, actual] = shownPair(d);
  const room = Math.max(8, Math.floor((width - d.path.length - 24) / 2));
  return [
    { text: "  ✗ ", tone: "bad" },
    { text: d.path, bold: true, tone: "warn" },
    { text: "  reference ", tone: "muted" },
    { text: shorten(expected, room), tone: "good" },
    { text: "  direct ", tone: "muted" },
    { text: shorten(actual, room), tone: "bad", bold: true },
  ];
}

function shownPair(d: StepDiff): [string, string] {
  return d.shown ? [d.shown.expected, d.shown.actual] : [jsonText(d.expected), jsonText(d.actual)];
}

/** One difference: `path: reason`, then the reference's and the direct's values. */
export function diffEntryLines(d: StepDiff, width: number): Line[] {
  const [expected, actual] = shownPair(d);
  const out: Line[] = wrapWords(`${d.path}: ${d.reason}`, width - 2, "  ").map((t, i) =>
    i === 0
      ? [{ text: "  " }, { text: d.path, bold: true, tone: "warn" }, { text: t.slice(d.path.length) }]
      : line(`  ${t}`),
  );
  out.push([
    { text: "    reference  ", tone: "muted" },
    { text: shorten(expected, width - 15), tone: "good" },
  ]);
  out.push([
    { text: "    direct     ", tone: "muted" },
    { text: shorten(actual, width - 15), tone: "bad", bold: true },
  ]);
  if (d.relativeError !== undefined) out.push(line(`    relative error ${d.relativeError.toExponential(2)}`));
  return out;
}

function jsonText(j: unknown): string {
  return typeof j === "string" ? j : JSON.stringify(j);
}

/** A window on the .vsp file around the current step's line, that line marked and inverted. */
function sourceBlock(p: DebugPicture, width: number, rows: number): Line[] {
  const at = p.session.source();
  const ref = at.reference?.line;
  const dir = at.direct?.line;
  const focus = ref ?? dir ?? p.session.where().reference.next?.line ?? 1;
  const file = p.fileName;
  const title: Line = [
    { text: "SOURCE ", bold: true },
    { text: shorten(file, Math.max(10, width - 30)) },
    { text: ref !== undefined ? `  ▶ line ${ref}` : "  (not started)", tone: "muted" },
  ];
  const body = Math.max(1, rows - 1);
  const first = Math.max(1, Math.min(focus - Math.floor(body / 2), p.source.length - body + 1));
  const gutter = String(Math.min(p.source.length, first + body - 1)).length;
  const out: Line[] = [fitLine(title, width)];
  for (let n = first; n < first + body && n <= p.source.length; n++) {
    const mark = n === ref ? "▶" : n === dir ? "▷" : " ";
    const text = `${mark}${String(n).padStart(gutter)} ${p.source[n - 1] ?? ""}`;
    const current = n === ref || n === dir;
    out.push(
      fitLine(
        [
          {
            text,
            inverse: current,
            bold: current,
            tone: current ? (p.session.diverged && n === ref ? "bad" : "warn") : undefined,
          },
        ],
        width,
      ),
    );
  }
  return out;
}

// ---- the diff view --------------------------------------------------------------------

function diffBlock(s: DebugSession, width: number): Line[] {
  const d = s.diff();
  const w = s.where();
  const last = w.reference.last ?? w.direct.last;
  // Named as the sides and the headless `diff` name it: "#2 done", counted from enter = #0.
  const at = last ? `after #${last.index} ${last.step}` : "before the first step";
  const out: Line[] = [line(`DIFF ${at}: every difference between the runtimes here`, { bold: true })];
  if (d.position === 0) out.push(line("nothing has run yet (s steps, c continues)"));
  else if (d.step.length === 0) out.push(line("✓ the last step did the same on both runtimes", { tone: "good" }));
  else {
    out.push(line("✗ what the last step did differently:", { tone: "bad", bold: true }));
    for (const x of d.step) out.push(...diffEntryLines(x, width));
  }
  if (d.carried.length > 0) {
    out.push(line("differences carried from earlier steps:", { bold: true }));
    for (const x of d.carried) out.push(...diffEntryLines(x, width));
  } else if (d.state.length === 0 && d.position > 0)
    out.push(line("✓ the two runtimes' states agree", { tone: "good" }));
  const found = s.divergences();
  if (found.length > 0)
    out.push(
      line(`diverging steps so far: ${found.map((f) => `#${f.index} ${f.step} (line ${f.location.line})`).join(", ")}`),
    );
  return out.flatMap((l) =>
    l.length === 1 ? wrapWords(l[0]!.text, width, "  ").map((t) => [{ ...l[0]!, text: t }]) : [fitLine(l, width)],
  );
}
