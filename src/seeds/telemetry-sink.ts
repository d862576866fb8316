import type { Statement } from "better-sqlite3";
import { HEARTBEAT_MS, isAbandoned, type WriterLease, writerHost } from "../store/liveness.js";
import { StoreError } from "../store/store-error.js";
import type { TraceStore } from "../store/store.js";
import type { EpochRecord, EventRecord, RunHeader, RunSummary, StepRecord, TelemetrySink } from "./records.js";
import { encodeJson, type EventRow, eventRow, runGenesis } from "./telemetry-chain.js";

// The trainer's records into the seed tables (traces/005_seed_telemetry.sql). The
// run row is written first, in its own transaction (status running, the writer's
// lease). Steps, events and epochs then wait in memory and go in batches, one
// transaction each (group commit): at every epoch's end, at a stage change, breaker
// trip, refusal or run status event (watchers want those at once), before a checkpoint (in
// the checkpoint's own transaction, so a checkpoint never points past rows that
// are not there), when the oldest waiting row is flushAfterMs old (at the next
// call, or on a timer while the trainer awaits), at finish and at close. A writer
// killed mid-run loses at most the batch it had not committed; the file stays
// valid, and the run reads as `interrupted` (its lease: src/store/liveness.ts).
// In WAL mode no reader ever makes a write wait. Every batch renews the run's
// heartbeat and records where the event chain ends (event_count, last_hash).
//
// Events are chained as they arrive (telemetry-chain.ts), in the order the sink
// receives them: a row's `seq` is its position in the chain, counted by the sink
// (the trainer's EventRecord.seq is the same number when it counts as it should).
// A resumed run (RunHeader.resumed) drops the rows written after its newest
// checkpoint and continues the chain from where the checkpoint says it stood.

export interface SinkOptions {
  /** A waiting batch is committed once its oldest row is this old, so watchers see it (default 100 ms). */
  flushAfterMs?: number;
  /** A batch is committed once this many rows wait (default 4096). */
  maxPending?: number;
}

const DEFAULT_FLUSH_MS = 100;
/**
 * Events a watcher wants at once (a stage change, a breaker trip, a refusal, the
 * run's status): committed with whatever waits as they arrive. They are few (tens
 * per run), so this costs a handful of small transactions, not one per step.
 */
const AT_ONCE: ReadonlySet<string> = new Set(["stage", "breaker", "refused", "run"]);
const DEFAULT_MAX_PENDING = 4096;

interface RunState {
  eventCount: number;
  lastHash: string;
  ordCount: number;
  epochsDone: number;
}

interface Statements {
  insertRun: Statement;
  runRow: Statement;
  resumeRun: Statement;
  checkpointRow: Statement;
  dropEvents: Statement;
  dropEpochs: Statement;
  dropSteps: Statement;
  countEpochs: Statement;
  epoch: Statement;
  step: Statement;
  event: Statement;
  progress: Statement;
  heartbeat: Statement;
  checkpoint: Statement;
  lastCheckpoint: Statement;
  finish: Statement;
  interrupt: Statement;
  running: Statement;
}

function prepare(store: TraceStore): Statements {
  const p = (sql: string) => store.db.prepare(sql);
  return {
    insertRun: p(
      `INSERT INTO seed_runs (id, dataset, epochs, seed, backend, baseline, config, status, started_at, heartbeat_at, writer_pid, writer_host)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
    ),
    runRow: p("SELECT id, status FROM seed_runs WHERE id = ?"),
    resumeRun: p(
      `UPDATE seed_runs SET status = 'running', epochs = ?, config = ?, backend = ?, heartbeat_at = ?, writer_pid = ?, writer_host = ?,
         resumes = resumes + 1, finished_at = NULL, summary = NULL, event_count = ?, last_hash = ?, ord_count = ?, epochs_done = ?
       WHERE id = ?`,
    ),
    checkpointRow: p("SELECT epoch, event_count, last_hash, ord_count FROM seed_checkpoints WHERE run_id = ?"),
    dropEvents: p("DELETE FROM seed_events WHERE run_id = ? AND seq >= ?"),
    dropEpochs: p("DELETE FROM seed_epochs WHERE run_id = ? AND ord >= ?"),
    // Steps of an epoch whose row was dropped (or never written): after the checkpoint. By
    // (series, epoch), not by epoch alone: a baseline checkpoint's epoch 1 comes after
    // every seeded epoch.
    dropSteps: p(
      `DELETE FROM seed_steps WHERE run_id = ? AND NOT EXISTS (SELECT 1 FROM seed_epochs e
         WHERE e.run_id = seed_steps.run_id AND e.series = seed_steps.series AND e.epoch = seed_steps.epoch)`,
    ),
    countEpochs: p("SELECT COUNT(*) FROM seed_epochs WHERE run_id = ? AND series = 'seeded'").pluck(),
    epoch: p(
      `INSERT OR REPLACE INTO seed_epochs (run_id, series, epoch, ord, train_loss, train_accuracy, test_loss, test_accuracy,
         validation_accuracy, plateau, samples_per_second, seconds, seeds)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    step: p("INSERT OR REPLACE INTO seed_steps (run_id, series, epoch, step, loss) VALUES (?, ?, ?, ?, ?)"),
    event: p(
      `INSERT INTO seed_events (run_id, seq, ord, series, epoch, kind, seed_id, at, body, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // A writer whose lease ran out while it was alive (a very long epoch; marked
    // interrupted by another process) takes its run back: it is running.
    progress: p(
      `UPDATE seed_runs SET event_count = ?, last_hash = ?, ord_count = ?, epochs_done = ?, heartbeat_at = ?, status = 'running'
       WHERE id = ? AND status IN ('running', 'interrupted')`,
    ),
    heartbeat: p("UPDATE seed_runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'"),
    checkpoint: p(
      `INSERT INTO seed_checkpoints (run_id, epoch, state, event_count, last_hash, ord_count, at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET epoch = excluded.epoch, state = excluded.state, event_count = excluded.event_count,
         last_hash = excluded.last_hash, ord_count = excluded.ord_count, at = excluded.at`,
    ),
    lastCheckpoint: p("SELECT epoch, state FROM seed_checkpoints WHERE run_id = ?"),
    finish: p("UPDATE seed_runs SET status = ?, summary = ?, finished_at = ?, heartbeat_at = ? WHERE id = ?"),
    interrupt: p(
      "UPDATE seed_runs SET status = 'interrupted', finished_at = ?, heartbeat_at = ? WHERE id = ? AND status = 'running'",
    ),
    running: p(
      "SELECT id, status, started_at, heartbeat_at, writer_pid, writer_host FROM seed_runs WHERE status = 'running'",
    ),
  };
}

/**
 * A TelemetrySink writing into `store` (opened for writing; the caller keeps owning
 * it and closes it after the sink). Runs left `running` by a writer that is gone
 * are marked interrupted first.
 */
export function openTelemetrySink(store: TraceStore, options: SinkOptions = {}): TelemetrySink {
  if (store.readonly) throw new StoreError(`cannot record a seed run into ${store.path}: it was opened read-only`);
  return new StoreTelemetrySink(store, options);
}

class StoreTelemetrySink implements TelemetrySink {
  private readonly sql: Statements;
  private readonly runs = new Map<string, RunState>();
  private readonly flushAfterMs: number;
  private readonly maxPending: number;
  private epochs: EpochRecord[] = [];
  private epochOrds: number[] = [];
  private stepRows: StepRecord[] = [];
  private events: EventRow[] = [];
  private touched = new Set<string>();
  /** When the oldest waiting row arrived (performance.now()), or null when nothing waits. */
  private oldest: number | null = null;
  private timer: NodeJS.Timeout;
  private heartbeat: NodeJS.Timeout;
  /** A batch the timer could not commit: reported by the trainer's next call. */
  private failure: unknown;
  private closed = false;

  constructor(
    private readonly store: TraceStore,
    options: SinkOptions,
  ) {
    this.sql = prepare(store);
    this.flushAfterMs = options.flushAfterMs ?? DEFAULT_FLUSH_MS;
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.markAbandoned();
    this.timer = setInterval(() => this.background(() => this.flushIfOld()), this.flushAfterMs);
    this.timer.unref();
    this.heartbeat = setInterval(() => this.background(() => this.renew()), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  startRun(header: RunHeader): void {
    this.live();
    const now = Date.now();
    const state = this.store.write(() => {
      const existing = this.sql.runRow.get(header.runId) as { id: string; status: string } | undefined;
      if (header.resumed) {
        if (!existing) throw new StoreError(`no seed run ${header.runId} to resume in ${this.store.path}`, "S106");
        return this.resume(header, now);
      }
      if (existing) {
        throw new StoreError(
          `a seed run ${header.runId} is already in ${this.store.path} (${existing.status}); continue it with --resume, or start a new run`,
        );
      }
      this.sql.insertRun.run(
        header.runId,
        header.dataset,
        header.epochs,
        header.seed,
        header.backend,
        header.baseline ? 1 : 0,
        encodeJson(header.config),
        header.startedAt,
        now,
        process.pid,
        writerHost(),
      );
      return { eventCount: 0, lastHash: runGenesis(header.runId), ordCount: 0, epochsDone: 0 };
    }, "starting a seed run");
    this.runs.set(header.runId, state);
  }

  /** Drops what was written after the newest checkpoint and takes the run back (inside startRun's transaction). */
  private resume(header: RunHeader, now: number): RunState {
    const id = header.runId;
    const cp = this.sql.checkpointRow.get(id) as
      | { epoch: number; event_count: number; last_hash: string | null; ord_count: number }
      | undefined;
    const cut = cp ?? { epoch: 0, event_count: 0, last_hash: null, ord_count: 0 };
    this.sql.dropEvents.run(id, cut.event_count);
    this.sql.dropEpochs.run(id, cut.ord_count);
    this.sql.dropSteps.run(id);
    const epochsDone = this.sql.countEpochs.get(id) as number;
    this.sql.resumeRun.run(
      header.epochs,
      encodeJson(header.config),
      header.backend,
      now,
      process.pid,
      writerHost(),
      cut.event_count,
      cut.last_hash,
      cut.ord_count,
      epochsDone,
      id,
    );
    return {
      eventCount: cut.event_count,
      lastHash: cut.last_hash ?? runGenesis(id),
      ordCount: cut.ord_count,
      epochsDone,
    };
  }

  steps(records: StepRecord[]): void {
    this.live();
    for (const r of records) {
      this.run(r.runId);
      this.stepRows.push(r);
    }
    this.waiting();
  }

  event(record: EventRecord): void {
    this.live();
    const run = this.run(record.runId);
    const row = eventRow(record, run.eventCount, run.ordCount, run.lastHash);
    run.eventCount++;
    run.ordCount++;
    run.lastHash = row.hash;
    this.events.push(row);
    this.touched.add(record.runId);
    if (AT_ONCE.has(record.event.kind)) this.flush();
    else this.waiting();
  }

  epoch(record: EpochRecord): void {
    this.live();
    const run = this.run(record.runId);
    this.epochs.push(record);
    this.epochOrds.push(run.ordCount++);
    if (record.series === "seeded") run.epochsDone++;
    this.touched.add(record.runId);
    this.flush();
  }

  checkpoint(runId: string, epoch: number, state: Uint8Array): void {
    this.live();
    const run = this.run(runId);
    this.commit(() => {
      this.sql.checkpoint.run(
        runId,
        epoch,
        Buffer.from(state.buffer, state.byteOffset, state.byteLength),
        run.eventCount,
        run.lastHash,
        run.ordCount,
        Date.now(),
      );
    }, "writing a seed run's checkpoint");
  }

  lastCheckpoint(runId: string): { epoch: number; state: Uint8Array } | null {
    const row = this.sql.lastCheckpoint.get(runId) as { epoch: number; state: Buffer } | undefined;
    return row ? { epoch: row.epoch, state: new Uint8Array(row.state) } : null;
  }

  finish(summary: RunSummary): void {
    this.live();
    this.run(summary.runId);
    const now = Date.now();
    this.commit(() => {
      this.sql.finish.run(summary.status, encodeJson(summary), now, now, summary.runId);
    }, "finishing a seed run");
    this.runs.delete(summary.runId);
  }

  flush(): void {
    this.live();
    this.commit(undefined, "writing seed telemetry");
  }

  /** Commits what waits; a run this sink started and nobody finished is marked interrupted (its writer is leaving). */
  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    try {
      const now = Date.now();
      this.commit(() => {
        for (const id of this.runs.keys()) this.sql.interrupt.run(now, now, id);
      }, "closing a seed run");
      this.runs.clear();
    } finally {
      this.closed = true;
    }
  }

  private live(): void {
    if (this.closed) throw new Error("the telemetry sink is closed");
    if (this.failure !== undefined) {
      const err = this.failure;
      this.failure = undefined;
      throw err;
    }
  }

  private run(runId: string): RunState {
    const run = this.runs.get(runId);
    if (!run) throw new Error(`telemetry for seed run ${runId}, which this sink did not start (call startRun first)`);
    return run;
  }

  private pendingRows(): number {
    return this.epochs.length + this.stepRows.length + this.events.length;
  }

  /** After rows were added: commit when the batch is full or old enough. */
  private waiting(): void {
    this.oldest ??= performance.now();
    if (this.pendingRows() >= this.maxPending) this.flush();
    else this.flushIfOld();
  }

  private flushIfOld(): void {
    if (this.oldest !== null && performance.now() - this.oldest >= this.flushAfterMs)
      this.commit(undefined, "writing seed telemetry");
  }

  /**
   * One transaction: every waiting row, each touched run's progress (chain end,
   * heartbeat), then `extra`. The waiting rows are let go only once it committed.
   */
  private commit(extra: (() => void) | undefined, doing: string): void {
    if (this.pendingRows() === 0 && this.touched.size === 0 && extra === undefined) return;
    const now = Date.now();
    this.store.write(() => {
      for (const r of this.stepRows) this.sql.step.run(r.runId, r.series, r.epoch, r.step, r.loss);
      for (const e of this.events)
        this.sql.event.run(
          e.run_id,
          e.seq,
          e.ord,
          e.series,
          e.epoch,
          e.kind,
          e.seed_id,
          e.at,
          e.body,
          e.prev_hash,
          e.hash,
        );
      this.epochs.forEach((r, i) => {
        this.sql.epoch.run(
          r.runId,
          r.series,
          r.epoch,
          this.epochOrds[i],
          r.trainLoss,
          r.trainAccuracy,
          r.testLoss,
          r.testAccuracy,
          r.validationAccuracy,
          r.plateau,
          r.samplesPerSecond,
          r.seconds,
          encodeJson(r.seeds),
        );
      });
      for (const id of this.touched) {
        const run = this.runs.get(id);
        if (run) this.sql.progress.run(run.eventCount, run.lastHash, run.ordCount, run.epochsDone, now, id);
      }
      extra?.();
    }, doing);
    this.stepRows = [];
    this.events = [];
    this.epochs = [];
    this.epochOrds = [];
    this.touched = new Set();
    this.oldest = null;
  }

  private renew(): void {
    if (this.runs.size === 0) return;
    const now = Date.now();
    this.store.write(() => {
      for (const id of this.runs.keys()) this.sql.heartbeat.run(now, id);
    }, "renewing a seed run's heartbeat");
  }

  /** Timer work: a failure is kept for the trainer's next call rather than thrown where nobody catches it. */
  private background(f: () => void): void {
    if (this.closed || this.failure !== undefined) return;
    try {
      f();
    } catch (err) {
      this.failure = err;
    }
  }

  private markAbandoned(): void {
    const running = this.sql.running.all() as (WriterLease & { id: string })[];
    const now = Date.now();
    const dead = running.filter((r) => isAbandoned(r, now));
    if (dead.length === 0) return;
    this.store.write(() => {
      for (const r of dead) this.sql.interrupt.run(now, r.heartbeat_at ?? now, r.id);
    }, "marking abandoned seed runs");
  }
}
