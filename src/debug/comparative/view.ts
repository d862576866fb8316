import { clip, fitValue, pad, wrapItems } from "./fit-text.js";
import type { Frame, LockstepSession } from "./lockstep.js";
import { bindingDiffs, type StepDiff } from "./step-compare.js";
import { upcomingOf, type Upcoming } from "./upcoming.js";
import type { SideView } from "./side-view.js";
import type { RuntimeName, StepEvent } from "../../runtime/protocol.js";
import type { Json } from "../../values/json.js";
import { keyOf } from "../../values/values.js";

// The side-by-side text view: REFERENCE RUNTIME on the left, DIRECT RUNTIME on the
// right, each with where it is (step, file:line), its state, its variables (`*`
// changed by this step, `!` differs from the other runtime, `≈` equal only within
// the node's tolerance) and what it will do
// next (the call about to be made, with its arguments as that runtime computed
// them). Rows are aligned by variable name so the two sides read across. Below:
// the inputs and, when this step diverged, the divergence in full. Everything fits
// `width`; at 120 columns and more, values get the extra room.

const SEP = " │ ";
export const WIDE = 120;

export function renderView(s: LockstepSession, width: number): string {
  const frame = s.current;
  const col = Math.max(20, Math.floor((width - SEP.length) / 2));
  const rows: [string, string][] = [];
  const both = (f: (side: RuntimeName) => string) => rows.push([f("reference"), f("direct")]);
  const views = frame.views;
  const up = {
    reference: upcomingOf(s.upcoming("reference"), views.reference, s.node.node.file),
    direct: upcomingOf(s.upcoming("direct"), views.direct, s.node.node.file),
  };

  rows.push(["REFERENCE RUNTIME", "DIRECT RUNTIME"]);
  rows.push(["─".repeat(col), "─".repeat(col)]);
  const wide = width >= WIDE;
  const at = (side: RuntimeName) =>
    views[side].last ? `${views[side].last!.location.file}:${views[side].last!.location.line}` : "";
  // Wide: the location shares the step's line; narrow: it gets a line of its own.
  if (wide)
    both(
      (side) => `${whereLine(views[side], frame.events[side], frame.position)}${at(side) ? `  at ${at(side)}` : ""}`,
    );
  else {
    both((side) => whereLine(views[side], frame.events[side], frame.position));
    both((side) => (at(side) ? `  at ${at(side)}` : ""));
  }
  if (s.node.node.states) {
    const differs = views.reference.state !== views.direct.state ? "!" : " ";
    both((side) => `${frame.events[side]?.transition ? "*" : " "}${differs}state: ${views[side].state ?? "-"}`);
  }

  const names = [...new Set([...views.reference.bindings.keys(), ...views.direct.bindings.keys()])];
  let approximate = false;
  for (const name of names) {
    const ref = views.reference.bindings.get(name) ?? null;
    const dir = views.direct.bindings.get(name) ?? null;
    const differs = bindingDiffs(name, ref, dir, s.rules).length > 0;
    // Equal within the node's tolerance, but not bit for bit: marked, so it is never mistaken for exact.
    const near =
      !differs && views.reference.bindings.has(name) && views.direct.bindings.has(name) && keyOf(ref) !== keyOf(dir);
    approximate ||= near;
    both((side) => {
      const v = views[side];
      if (!v.bindings.has(name)) return "";
      const mark = `${v.changed.has(name) ? "*" : " "}${differs ? "!" : near ? "≈" : " "}`;
      const head = `${mark}${name} = `;
      // Wide: a changed variable also shows what it was before this step.
      const before = s.previous?.views[side].bindings;
      const was = wide && v.changed.has(name) && before?.has(name) ? `  (was ${fitValue(before.get(name)!, 24)})` : "";
      return head + fitValue(v.bindings.get(name)!, col - head.length - was.length) + was;
    });
  }
  if (names.length === 0) both(() => "  (no variables yet)");
  if (views.reference.result || views.direct.result) both((side) => resultLine(views[side]));
  const errors = { reference: frame.events.reference?.error, direct: frame.events.direct?.error };
  if (errors.reference || errors.direct) {
    both((side) =>
      errors[side]
        ? `  ${frame.events[side]!.recovered ? `recovered (${frame.events[side]!.recovered}) from ` : ""}${errors[side]!.code}: ${errors[side]!.message}`
        : "",
    );
  }
  rows.push(["", ""]);
  const nextRows = {
    reference: nextLines(up.reference, views.reference, col),
    direct: nextLines(up.direct, views.direct, col),
  };
  for (let i = 0; i < Math.max(nextRows.reference.length, nextRows.direct.length); i++)
    rows.push([nextRows.reference[i] ?? "", nextRows.direct[i] ?? ""]);

  const lines = rows.map(([l, r]) => `${pad(l, col)}${SEP}${clip(r, col)}`.trimEnd());
  lines.push(...inputLines(s, width));
  const legend = "* changed by this step   ! differs from the other runtime";
  lines.push(clip(approximate ? `${legend}   ≈ within the tolerance` : legend, width));
  if (frame.comparison.diffs.length > 0) lines.push("", ...divergenceLines(s, frame, width));
  return lines.join("\n");
}

function whereLine(v: SideView, ev: StepEvent | undefined, position: number): string {
  if (!v.last) return position === 0 ? "not started" : "";
  const last = v.last;
  const flags = [
    last.skipped ? "skipped: guard false" : "",
    last.branch ? `took ${last.branch}` : "",
    last.recovered ? `recovered: ${last.recovered}` : "",
  ].filter(Boolean);
  const idle = ev ? "" : " (ended earlier)";
  return `#${last.index} ${last.step} (${last.op})${flags.length ? ` ${flags.join(", ")}` : ""}${idle}`;
}

function resultLine(v: SideView): string {
  const r = v.result;
  if (!r) return "  running";
  const failure = r.failure ? ` ${r.failure.code}: ${r.failure.message}` : "";
  return `  ended: ${r.status}${r.state ? ` in state ${r.state}` : ""}${failure}`;
}

function nextLines(u: Upcoming | undefined, v: SideView, col: number): string[] {
  if (!u) return v.done ? ["next: nothing (the run has ended)"] : [];
  const line = u.location.includes(":") ? `, line ${u.location.slice(u.location.lastIndexOf(":") + 1)}` : "";
  const lines = [`next: ${u.step}${line}`];
  lines.push(`  ${u.summary}${u.skipped ? " (guard false: skipped)" : ""}`);
  if (u.args) {
    for (const a of u.args) {
      const head = `    ${a.name}: `;
      lines.push(head + (a.error ? `(${a.error})` : fitValue(a.value ?? null, col - head.length)));
    }
  }
  return lines;
}

function inputLines(s: LockstepSession, width: number): string[] {
  const budget = width >= WIDE ? Math.floor(width / 2) : 24;
  const items = [...s.inputs].map(([k, v]) => `${k}=${fitValue(v, budget)}`);
  return wrapItems(items, width, "inputs: ");
}

/** The full account of a diverging step: the first binding that differs, both values, the errors. */
export function divergenceLines(s: LockstepSession, frame: Frame, width: number): string[] {
  const ev = frame.events.reference ?? frame.events.direct!;
  const lines = [`DIVERGENCE at step #${ev.index} '${ev.step}' (${ev.location.file}:${ev.location.line})`];
  const first = frame.comparison.firstBinding;
  if (first) {
    const step = s.flow.step(ev.step);
    const assigned =
      step && (step.op === "compute" || step.op === "tensor")
        ? step.assignments.find((a) => a.name === first)
        : undefined;
    lines.push(
      clip(
        `  first binding that differs: ${first}${assigned ? ` = ${assigned.value.text}  (line ${assigned.loc.line})` : ""}`,
        width,
      ),
    );
  }
  for (const d of frame.comparison.diffs) lines.push(...diffLines(d, width));
  return lines;
}

export function diffLines(d: StepDiff, width: number): string[] {
  const room = Math.max(20, width - 16);
  const out = [clip(`  ${d.path}: ${d.reason}`, width)];
  // Values as the value formatter shows them (as `print` and the view do); words (steps, states, codes) as they are.
  const [expected, actual] = d.shown ? [d.shown.expected, d.shown.actual] : [jsonText(d.expected), jsonText(d.actual)];
  out.push(`    reference  ${clip(expected, room)}`, `    direct     ${clip(actual, room)}`);
  if (d.tensor) {
    const t = d.tensor;
    out.push(
      clip(
        `    worst element [${t.index.join(", ")}]: reference ${short(t.expected)}, direct ${short(t.actual)}, relative error ${t.relativeError.toExponential(2)}`,
        width,
      ),
    );
    out.push(
      clip(
        `    error norm ${t.errorNorm.toExponential(3)}, relative ${t.relativeNorm.toExponential(2)}; ${t.elementsOver} of ${t.size} elements beyond the tolerance`,
        width,
      ),
    );
  } else if (d.relativeError !== undefined && !d.reason.includes("relative error")) {
    out.push(`    relative error ${d.relativeError.toExponential(2)}`);
  }
  return out;
}

function short(x: number): string {
  return String(+x.toPrecision(8));
}

function jsonText(j: Json): string {
  return typeof j === "string" ? j : JSON.stringify(j);
}
