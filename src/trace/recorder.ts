import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { genesisHash, stepHashInput } from "./hash-chain.js";
import { sha256Hex } from "../store/hash-chain.js";
import {
  checkpointText,
  digestsOf,
  type FixedDigests,
  fixedDigestsOf,
  intentText,
  RowDigest,
  sealOf,
  type SealedRow,
  type SealRow,
} from "./seal.js";
import { bindingsJson, encodeEffect, eventJson, StepCollector, valueJson, type EncodedEffect } from "./step-codec.js";
import { HEARTBEAT_MS, writerHost } from "../store/liveness.js";
import { StoreError } from "../store/store-error.js";
import type { TraceStore } from "../store/store.js";
import { encodeValue, type Encoded } from "./value-codec.js";
import type { RunObserver } from "../runtime/observed-run.js";
import type { PreparedNode } from "../runtime/prepared.js";
import type { TapeEntry } from "../runtime/context.js";
import type { RunResult, RuntimeName, StepEvent } from "../runtime/protocol.js";
import type { Value, VRecord } from "../values/values.js";
import type { ServiceBehaviour } from "../tools/index.js";
import type { Statement } from "better-sqlite3";

// The recorder turns a run's step events into rows of the store. Rows are written in
// batches, one transaction per batch (group commit), never one per step: a crash
// loses at most the unflushed batch. The trace row goes in with the first batch and
// says `running` until the run finishes, so an interrupted trace is found and marked
// incomplete the next time the store is opened. A short run is one transaction in
// all (row with its outcome and seal, then its steps); a longer one shows itself to readers within
// `flushAfterMs` of its start, because a timer writes the row if no batch has. Every transaction
// also rewrites the trace's seal (seal.ts) and renews its heartbeat, and a timer
// renews the heartbeat between batches (src/store/liveness.ts: the writer's lease).
// A live call that cannot be undone is announced first: its intent is committed,
// with every step before it, before the call goes out.
// A store opened with group commit (src/store/group-commit.ts) takes a finished
// trace's last transaction into its next group commit instead: the trade is in
// docs/trace-store.md, "Group commit across traces".

export interface TraceMeta {
  node: PreparedNode;
  runtime: RuntimeName;
  /** The engine backend tensor work ran on (float32 loops unless an engine was given). */
  backend: string;
  mode?: string | null;
  inputs: ReadonlyMap<string, Value>;
  seed: string;
  context: RecordedContext;
  parentId?: string;
  forkStep?: number;
  forkChange?: unknown;
  groupId?: string;
  role?: string;
}

/** What a replay needs to rebuild the run's ExecutionContext. */
export interface RecordedContext {
  clockStartMs: number;
  budgetMs?: number;
  behaviour?: Record<string, Partial<ServiceBehaviour>>;
}

export interface RecorderOptions {
  /** A checkpoint of the state every this many steps (see docs/trace-store.md for why 256). */
  checkpointEvery?: number;
  /** Steps per transaction. */
  batchSize?: number;
  /** A batch is also flushed when it is this old, so a slow run's steps reach readers. */
  flushAfterMs?: number;
}

export const DEFAULT_CHECKPOINT_EVERY = 256;
const DEFAULT_BATCH = 512;
const DEFAULT_FLUSH_MS = 250;

/**
 * A fresh id: tr_ for a trace; other prefixes name groups of traces (ex_ an
 * execution, dbg_ a debug pair); `bytes` (at most 8) random-looking bytes in hex.
 * Half the bytes are drawn at random once per process; the other half is a count
 * from a random start. The count's last hex digit comes first, then the process's
 * half, then the rest of the count: the ids one process makes are unique among
 * themselves and sort into 16 runs of neighbours, so the rows of traces recorded one
 * after another (steps, seals, index entries, all keyed by trace id) go to a few
 * pages of the store instead of one random page each (a commit writes, and the page
 * cache holds, far fewer pages), while ids made one after another still differ in
 * their first digit (a short prefix tells a run's traces apart). Two processes share
 * ids only when both halves meet.
 */
export function newId(prefix = "tr", bytes = 8): string {
  const high = bytes >> 1;
  const low = bytes - high;
  let ids = idsOf[bytes];
  if (!ids) {
    const drawn = randomBytes(high + low);
    ids = idsOf[bytes] = { high: drawn.toString("hex", 0, high), next: drawn.readUIntBE(high, low) };
  }
  const n = ids.next;
  ids.next = (n + 1) % 2 ** (8 * low);
  const count = n.toString(16).padStart(2 * low, "0");
  return `${prefix}_${count.at(-1)}${ids.high}${count.slice(0, -1)}`;
}

/** The absolute path of a node's file, remembered for the last file and working directory asked about. */
function absolutePath(file: string): string {
  const cwd = process.cwd();
  if (file !== lastPath.file || cwd !== lastPath.cwd) lastPath = { file, cwd, absolute: resolve(file) };
  return lastPath.absolute;
}

let lastPath = { file: "", cwd: "", absolute: "" };

/** Per id length: this process's first half and the next count. */
const idsOf: { high: string; next: number }[] = [];

/** Step rows per multi-row INSERT: one statement call binds this many rows (fewer calls across to SQLite). */
const ROWS_PER_INSERT = 16;
/** The columns of a step row, in the order the step statements bind them. */
const STEP_COLUMNS = 9;

interface Statements {
  begin: Statement;
  /** A trace row written whole, outcome and all. */
  whole: Statement;
  /** An INSERT of n step rows (1 ≤ n ≤ ROWS_PER_INSERT), prepared at its first use. */
  steps: (n: number) => Statement;
  call: Statement;
  checkpoint: Statement;
  intent: Statement;
  progress: Statement;
  heartbeat: Statement;
  finish: Statement;
  abandon: Statement;
  seal: Statement;
}

const statements = new WeakMap<TraceStore, Statements>();

function prepared(store: TraceStore): Statements {
  let s = statements.get(store);
  if (!s) {
    s = {
      begin: store.db.prepare(
        `INSERT INTO traces (id, node_id, node_file, content_hash, runtime, engine_backend, mode, status, inputs, seed, context, started_at,
           parent_id, fork_step, fork_change, group_id, role, writer_pid, writer_host, heartbeat_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      whole: store.db.prepare(
        `INSERT INTO traces (id, node_id, node_file, content_hash, runtime, engine_backend, mode, status, inputs, output, failure, final_state,
           seed, context, started_at, finished_at, duration_us, step_count, last_hash, parent_id, fork_step, fork_change, group_id, role,
           writer_pid, writer_host, heartbeat_at, seal_digests, seal, seal_mac, seal_key_id)
         VALUES (${Array(31).fill("?").join(", ")})`,
      ),
      steps: stepInserts(store),
      call: store.db.prepare(
        "INSERT INTO tool_calls (trace_id, seq, step_idx, step, tool, capability, args, ok, result, error, attempts, elapsed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      checkpoint: store.db.prepare("INSERT INTO checkpoints (trace_id, step_idx, state) VALUES (?, ?, ?)"),
      intent: store.db.prepare(
        "INSERT INTO intents (trace_id, seq, step_idx, step, tool, capability, args, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      // A writer whose lease ran out while it was alive (marked incomplete by another
      // process) takes its trace back: it is running.
      progress: store.db.prepare(
        "UPDATE traces SET step_count = ?, last_hash = ?, heartbeat_at = ?, status = 'running' WHERE id = ? AND status IN ('running', 'incomplete')",
      ),
      heartbeat: store.db.prepare("UPDATE traces SET heartbeat_at = ? WHERE id = ? AND status = 'running'"),
      finish: store.db.prepare(
        "UPDATE traces SET status = ?, output = ?, failure = ?, final_state = ?, finished_at = ?, duration_us = ?, heartbeat_at = ? WHERE id = ?",
      ),
      abandon: store.db.prepare(
        "UPDATE traces SET status = 'incomplete', finished_at = ?, heartbeat_at = ? WHERE id = ?",
      ),
      // The seal lives in the trace row (schema 6, traces/006_seal_in_trace_row.sql): no page of its own.
      seal: store.db.prepare(
        "UPDATE traces SET seal_digests = ?, seal = ?, seal_mac = ?, seal_key_id = ? WHERE id = ?",
      ),
    };
    statements.set(store, s);
  }
  return s;
}

function stepInserts(store: TraceStore): (n: number) => Statement {
  const made: Statement[] = [];
  return (n) =>
    (made[n] ??= store.db.prepare(
      `INSERT INTO steps (trace_id, idx, step, op, line, col, event, duration_us, hash) VALUES ${Array(n).fill("(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
    ));
}

/**
 * Inserts the first `count` step rows held in `chunks` (ROWS_PER_INSERT rows of
 * STEP_COLUMNS values to a chunk), a chunk a statement: a full chunk is bound as it is.
 */
function insertSteps(sql: Statements, chunks: unknown[][], count: number): void {
  for (let c = 0, done = 0; done < count; c++) {
    const n = Math.min(ROWS_PER_INSERT, count - done);
    const chunk = chunks[c]!;
    // Spread, not the array: better-sqlite3 reads an array's elements one by one through
    // V8's object API, arguments directly (about 10% of a step row's insert).
    sql.steps(n).run(...(n === ROWS_PER_INSERT ? chunk : chunk.slice(0, n * STEP_COLUMNS)));
    done += n;
  }
}

/** The state a checkpoint holds: enough to show step n without reading the steps before it. */
export interface CheckpointState {
  bindings: Record<string, Encoded>;
  state: string | null;
  elapsedMs: number;
  /** How many clock readings, random numbers and calls the run had received. */
  tape: { clock: number; random: number; calls: number };
}

export class TraceRecorder implements RunObserver {
  readonly id: string;
  private prevHash: string;
  /**
   * Step rows not yet written, in chunks of ROWS_PER_INSERT rows, each row
   * STEP_COLUMNS values in the statements' column order, so a full chunk is bound to
   * its INSERT as it is; the first `pendingRows` rows count. Kept from batch to batch
   * (a write reads them before the next step), so a long run makes them once.
   */
  private readonly pending: unknown[][] = [];
  private pendingRows = 0;
  private pendingCalls: unknown[][] = [];
  private pendingCheckpoints: [string, number, string][] = [];
  private lastFlush = performance.now();
  private written = 0;
  private callSeq = 0;
  private readonly received = new StepCollector();
  private readonly totals = { clock: 0, random: 0, elapsedMs: 0 };
  /** Each binding's latest value, as value-codec JSON: what a checkpoint holds. */
  private readonly bindings = new Map<string, string>();
  private readonly keepBinding = (name: string, json: string): void => {
    this.bindings.set(name, json);
  };
  private state: string | null;
  private readonly checkpointEvery: number;
  private readonly batchSize: number;
  private readonly flushAfterMs: number;
  private readonly sql: Statements;
  private closed = false;
  /** The trace row as written: what the seal covers. */
  private row!: SealedRow;
  /** Its identity and inputs digests, made at the first seal (those columns never change). */
  private fixedDigests?: FixedDigests;
  private readonly checkpointDigest = new RowDigest();
  private readonly intentDigest = new RowDigest();
  private intentSeq = 0;
  private heartbeat?: NodeJS.Timeout;
  /** Whether the trace row is in the store yet (it goes in with the first write). */
  private started = false;
  private startTimer?: NodeJS.Timeout;

  /** Handed to ExecutionContext.onRecord: collects the values each step receives; commits an intent at once. */
  readonly onRecord = (entry: TapeEntry): void => {
    if (entry.kind === "intent") this.intent(entry);
    else this.received.onRecord(entry);
  };

  private constructor(
    private readonly store: TraceStore,
    meta: TraceMeta,
    options: RecorderOptions,
  ) {
    this.id = newId();
    this.prevHash = genesisHash(this.id);
    this.state = meta.node.node.states?.initial.value ?? null;
    this.checkpointEvery = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
    this.flushAfterMs = options.flushAfterMs ?? DEFAULT_FLUSH_MS;
    this.sql = prepared(store);
  }

  /** A recorder for a new trace; its row (status running) is written with the first batch, the timer's start, or the outcome. */
  static begin(store: TraceStore, meta: TraceMeta, options: RecorderOptions = {}): TraceRecorder {
    const r = new TraceRecorder(store, meta, options);
    const n = meta.node.node;
    const now = Date.now();
    r.row = {
      id: r.id,
      node_id: n.nodeId.value,
      node_file: absolutePath(n.file),
      content_hash: n.contentHash,
      runtime: meta.runtime,
      engine_backend: meta.backend,
      mode: meta.mode ?? null,
      status: "running",
      inputs: bindingsJson(meta.inputs),
      output: null,
      failure: null,
      final_state: null,
      seed: meta.seed,
      context: JSON.stringify(meta.context),
      started_at: now,
      finished_at: null,
      duration_us: null,
      step_count: 0,
      last_hash: null,
      parent_id: meta.parentId ?? null,
      fork_step: meta.forkStep ?? null,
      fork_change: meta.forkChange === undefined ? null : JSON.stringify(meta.forkChange),
      group_id: meta.groupId ?? null,
      role: meta.role ?? null,
    };
    // Readers see a slow run's row (status running) within flushAfterMs even when
    // no batch has filled by then; a quick run writes everything at its finish.
    // The heartbeat timer starts with the row's first write (insertRow).
    r.startTimer = setTimeout(() => r.renew(), r.flushAfterMs);
    r.startTimer.unref();
    return r;
  }

  /** The seal over the trace as this recorder has it now. */
  private sealNow(): SealRow {
    this.fixedDigests ??= fixedDigestsOf(this.row);
    return sealOf(
      this.id,
      digestsOf(this.row, this.checkpointDigest.value(), this.intentDigest.value(), this.fixedDigests),
    );
  }

  /** Rewrites the seal in the trace row (inside a write transaction, after the row's last change in it). */
  private writeSeal(): void {
    const s = this.sealNow();
    this.sql.seal.run(s.digests, s.seal, s.mac, s.key_id, this.id);
  }

  /** Inserts the trace row with status running (inside a write transaction); once. */
  private insertRow(now: number): void {
    if (this.started) return;
    const t = this.row;
    this.sql.begin.run(
      t.id,
      t.node_id,
      t.node_file,
      t.content_hash,
      t.runtime,
      t.engine_backend,
      t.mode,
      t.inputs,
      t.seed,
      t.context,
      t.started_at,
      t.parent_id,
      t.fork_step,
      t.fork_change,
      t.group_id,
      t.role,
      process.pid,
      writerHost(),
      now,
    );
    this.started = true;
    // From now on the row's lease is renewed between batches (a trace written whole at its finish needs none).
    if (!this.closed && !this.heartbeat) {
      this.heartbeat = setInterval(() => this.renew(), HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  /**
   * Renews the lease between batches, or writes the trace row if no batch has yet;
   * a busy store is left for the next beat, which comes long before the lease ends.
   */
  private renew(): void {
    if (this.closed) return;
    try {
      if (this.started) this.sql.heartbeat.run(Date.now(), this.id);
      else this.flush();
    } catch {
      // The next heartbeat (or batch) renews it or writes the row.
    }
  }

  /**
   * A live call that cannot be undone is about to be made by the step after the
   * last one recorded: its intent, and every step before it, are committed now, so
   * a run that dies after the call went out still shows that it was attempted.
   */
  intent(call: { step: string; tool: string; capability: string; args: VRecord }): void {
    if (this.closed) return;
    const intent = {
      seq: this.intentSeq++,
      step_idx: this.written + this.pendingRows,
      step: call.step,
      tool: call.tool,
      capability: call.capability,
      args: JSON.stringify(encodeValue(call.args)),
      at: Date.now(),
    };
    this.intentDigest.add(intentText(intent));
    this.flush(() =>
      this.sql.intent.run(
        this.id,
        intent.seq,
        intent.step_idx,
        intent.step,
        intent.tool,
        intent.capability,
        intent.args,
        intent.at,
      ),
    );
  }

  /** Records one step event; `durationUs` is the wall time the step took. */
  step(ev: StepEvent, durationUs: number): void {
    const { tape } = this.received;
    // Calls come from the context's hook; an observer fed events without one still records their effects.
    const calls = this.received.calls.length >= ev.effects.length ? this.received.calls : ev.effects;
    let json = eventJson(ev, tape, calls, this.keepBinding);
    this.totals.clock += tape.clock.length;
    this.totals.random += tape.random.length;
    this.received.clear();
    const { line, col } = ev.location;
    const duration = Math.round(durationUs);
    const input = stepHashInput(this.prevHash, this.id, ev.index, ev.step, ev.op, line, col, duration, json);
    const hash = sha256Hex(input);
    // The event as the tail of the text just hashed (flat now): bound without flattening its pieces again.
    json = input.slice(input.length - json.length);
    this.prevHash = hash;
    const row = this.pendingRows++;
    const p = (this.pending[(row / ROWS_PER_INSERT) | 0] ??= new Array(ROWS_PER_INSERT * STEP_COLUMNS).fill(null));
    const at = (row % ROWS_PER_INSERT) * STEP_COLUMNS;
    p[at] = this.id;
    p[at + 1] = ev.index;
    p[at + 2] = ev.step;
    p[at + 3] = ev.op;
    p[at + 4] = line;
    p[at + 5] = col;
    p[at + 6] = json;
    p[at + 7] = duration;
    p[at + 8] = hash;
    for (const e of calls) this.addCall(ev, encodeEffect(e));
    if (ev.transition) this.state = ev.transition.to;
    if ((ev.index + 1) % this.checkpointEvery === 0) {
      const state = this.checkpoint();
      this.checkpointDigest.add(checkpointText(ev.index, state));
      this.pendingCheckpoints.push([this.id, ev.index, state]);
    }
    if (this.pendingRows >= this.batchSize || performance.now() - this.lastFlush > this.flushAfterMs) this.flush();
  }

  /** The CheckpointState as JSON, assembled from the bindings' JSON without re-encoding them. */
  private checkpoint(): string {
    let bindings = "";
    for (const [k, json] of this.bindings) bindings += `${bindings ? "," : ""}${JSON.stringify(k)}:${json}`;
    const rest: Omit<CheckpointState, "bindings"> = {
      state: this.state,
      elapsedMs: this.totals.elapsedMs,
      tape: { clock: this.totals.clock, random: this.totals.random, calls: this.callSeq },
    };
    return `{"bindings":{${bindings}},${JSON.stringify(rest).slice(1)}`;
  }

  private addCall(ev: StepEvent, e: EncodedEffect): void {
    this.totals.elapsedMs += e.elapsedMs;
    this.pendingCalls.push([
      this.id,
      this.callSeq++,
      ev.index,
      ev.step,
      e.tool,
      e.capability,
      JSON.stringify(e.args),
      e.ok ? 1 : 0,
      e.ok ? JSON.stringify(e.result ?? null) : null,
      e.ok ? null : JSON.stringify(e.error),
      e.attempts,
      e.elapsedMs,
    ]);
  }

  /**
   * Writes the pending batch in one transaction, with the trace row if it is not in
   * the store yet, the progress, the heartbeat and the seal; `also` is written in the
   * same transaction before the progress, `after` after it (an outcome must follow
   * the progress, which sets the status back to running).
   */
  flush(also?: () => void, after?: () => void): void {
    const batch = this.batch(also, after);
    if (batch) this.guard(() => this.store.write(batch, "recording a batch of steps"));
  }

  /**
   * The pending batch as a write to run inside a transaction (see flush), taken out
   * of the recorder's pending rows; undefined when there is nothing to write.
   */
  private batch(also?: () => void, after?: () => void): (() => void) | undefined {
    if (this.pendingRows === 0 && !also && !after && this.started) return undefined;
    const { rows, count, calls, checkpoints, written } = this.takePending();
    const sql = this.sql;
    return () => {
      const now = Date.now();
      this.insertRow(now);
      insertSteps(sql, rows, count);
      for (const c of calls) sql.call.run(...c);
      for (const c of checkpoints) sql.checkpoint.run(...c);
      also?.();
      if (sql.progress.run(written, this.row.last_hash, now, this.id).changes === 0) throw this.gone();
      after?.();
      this.writeSeal();
    };
  }

  /**
   * Writes the last batch and the outcome in one transaction (with the trace row, for
   * a run short enough to have none yet): now, or with the store's next group commit
   * when it groups commits (src/store/group-commit.ts).
   */
  finish(result: RunResult, durationUs: number): void {
    if (this.closed) return;
    const r = result;
    const t = this.row;
    const settle = () => {
      // As encodeResult + JSON.stringify write them (valueJson is held to that).
      t.status = r.status;
      t.output = r.output ? valueJson(r.output) : null;
      t.failure = r.failure ? JSON.stringify(r.failure) : null;
      t.final_state = r.state ?? null;
      t.finished_at = Date.now();
      t.duration_us = Math.round(durationUs);
    };
    const outcome = () => {
      settle();
      const done = this.sql.finish.run(
        t.status,
        t.output,
        t.failure,
        t.final_state,
        t.finished_at,
        t.duration_us,
        t.finished_at,
        this.id,
      );
      if (done.changes === 0) throw this.gone();
    };
    const last = this.started ? this.batch(undefined, outcome)! : this.whole(settle);
    this.close();
    if (this.store.groupsCommits) {
      this.store.defer(() => {
        try {
          last();
        } catch (err) {
          throw this.asStoreError(err);
        }
      }, "recording a trace");
    } else this.guard(() => this.store.write(last, "recording a trace"));
  }

  /** Takes the pending rows out of the recorder, counted as written (a write failure closes the recorder). */
  private takePending(): {
    rows: unknown[][];
    count: number;
    calls: unknown[][];
    checkpoints: [string, number, string][];
    written: number;
  } {
    const taken = {
      rows: this.pending,
      count: this.pendingRows,
      calls: this.pendingCalls,
      checkpoints: this.pendingCheckpoints,
      written: this.written + this.pendingRows,
    };
    this.pendingRows = 0;
    this.pendingCalls = [];
    this.pendingCheckpoints = [];
    this.row.step_count = taken.written;
    this.row.last_hash = taken.written > 0 ? this.prevHash : null;
    this.written = taken.written;
    this.lastFlush = performance.now();
    return taken;
  }

  /**
   * A trace none of which is in the store yet, written whole at its finish: its row
   * goes in once, with its outcome (`settle` fills it in), then its steps and seal;
   * the same rows as a first batch, a progress and an outcome make, in fewer statements.
   */
  private whole(settle: () => void): () => void {
    const { rows, count, calls, checkpoints } = this.takePending();
    const sql = this.sql;
    return () => {
      settle();
      const t = this.row;
      const seal = this.sealNow();
      sql.whole.run(
        t.id,
        t.node_id,
        t.node_file,
        t.content_hash,
        t.runtime,
        t.engine_backend,
        t.mode,
        t.status,
        t.inputs,
        t.output,
        t.failure,
        t.final_state,
        t.seed,
        t.context,
        t.started_at,
        t.finished_at,
        t.duration_us,
        t.step_count,
        t.last_hash,
        t.parent_id,
        t.fork_step,
        t.fork_change,
        t.group_id,
        t.role,
        process.pid,
        writerHost(),
        t.finished_at,
        seal.digests,
        seal.seal,
        seal.mac,
        seal.key_id,
      );
      this.started = true;
      insertSteps(sql, rows, count);
      for (const c of calls) sql.call.run(...c);
      for (const c of checkpoints) sql.checkpoint.run(...c);
    };
  }

  /** The run ended without a result (an internal error): keep what was recorded, marked incomplete. */
  abandon(): void {
    if (this.closed) return;
    try {
      this.flush(undefined, () => {
        this.row.status = "incomplete";
        this.row.finished_at = Date.now();
        this.sql.abandon.run(this.row.finished_at, this.row.finished_at, this.id);
      });
    } finally {
      this.close();
    }
  }

  private close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.startTimer);
  }

  /** A write that fails leaves the recorder closed (its heartbeat stopped): the lease then runs out. */
  private guard(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.close();
      throw this.asStoreError(err);
    }
  }

  /** A trace deleted under the recorder (a foreign key gone) is the StoreError saying so. */
  private asStoreError(err: unknown): unknown {
    return (err as { code?: string }).code === "SQLITE_CONSTRAINT_FOREIGNKEY" ? this.gone() : err;
  }

  private gone(): StoreError {
    return new StoreError(
      `trace ${this.id} was deleted from ${this.store.path} while it was being recorded (by vesper traces gc on a store whose writers' heartbeats it could not see?); the rest of the run was not recorded`,
    );
  }
}
