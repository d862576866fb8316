import type { EpochRecord, EventRecord, RunStatus, SeedEvent, SeedSnapshot } from "../src/seeds/records.js";
import type { SeedRunRow } from "../src/workbench/seed-runs.js";

// The text forms of seed runs shared by `veyra seeds list/show/watch`: one line per
// epoch, per event, per run. Percentages for accuracies, three significant figures
// for losses, NaN spelled out (a NaN loss is the news, not a blank).

export const RUN_MARK: Record<RunStatus, string> = { running: "▶", finished: "✓", interrupted: "…", failed: "✗" };

export const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);

export const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : String(x);

export const num = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : String(x);

const values = (v: Record<string, number>) =>
  Object.entries(v)
    .map(([k, x]) => `${k} ${num(x)}`)
    .join(", ");

export function seedsLine(seeds: SeedSnapshot[]): string {
  return seeds
    .map((s) => `${s.seedId} ${s.stage}${s.stage === "GRAFTING" ? ` α=${s.alpha.toFixed(2)}` : ""}`)
    .join(", ");
}

export function runStartedLine(r: SeedRunRow): string {
  const extra = [r.baseline ? "with baseline" : "", r.resumes ? `resumed ${r.resumes}×` : ""]
    .filter(Boolean)
    .join(", ");
  return `▶ seed run ${r.id} started ${when(r.startedAt)}: ${r.dataset}, ${r.epochs} epochs, seed ${r.seed}, ${r.backend}${extra ? ` (${extra})` : ""}`;
}

export function epochLine(e: EpochRecord, planned?: number): string {
  const series = e.series === "baseline" ? " baseline" : "";
  const of = planned ? `/${planned}` : "";
  const seeds = e.seeds.length ? `  ${seedsLine(e.seeds)}` : "";
  return `epoch ${e.epoch}${of}${series}  loss ${num(e.trainLoss)}  train ${pct(e.trainAccuracy)}  test ${pct(e.testAccuracy)}  val ${pct(e.validationAccuracy)}  plateau ${num(e.plateau)}  ${Math.round(e.samplesPerSecond).toLocaleString("en-US")} samples/s  ${e.seconds.toFixed(1)} s${seeds}`;
}

/** One event, without its epoch (the caller says where it happened). */
export function eventText(e: SeedEvent): string {
  switch (e.kind) {
    case "stage":
      return `${e.seedId} ${e.from} → ${e.to} (${e.blueprint} in ${e.slot}): ${e.reason}`;
    case "gate": {
      const measured = Object.keys(e.values).length ? ` [${values(e.values)}` : "";
      const limits = Object.keys(e.thresholds).length ? `${measured ? "; " : " ["}limits ${values(e.thresholds)}` : "";
      return `${e.seedId} gate ${e.gate} ${e.passed ? "✓ passed" : "✗ failed"}${measured}${limits}${measured || limits ? "]" : ""}${e.detail ? `: ${e.detail}` : ""}`;
    }
    case "command": {
      const c = e.command;
      const what =
        c.kind === "germinate"
          ? `germinate ${c.blueprint} in ${c.slot}`
          : c.kind === "wait"
            ? "wait"
            : `${c.kind} ${c.seedId}`;
      return `policy: ${what}: ${e.reason}`;
    }
    case "breaker":
      return `${e.seedId} breaker tripped: ${e.cause}${Object.keys(e.values).length ? ` [${values(e.values)}]` : ""}`;
    case "isolation":
      return `${e.seedId} isolation ${e.ok ? "✓ held" : "✗ violated"}${Object.keys(e.values).length ? ` [${values(e.values)}]` : ""}`;
    case "refused":
      return `${e.seedId} refused ${e.from} → ${e.to}: ${e.reason}`;
    case "checkpoint":
      return `checkpoint after epoch ${e.epoch}`;
    case "run":
      return `run ${e.status}${e.detail ? `: ${e.detail}` : ""}`;
  }
}

export function eventLine(r: EventRecord): string {
  return `  e${r.epoch}${r.series === "baseline" ? " baseline" : ""} #${r.seq}  ${eventText(r.event)}`;
}

export function accuracyText(final: number | null, baseline: number | null): string {
  if (final === null) return "no epoch finished yet";
  if (baseline === null) return `test ${pct(final)}`;
  const gain = (final - baseline) * 100;
  return `test ${pct(final)} vs baseline ${pct(baseline)} (${gain >= 0 ? "+" : ""}${gain.toFixed(1)} points)`;
}
