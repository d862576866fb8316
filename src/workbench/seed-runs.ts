import type { EpochRecord, RunStatus, SeedEvent, SeedSnapshot, SeedStage, Series, GateName } from "../seeds/records.js";
import {
  finalEpochs,
  findRun,
  listRuns,
  type RunFilter,
  runCheckpoint,
  runEpochs,
  runEvents,
  runStepStats,
  type SeedRunRow,
  type StepStats,
} from "../seeds/telemetry-reader.js";
import {
  type SeedChainProblem,
  type SeedChainReport,
  type SeedTamperKind,
  verifyRunChain,
} from "../seeds/telemetry-verify.js";
import { encodeJson } from "../seeds/telemetry-chain.js";
import { type StoreRef, withStore } from "./store-access.js";

// Seed runs from the outside: list, one run's story (a timeline of stages and
// gates per seed, a metrics summary, the final accuracy against the baseline),
// and verification of its event chain; following runs live is seed-follow.ts
// (re-exported here). Each takes a store (a path, opened read-only for the call,
// or an open store) and returns data shaped for drawing: `veyra seeds list/show/
// verify` print it, the TUI's Seeds pane renders it. An unknown run id (or an
// ambiguous prefix) is a StoreError (S106, exit 2) naming it.

export {
  followSeedRuns,
  type SeedFollowEvent,
  type SeedFollowOptions,
  SeedRunFollow,
  watchSeedRun,
} from "./seed-follow.js";
export type { RunFilter, SeedChainProblem, SeedChainReport, SeedRunRow, SeedTamperKind, StepStats };

const READING = { readonly: true } as const;

export interface SeedRunListItem extends SeedRunRow {
  /** The seeded host's test accuracy after its last epoch written (null before the first). */
  finalTestAccuracy: number | null;
  /** The bare host's, when the run trains a baseline. */
  baselineTestAccuracy: number | null;
  /** The seeds as the last seeded epoch ended. */
  seeds: SeedSnapshot[];
}

/** Seed runs, newest first (a run whose writer is gone is `interrupted`). */
export function listSeedRuns(store: StoreRef, filter: RunFilter = {}): SeedRunListItem[] {
  return withStore(
    store,
    (s) =>
      s.read(() =>
        listRuns(s, filter).map((run) => {
          const last = finalEpochs(s, run.id);
          return {
            ...run,
            finalTestAccuracy: last.seeded?.testAccuracy ?? null,
            baselineTestAccuracy: last.baseline?.testAccuracy ?? null,
            seeds: last.seeded?.seeds ?? [],
          };
        }),
      ),
    READING,
  );
}

/** One event in a timeline. */
export interface SeedTimelineEntry {
  seq: number;
  epoch: number;
  series: Series;
  /** Unix ms. */
  at: number;
  event: SeedEvent;
}

/** One seed's story: where it lives, where it ended, and every event about it. */
export interface SeedTimeline {
  seedId: string;
  slot: string;
  blueprint: string;
  /** Its stage as the last epoch ended (or its last transition's target). */
  stage: SeedStage;
  alpha: number;
  /** Each stage it entered, with the epoch it entered it in. */
  stages: { stage: SeedStage; epoch: number; reason: string }[];
  /** Each gate result, in order. */
  gates: {
    gate: GateName;
    passed: boolean;
    epoch: number;
    values: Record<string, number>;
    /** The thresholds from the config the values were checked against, by name. */
    thresholds: Record<string, number>;
    detail: string;
  }[];
  /** Every event about this seed (stages, gates, commands, breaker trips, isolation checks, refusals). */
  entries: SeedTimelineEntry[];
}

export interface SeedRunMetrics {
  epochsDone: number;
  plannedEpochs: number;
  /** Seconds the seeded epochs took, together. */
  seconds: number;
  meanSamplesPerSecond: number | null;
  bestTestAccuracy: number | null;
  bestEpoch: number | null;
  finalTrainLoss: number | null;
  finalTestLoss: number | null;
  /** Batches recorded (both series). */
  steps: number;
  /** Batches whose loss was NaN. */
  nanSteps: number;
  /** Events by kind (stage, gate, command, breaker, isolation, refused, checkpoint, run). */
  events: Record<string, number>;
}

export interface SeedRunView {
  run: SeedRunRow;
  seeds: SeedTimeline[];
  /** Events about no one seed: policy commands that name none, checkpoints, the run's own status. */
  runEvents: SeedTimelineEntry[];
  epochs: { seeded: EpochRecord[]; baseline: EpochRecord[] };
  steps: StepStats[];
  metrics: SeedRunMetrics;
  /** Final test accuracies (fractions in [0, 1]) and the seeded host's gain over the bare one, in points. */
  accuracy: { final: number | null; baseline: number | null; gainPoints: number | null };
  checkpoint: { epoch: number; at: number; bytes: number } | null;
}

/** One run's whole story, read as one snapshot. */
export function showSeedRun(store: StoreRef, runId: string): SeedRunView {
  return withStore(
    store,
    (s) =>
      s.read(() => {
        const run = findRun(s, runId);
        const epochs = runEpochs(s, run.id).map(({ ord: _ord, ...e }) => e);
        const events = runEvents(s, run.id);
        const steps = runStepStats(s, run.id);
        const cp = runCheckpoint(s, run.id);
        return seedRunView(
          run,
          epochs,
          events.map(({ seq, epoch, series, at, event }) => ({ seq, epoch, series, at, event })),
          steps,
          cp && { epoch: cp.epoch, at: cp.at, bytes: cp.state.byteLength },
        );
      }),
    READING,
  );
}

/** A run's event chain, checked (see src/seeds/telemetry-verify.ts for what is checked). */
export function verifySeedRun(store: StoreRef, runId: string): SeedChainReport {
  return withStore(store, (s) => verifyRunChain(s, runId), READING);
}

/** A run's story from its rows (showSeedRun reads them; seed-live.ts folds followed rows into them). */
export function seedRunView(
  run: SeedRunRow,
  epochs: EpochRecord[],
  events: SeedTimelineEntry[],
  steps: StepStats[],
  checkpoint: SeedRunView["checkpoint"],
): SeedRunView {
  const seeded = epochs.filter((e) => e.series === "seeded");
  const baseline = epochs.filter((e) => e.series === "baseline");
  const seeds = new Map<string, SeedTimeline>();
  const seed = (id: string): SeedTimeline => {
    let t = seeds.get(id);
    if (!t) {
      t = { seedId: id, slot: "", blueprint: "", stage: "DORMANT", alpha: 0, stages: [], gates: [], entries: [] };
      seeds.set(id, t);
    }
    return t;
  };
  const runEvents: SeedTimelineEntry[] = [];
  const counts: Record<string, number> = {};
  for (const entry of events) {
    const e = entry.event;
    counts[e.kind] = (counts[e.kind] ?? 0) + 1;
    const id = "seedId" in e ? e.seedId : e.kind === "command" && "seedId" in e.command ? e.command.seedId : null;
    if (id === null) {
      runEvents.push(entry);
      continue;
    }
    const t = seed(id);
    t.entries.push(entry);
    if (e.kind === "stage") {
      t.slot = e.slot;
      t.blueprint = e.blueprint;
      t.stage = e.to;
      t.stages.push({ stage: e.to, epoch: entry.epoch, reason: e.reason });
    } else if (e.kind === "gate") {
      t.gates.push({
        gate: e.gate,
        passed: e.passed,
        epoch: entry.epoch,
        values: e.values,
        thresholds: e.thresholds,
        detail: e.detail,
      });
    }
  }
  // The last epoch's snapshots say where each seed stands (and name seeds no event did).
  for (const snap of seeded[seeded.length - 1]?.seeds ?? []) {
    const t = seed(snap.seedId);
    t.slot = snap.slot;
    t.blueprint = snap.blueprint;
    t.stage = snap.stage;
    t.alpha = snap.alpha;
  }
  const last = seeded[seeded.length - 1];
  const best = seeded.reduce<EpochRecord | undefined>(
    (b, e) => (Number.isFinite(e.testAccuracy) && (!b || e.testAccuracy > b.testAccuracy) ? e : b),
    undefined,
  );
  const rates = seeded.map((e) => e.samplesPerSecond).filter(Number.isFinite);
  const final = run.summary?.finalTestAccuracy ?? last?.testAccuracy ?? null;
  const base = run.summary?.baselineTestAccuracy ?? baseline[baseline.length - 1]?.testAccuracy ?? null;
  return {
    run,
    seeds: [...seeds.values()],
    runEvents,
    epochs: { seeded, baseline },
    steps,
    metrics: {
      epochsDone: seeded.length,
      plannedEpochs: run.epochs,
      seconds: seeded.reduce((sum, e) => sum + (Number.isFinite(e.seconds) ? e.seconds : 0), 0),
      meanSamplesPerSecond: rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null,
      bestTestAccuracy: best?.testAccuracy ?? null,
      bestEpoch: best?.epoch ?? null,
      finalTrainLoss: last?.trainLoss ?? null,
      finalTestLoss: last?.testLoss ?? null,
      steps: steps.reduce((n, s) => n + s.steps, 0),
      nanSteps: steps.reduce((n, s) => n + s.nanSteps, 0),
      events: counts,
    },
    accuracy: {
      final,
      baseline: base,
      gainPoints: final !== null && base !== null ? Math.round((final - base) * 10_000) / 100 : null,
    },
    checkpoint,
  };
}

export type { RunStatus };

/** A seed run's data as JSON text: the records' own field names; NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity". */
export function seedRunJson(value: unknown): string {
  return encodeJson(value);
}
