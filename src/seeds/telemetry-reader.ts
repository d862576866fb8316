import { isAbandoned } from "../store/liveness.js";
import { StoreError } from "../store/store-error.js";
import type { TraceStore } from "../store/store.js";
import type {
  Dataset,
  EpochRecord,
  EventRecord,
  RunHeader,
  RunStatus,
  RunSummary,
  SeedEvent,
  SeedSnapshot,
  Series,
} from "./records.js";
import { decodeJson } from "./telemetry-chain.js";

// Reading the seed tables (traces/005_seed_telemetry.sql) back as the records the
// trainer wrote: runs, one run's epochs, events, per-epoch step statistics and its
// newest checkpoint. Never writes. A store from before the seed tables (an older
// schema opened read-only) simply has no runs. A run left `running` by a writer
// that is gone (src/store/liveness.ts) reads as `interrupted`, whether or not a
// writer has marked it so yet. A metric stored as NULL was NaN.

/** A run as stored: what its trainer declared at the start (RunHeader, `epochs` the planned count), then how it went. */
export interface SeedRunRow
  extends Pick<RunHeader, "dataset" | "epochs" | "seed" | "backend" | "baseline" | "config" | "startedAt"> {
  id: string;
  status: RunStatus;
  finishedAt: number | null;
  heartbeatAt: number | null;
  resumes: number;
  /** Seeded-series epochs written. */
  epochsDone: number;
  eventCount: number;
  lastHash: string | null;
  /** Written when the run finished (or was interrupted by its own trainer). */
  summary: RunSummary | null;
}

interface RawRun {
  id: string;
  dataset: string;
  epochs: number;
  seed: number;
  backend: string;
  baseline: number;
  config: string;
  status: string;
  started_at: number;
  finished_at: number | null;
  heartbeat_at: number | null;
  writer_pid: number | null;
  writer_host: string | null;
  resumes: number;
  epochs_done: number;
  event_count: number;
  last_hash: string | null;
  summary: string | null;
}

export function hasSeedTables(store: TraceStore): boolean {
  return store.hasTable("seed_runs");
}

export function runOf(raw: RawRun, now = Date.now()): SeedRunRow {
  return {
    id: raw.id,
    dataset: raw.dataset as Dataset,
    epochs: raw.epochs,
    seed: raw.seed,
    backend: raw.backend,
    baseline: raw.baseline === 1,
    config: decodeJson(raw.config),
    status: isAbandoned(raw, now) ? "interrupted" : (raw.status as RunStatus),
    startedAt: raw.started_at,
    finishedAt: raw.finished_at,
    heartbeatAt: raw.heartbeat_at,
    resumes: raw.resumes,
    epochsDone: raw.epochs_done,
    eventCount: raw.event_count,
    lastHash: raw.last_hash,
    summary: raw.summary === null ? null : decodeJson<RunSummary>(raw.summary),
  };
}

export interface RunFilter {
  status?: RunStatus;
  dataset?: Dataset;
  /** At most this many, newest first. */
  limit?: number;
}

/** Runs, newest first. */
export function listRuns(store: TraceStore, filter: RunFilter = {}): SeedRunRow[] {
  if (!hasSeedTables(store)) return [];
  const raw = store.db.prepare("SELECT * FROM seed_runs ORDER BY started_at DESC, rowid DESC").all() as RawRun[];
  const now = Date.now();
  const runs = raw
    .map((r) => runOf(r, now))
    .filter(
      (r) =>
        (filter.status === undefined || r.status === filter.status) &&
        (filter.dataset === undefined || r.dataset === filter.dataset),
    );
  return filter.limit === undefined ? runs : runs.slice(0, filter.limit);
}

/**
 * The run a user named: its id, or a prefix of exactly one run's id. An unknown
 * or ambiguous name is a StoreError (S106) saying what to do.
 */
export function findRun(store: TraceStore, name: string): SeedRunRow {
  const none = () =>
    new StoreError(
      `no seed run ${name} in the trace store ${store.path} (veyra seeds list shows the runs there)`,
      "S106",
    );
  if (!hasSeedTables(store) || name === "") throw none();
  const exact = store.db.prepare("SELECT * FROM seed_runs WHERE id = ?").get(name) as RawRun | undefined;
  if (exact) return runOf(exact);
  const like = `${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const found = store.db
    .prepare("SELECT * FROM seed_runs WHERE id LIKE ? ESCAPE '\\' ORDER BY started_at DESC LIMIT 6")
    .all(like) as RawRun[];
  if (found.length === 0) throw none();
  if (found.length > 1) {
    throw new StoreError(
      `seed run ${name} is ambiguous: it starts ${found.length > 5 ? "more than five" : found.length} runs' ids (${found
        .slice(0, 5)
        .map((r) => r.id)
        .join(", ")}); give more of the id`,
      "S106",
    );
  }
  return runOf(found[0]!);
}

interface RawEpoch {
  run_id: string;
  series: string;
  epoch: number;
  ord: number;
  train_loss: number | null;
  train_accuracy: number | null;
  test_loss: number | null;
  test_accuracy: number | null;
  validation_accuracy: number | null;
  plateau: number | null;
  samples_per_second: number | null;
  seconds: number | null;
  seeds: string;
}

const num = (v: number | null) => (v === null ? Number.NaN : v);

export function epochOf(r: RawEpoch): EpochRecord & { ord: number } {
  return {
    runId: r.run_id,
    series: r.series as Series,
    epoch: r.epoch,
    ord: r.ord,
    trainLoss: num(r.train_loss),
    trainAccuracy: num(r.train_accuracy),
    testLoss: num(r.test_loss),
    testAccuracy: num(r.test_accuracy),
    validationAccuracy: num(r.validation_accuracy),
    plateau: num(r.plateau),
    samplesPerSecond: num(r.samples_per_second),
    seconds: num(r.seconds),
    seeds: decodeJson<SeedSnapshot[]>(r.seeds),
  };
}

/** Both series' epochs, in the order they were written. */
export function runEpochs(store: TraceStore, runId: string): (EpochRecord & { ord: number })[] {
  return (store.db.prepare("SELECT * FROM seed_epochs WHERE run_id = ? ORDER BY ord").all(runId) as RawEpoch[]).map(
    epochOf,
  );
}

interface RawEvent {
  run_id: string;
  seq: number;
  ord: number;
  series: string;
  epoch: number;
  at: number;
  body: string;
}

export function eventOf(r: RawEvent): EventRecord & { ord: number } {
  return {
    runId: r.run_id,
    seq: r.seq,
    ord: r.ord,
    series: r.series as Series,
    epoch: r.epoch,
    event: decodeJson<SeedEvent>(r.body),
    at: r.at,
  };
}

/** The run's events in chain order. A row whose body is not JSON is left out (verify names it). */
export function runEvents(store: TraceStore, runId: string): (EventRecord & { ord: number })[] {
  const rows = store.db
    .prepare("SELECT run_id, seq, ord, series, epoch, at, body FROM seed_events WHERE run_id = ? ORDER BY seq")
    .all(runId) as RawEvent[];
  const out: (EventRecord & { ord: number })[] = [];
  for (const r of rows) {
    try {
      out.push(eventOf(r));
    } catch {
      // unreadable: `veyra seeds verify` reports it
    }
  }
  return out;
}

export interface StepStats {
  series: Series;
  epoch: number;
  steps: number;
  meanLoss: number;
  minLoss: number;
  maxLoss: number;
  /** Batches whose loss was NaN. */
  nanSteps: number;
}

/** Per epoch and series: how many batches, and their loss's mean, min and max (NaN losses counted apart). */
export function runStepStats(store: TraceStore, runId: string): StepStats[] {
  const rows = store.db
    .prepare(
      `SELECT series, epoch, COUNT(*) AS steps, AVG(loss) AS mean, MIN(loss) AS min, MAX(loss) AS max,
              SUM(loss IS NULL) AS nan
       FROM seed_steps WHERE run_id = ? GROUP BY series, epoch ORDER BY series, epoch`,
    )
    .all(runId) as {
    series: Series;
    epoch: number;
    steps: number;
    mean: number | null;
    min: number | null;
    max: number | null;
    nan: number;
  }[];
  return rows.map((r) => ({
    series: r.series,
    epoch: r.epoch,
    steps: r.steps,
    meanLoss: num(r.mean),
    minLoss: num(r.min),
    maxLoss: num(r.max),
    nanSteps: r.nan,
  }));
}

/** The run's newest checkpoint (the trainer's bytes), or null. */
export function runCheckpoint(
  store: TraceStore,
  runId: string,
): { epoch: number; state: Uint8Array; at: number } | null {
  const row = store.db.prepare("SELECT epoch, state, at FROM seed_checkpoints WHERE run_id = ?").get(runId) as
    | { epoch: number; state: Buffer; at: number }
    | undefined;
  return row ? { epoch: row.epoch, state: new Uint8Array(row.state), at: row.at } : null;
}

/** The last epoch written of each series (for a list of runs: where each stands). */
export function finalEpochs(
  store: TraceStore,
  runId: string,
): { seeded: EpochRecord | null; baseline: EpochRecord | null } {
  const last = store.db.prepare(
    "SELECT * FROM seed_epochs WHERE run_id = ? AND series = ? ORDER BY epoch DESC LIMIT 1",
  );
  const of = (series: Series) => {
    const r = last.get(runId, series) as RawEpoch | undefined;
    return r ? epochOf(r) : null;
  };
  return { seeded: of("seeded"), baseline: of("baseline") };
}
