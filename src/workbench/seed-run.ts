import { randomBytes } from "node:crypto";
import { checkSeedsSettings, loadSeedsConfig, type SeedsConfig, seedsConfigJson } from "../config/seeds-config.js";
import { createEngine } from "../engine/create-engine.js";
import { loadData } from "../seeds/data.js";
import type { EpochRecord, EventRecord, RunSummary, Series, StepRecord, TelemetrySink } from "../seeds/records.js";
import { Recorder } from "../seeds/recorder.js";
import { Trainer, trainerExtra } from "../seeds/trainer.js";
import { findRun } from "../seeds/telemetry-reader.js";
import { openTelemetrySink } from "../seeds/telemetry-sink.js";
import { UsageError } from "../values/errors.js";
import { didYouMean } from "../values/suggest.js";
import { interfaceCheck, loadBlueprints } from "./seed-blueprints.js";
import { type StoreRef, withStoreAsync } from "./store-access.js";

// `veyra seeds run` as a use case: resolve the settings (flags, VEYRA_SEEDS_*, the
// config file, defaults), load the data and the blueprint nodes, start the engine,
// and train: the seeded host, then with `baseline` the same host under the same seed
// without seeds (series "baseline"). Every epoch ends with a checkpoint in the sink;
// `resume` restores a run's last checkpoint (its settings and phase included) and
// continues the same run id. An abort (Ctrl-C) is noticed between batches; the epoch
// in progress finishes, is checkpointed, the run is marked interrupted and this
// returns (the command exits 130). The records go to the store's telemetry tables
// (src/seeds/telemetry-sink.ts), or to a sink the caller gives (memory, in tests).
// In a store, `resume` names the run as every seeds verb does: its id or a unique
// prefix (an unknown or ambiguous one is S106, exit 2, before anything is trained;
// a store that does not exist is not created for it).

export interface SeedRunOptions {
  dataset?: string;
  epochs?: number;
  seed?: number;
  backend?: string;
  baseline?: boolean;
  configFile?: string;
  cwd: string;
  /** A run to continue from its last checkpoint: its id, or (in a store) a unique prefix of it. */
  resume?: string;
  /** The store the run is recorded in (created if missing), unless `sink` is given. */
  store?: StoreRef;
  /** Where the records go instead of a store's tables (the caller closes it). */
  sink?: TelemetrySink;
  env?: NodeJS.ProcessEnv;
}

export interface SeedRunHooks {
  onEpoch?(record: EpochRecord): void;
  onEvent?(record: EventRecord): void;
  onStep?(record: StepRecord): void;
  /** Told once the run has its id and settings (before the first epoch). */
  onStart?(info: { runId: string; config: SeedsConfig; backend: string; resumedFrom: number | null }): void;
  signal?: AbortSignal;
}

interface Phase {
  series: Series;
  /** The seeded series' final test accuracy, once it finished. */
  seededAccuracy: number | null;
  /** The seeded series' seeds as it finished. */
  seededSeeds: RunSummary["seeds"];
  baselineAccuracy?: number;
  config: SeedsConfig;
  baseline: boolean;
  seq: number;
}

export async function runSeedTraining(options: SeedRunOptions, hooks: SeedRunHooks = {}): Promise<RunSummary> {
  if (options.sink) return train(options, options.sink, hooks);
  if (options.store === undefined) throw new UsageError("a seed run needs a store or a sink to record into");
  return withStoreAsync(
    options.store,
    async (store) => {
      const resume = options.resume === undefined ? undefined : findRun(store, options.resume).id;
      const sink = openTelemetrySink(store);
      try {
        return await train({ ...options, resume }, sink, hooks);
      } finally {
        sink.close();
      }
    },
    // A new run creates its store; a resumed one names a run that must already be in it.
    { mustExist: options.resume !== undefined },
  );
}

async function train(options: SeedRunOptions, sink: TelemetrySink, hooks: SeedRunHooks): Promise<RunSummary> {
  const env = options.env ?? process.env;
  let phase: Phase;
  let checkpointBytes: Uint8Array | null = null;
  let resumedFrom: number | null = null;
  if (options.resume) {
    const last = sink.lastCheckpoint(options.resume);
    if (!last) throw new UsageError(`run '${options.resume}' has no checkpoint to resume from`);
    checkpointBytes = last.state;
    resumedFrom = last.epoch;
    const saved = trainerExtra(last.state).phase as Phase | undefined;
    if (!saved) throw new UsageError(`run '${options.resume}' has a checkpoint this version cannot resume`);
    // The settings arrive as data too: a batch size of 0 would never end an epoch.
    const config = checkSeedsSettings(saved.config, "the checkpoint cannot be resumed: its settings", "S107");
    phase = { ...saved, config };
  } else {
    const config = loadSeedsConfig(
      { dataset: options.dataset, epochs: options.epochs, seed: options.seed },
      options.configFile,
      options.cwd,
      env,
    );
    phase = {
      series: "seeded",
      seededAccuracy: null,
      seededSeeds: [],
      config,
      baseline: options.baseline ?? false,
      seq: 0,
    };
  }
  const config = phase.config;
  const blueprints = loadBlueprints();
  const known = blueprints.map((b) => b.spec.name);
  for (const name of config.blueprints)
    if (!known.includes(name))
      throw new UsageError(
        `unknown blueprint '${name}'${config.origins.blueprints ? ` in ${config.origins.blueprints}` : ""}${didYouMean(name, known)} (blueprints: ${known.join(", ")})`,
        "U101",
      );
  const engine = await createEngine({ backend: options.backend, env });
  const tf = engine.tf;
  const data = loadData(config.dataset, config.seed);
  const runId = options.resume ?? `sr_${randomBytes(8).toString("hex")}`;
  sink.startRun({
    runId,
    dataset: config.dataset,
    epochs: config.epochs,
    seed: config.seed,
    backend: engine.backend,
    baseline: phase.baseline,
    config: seedsConfigJson(config),
    resumed: options.resume !== undefined,
    startedAt: Date.now(),
  });
  hooks.onStart?.({ runId, config, backend: engine.backend, resumedFrom });
  const recorder = new Recorder(sink, runId, hooks, phase.seq);
  const check = interfaceCheck(blueprints);
  let lastSeeds: RunSummary["seeds"] = phase.seededSeeds;
  let finalAccuracy = phase.seededAccuracy ?? 0;
  const yieldEvery = () => new Promise<void>((r) => setImmediate(r));
  recorder.event(phase.series, resumedFrom ?? 0, {
    kind: "run",
    status: "running",
    detail:
      resumedFrom !== null ? `resumed from the checkpoint after epoch ${resumedFrom}` : `started on ${engine.backend}`,
  });
  try {
    const order: Series[] = phase.baseline ? ["seeded", "baseline"] : ["seeded"];
    for (const series of order.slice(order.indexOf(phase.series))) {
      const trainer = new Trainer({
        tf,
        config,
        data,
        blueprints,
        interfaceCheck: check,
        runId,
        series,
        seedsEnabled: series === "seeded",
        output: recorder,
        yieldEvery,
      });
      try {
        if (checkpointBytes && series === phase.series) {
          trainer.restore(checkpointBytes);
          checkpointBytes = null;
        }
        let last: EpochRecord | null = null;
        while (trainer.epoch < config.epochs) {
          last = await trainer.runEpoch();
          recorder.event(series, trainer.epoch, { kind: "checkpoint", epoch: trainer.epoch });
          trainer.extra = { phase: { ...phase, series, seq: recorder.seq } satisfies Phase };
          sink.checkpoint(runId, trainer.epoch, trainer.checkpoint());
          sink.flush();
          if (hooks.signal?.aborted && trainer.epoch < config.epochs) {
            recorder.event(series, trainer.epoch, {
              kind: "run",
              status: "interrupted",
              detail: `interrupted after epoch ${trainer.epoch} of ${config.epochs} (${series}); resume with --resume ${runId}`,
            });
            const summary: RunSummary = {
              runId,
              status: "interrupted",
              epochs: trainer.epoch,
              finalTestAccuracy: series === "seeded" ? last.testAccuracy : finalAccuracy,
              baselineTestAccuracy: series === "baseline" ? last.testAccuracy : null,
              seeds: series === "seeded" ? trainer.manager.snapshots() : lastSeeds,
            };
            sink.finish(summary);
            sink.flush();
            return summary;
          }
        }
        const accuracy = last?.testAccuracy ?? trainer.evaluate(data.test).accuracy;
        if (series === "seeded") {
          finalAccuracy = accuracy;
          phase.seededAccuracy = accuracy;
          lastSeeds = trainer.manager.snapshots();
          phase.seededSeeds = lastSeeds;
        } else {
          phase.baselineAccuracy = accuracy;
        }
        if (series === "seeded" && phase.baseline) {
          // The baseline starts from nothing: its phase goes into the next checkpoint.
          phase = { ...phase, series: "baseline" };
        }
      } finally {
        trainer.dispose();
      }
    }
  } catch (err) {
    recorder.event(phase.series, 0, {
      kind: "run",
      status: "failed",
      detail: err instanceof Error ? err.message : String(err),
    });
    sink.finish({
      runId,
      status: "failed",
      epochs: 0,
      finalTestAccuracy: finalAccuracy,
      baselineTestAccuracy: null,
      seeds: lastSeeds,
    });
    sink.flush();
    throw err;
  }
  recorder.event(phase.series, config.epochs, { kind: "run", status: "finished", detail: "all epochs trained" });
  const summary: RunSummary = {
    runId,
    status: "finished",
    epochs: config.epochs,
    finalTestAccuracy: finalAccuracy,
    baselineTestAccuracy: phase.baseline ? (phase.baselineAccuracy ?? null) : null,
    seeds: lastSeeds,
  };
  sink.finish(summary);
  sink.flush();
  return summary;
}

/** The in-memory sink, for callers that keep the records themselves (tests, the bench). */
export { MemorySink } from "../seeds/memory-sink.js";
