// The replay pane's diff view: what the last fork (or rerun) changed against its
// original, or, for a trace that is itself a fork, how it departs from its parent,
// as Replay.diff() gives it (the header names both traces): the inputs edited, each step that differs
// (`-` the original, `+` the fork, both shown so the lines read without colour),
// and the outcome. Long lists scroll (↑/↓ move `offset`).

import type { ForkDiff } from "../../../src/workbench/index.js";
import { wrapWords } from "../debug/fit-text.js";
import { fitLine } from "../debug/line-fit.js";
import { line, type Line, type Tone } from "../debug/styled-lines.js";

export function forkDiffLines(d: ForkDiff, width: number): Line[] {
  const parent = d.compares === "parent";
  const out: Line[] = [
    [
      { text: "DIFF ", bold: true },
      {
        text: `${parent ? "this trace" : d.compares === "rerun" ? "rerun" : "fork"} ${d.fork.slice(0, 8)}`,
        tone: "good",
      },
      { text: parent ? ` (a fork from step ${d.forkStep}) against its parent ` : " against the original " },
      { text: d.original.slice(0, 8), tone: "bad" },
    ],
  ];
  const pair = (label: string, original: string, fork: string) => {
    out.push(line(label, { bold: true }));
    out.push(...sideLines("-", original, "bad", width), ...sideLines("+", fork, "good", width));
  };
  if (d.inputs.length > 0) for (const i of d.inputs) pair(`input ${i.input}`, i.original, i.fork);
  if (d.steps.length === 0 && d.outcome.length === 0 && d.inputs.length === 0)
    out.push(
      line(parent ? "this trace did exactly what its parent did" : "the fork did exactly what the original did", {
        tone: "good",
      }),
    );
  for (const c of d.steps) pair(`#${c.index} ${c.step}: ${c.what}`, c.original, c.fork);
  if (d.outcome.length > 0) {
    out.push(line("OUTCOME", { bold: true }));
    for (const o of d.outcome) pair(`  ${o.path}`, o.shown.original, o.shown.fork);
  }
  return out.map((l) => fitLine(l, width));
}

function sideLines(sign: string, text: string, tone: Tone, width: number): Line[] {
  return wrapWords(`  ${sign} ${text}`, width, "    ").map((t) => [{ text: t, tone, bold: sign === "+" }]);
}
