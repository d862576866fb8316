// The Seeds pane's text, as pure functions of the workbench's data: the runs list's
// cells, the open run's header, the seeds table's cells (seed, slot, blueprint,
// stage, alpha, last gate with pass/fail and its measured values against the
// config's thresholds) and the event log's lines. Wording comes from the same
// helpers `veyra seeds list/show/watch` print with (commands/seeds-format.ts), so
// the pane and the commands say the same thing.

import { RUN_MARK, accuracyText, eventText, num, pct, seedsLine } from "../../../commands/seeds-format.js";
import type { SeedRunListItem, SeedRunView, SeedTimeline, SeedTimelineEntry } from "../../../src/workbench/index.js";
import type { Column } from "../../components/table.js";

export const RUN_COLUMNS: Column[] = [
  { header: " ", min: 1 },
  { header: "run", shrink: true, min: 10 },
  { header: "status", shrink: true, min: 7 },
  { header: "dataset", shrink: true, min: 7 },
  { header: "epochs", align: "right" },
  { header: "test acc.", shrink: true, min: 9 },
  { header: "seeds", shrink: true, min: 5 },
];

export function runCells(r: SeedRunListItem): string[] {
  const gain =
    r.finalTestAccuracy !== null && r.baselineTestAccuracy !== null
      ? ` (${r.finalTestAccuracy >= r.baselineTestAccuracy ? "+" : ""}${((r.finalTestAccuracy - r.baselineTestAccuracy) * 100).toFixed(1)} vs baseline)`
      : "";
  return [
    RUN_MARK[r.status],
    r.id,
    r.status,
    r.dataset,
    `${r.epochsDone}/${r.epochs}`,
    `${pct(r.finalTestAccuracy)}${gain}`,
    seedsLine(r.seeds) || "—",
  ];
}

/**
 * The open run in one line, what matters first (a narrow screen cuts the end): the
 * status mark and id, the epochs done, accuracy against the baseline, then the
 * status in words and the dataset.
 */
export function runHeader(v: SeedRunView): string {
  const r = v.run;
  return `${RUN_MARK[r.status]} ${r.id}  epoch ${v.metrics.epochsDone}/${r.epochs}  ${accuracyText(v.accuracy.final, v.accuracy.baseline)}  ${r.status}  ${r.dataset}`;
}

export const SEED_COLUMNS: Column[] = [
  { header: "seed", shrink: false },
  { header: "slot", shrink: true, min: 4 },
  { header: "blueprint", shrink: true, min: 11 },
  { header: "stage" },
  { header: "alpha", align: "right" },
  { header: "gate" },
  { header: "measured; limits", shrink: true, min: 8 },
];

const pairs = (v: Record<string, number>) =>
  Object.entries(v)
    .map(([k, x]) => `${k} ${num(x)}`)
    .join(", ");

/** A seed's line: its last gate as "G3 ✓" (passed) or "G3 ✗" (failed), then what it measured against which limits. */
export function seedCells(s: SeedTimeline): string[] {
  const g = s.gates[s.gates.length - 1];
  const measured = g ? [pairs(g.values), Object.keys(g.thresholds).length ? `limits ${pairs(g.thresholds)}` : ""] : [];
  return [
    s.seedId,
    s.slot || "?",
    s.blueprint || "?",
    s.stage,
    s.alpha.toFixed(2),
    g ? `${g.gate} ${g.passed ? "✓" : "✗"}` : "—",
    measured.filter(Boolean).join("; ") || "—",
  ];
}

/** A seed's colour: green kept, red removed, none otherwise. */
export function seedColour(s: SeedTimeline): string | undefined {
  if (s.stage === "FOSSILIZED") return "green";
  if (s.stage === "CULLED" || s.stage === "ROLLED_BACK" || s.stage === "CANCELLED") return "red";
  return undefined;
}

/** Events the log shows: not the routine ones (a held isolation check, a checkpoint). */
export function logged(e: SeedTimelineEntry): boolean {
  if (e.event.kind === "checkpoint") return false;
  return !(e.event.kind === "isolation" && e.event.ok);
}

export function logLine(e: SeedTimelineEntry): string {
  return `e${e.epoch}${e.series === "baseline" ? " baseline" : ""}  ${eventText(e.event)}`;
}

/** An event's colour: failures and trips red, passes green, stage changes cyan, commands none. */
export function logColour(e: SeedTimelineEntry): string | undefined {
  const ev = e.event;
  if (ev.kind === "breaker" || ev.kind === "refused" || (ev.kind === "isolation" && !ev.ok)) return "red";
  if (ev.kind === "gate") return ev.passed ? "green" : "red";
  if (ev.kind === "stage") return "cyan";
  return undefined;
}
