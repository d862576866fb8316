import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { genesisHash, stepHash } from "./hash-chain.js";
import {
  encodeEffect,
  encodeResult,
  eventJson,
  StepCollector,
  type EncodedEffect,
  type StepRow,
} from "./step-codec.js";
import type { TraceStore } from "../store/store.js";
import { encodeBindings, type Encoded } from "./value-codec.js";
import type { RunObserver } from "../runtime/observed-run.js";
import type { PreparedNode } from "../runtime/prepared.js";
import type { RunResult, RuntimeName, StepEvent } from "../runtime/protocol.js";
import type { Value } from "../values/values.js";
import type { ServiceBehaviour } from "../tools/index.js";
import type { Statement } from "better-sqlite3";

// The recorder turns a run's step events into rows of the store. Rows are written in
// batches, one transaction per batch (group commit), never one per step: a crash
// loses at most the unflushed batch, and the trace row, written first in its own
// transaction, says `running` until the run finishes, so an interrupted trace is
// found and marked incomplete the next time the store is opened.

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

/** A fresh id: tr_ for a trace; other prefixes name groups of traces (ex_ an execution, dbg_ a debug pair). */
export function newId(prefix = "tr", bytes = 8): string {
  return `${prefix}_${randomBytes(bytes).toString("hex")}`;
}

interface Statements {
  begin: Statement;
  step: Statement;
  call: Statement;
  checkpoint: Statement;
  progress: Statement;
  finish: Statement;
  abandon: Statement;
}

const statements = new WeakMap<TraceStore, Statements>();

function prepared(store: TraceStore): Statements {
  let s = statements.get(store);
  if (!s) {
    s = {
      begin: store.db.prepare(
        `INSERT INTO traces (id, node_id, node_file, content_hash, runtime, engine_backend, mode, status, inputs, seed, context, started_at,
           parent_id, fork_step, fork_change, group_id, role, writer_pid, writer_host)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      step: store.db.prepare(
        "INSERT INTO steps (trace_id, idx, step, op, line, col, event, duration_us, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      call: store.db.prepare(
        "INSERT INTO tool_calls (trace_id, seq, step_idx, step, tool, capability, args, ok, result, error, attempts, elapsed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      checkpoint: store.db.prepare("INSERT INTO checkpoints (trace_id, step_idx, state) VALUES (?, ?, ?)"),
      progress: store.db.prepare("UPDATE traces SET step_count = ?, last_hash = ? WHERE id = ?"),
      finish: store.db.prepare(
        "UPDATE traces SET status = ?, output = ?, failure = ?, final_state = ?, finished_at = ?, duration_us = ? WHERE id = ?",
      ),
      abandon: store.db.prepare("UPDATE traces SET status = 'incomplete', finished_at = ? WHERE id = ?"),
    };
    statements.set(store, s);
  }
  return s;
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
  private pending: StepRow[] = [];
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

  /** Handed to ExecutionContext.onRecord: collects the values each step receives. */
  readonly onRecord = this.received.onRecord;

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

  /** Writes the trace row (status running) in its own transaction and returns a recorder for its steps. */
  static begin(store: TraceStore, meta: TraceMeta, options: RecorderOptions = {}): TraceRecorder {
    const r = new TraceRecorder(store, meta, options);
    const n = meta.node.node;
    r.sql.begin.run(
      r.id,
      n.nodeId.value,
      resolve(n.file),
      n.contentHash,
      meta.runtime,
      meta.backend,
      meta.mode ?? null,
      JSON.stringify(encodeBindings(meta.inputs)),
      meta.seed,
      JSON.stringify(meta.context),
      Date.now(),
      meta.parentId ?? null,
      meta.forkStep ?? null,
      meta.forkChange === undefined ? null : JSON.stringify(meta.forkChange),
      meta.groupId ?? null,
      meta.role ?? null,
      process.pid,
      hostname(),
    );
    return r;
  }

  /** Records one step event; `durationUs` is the wall time the step took. */
  step(ev: StepEvent, durationUs: number): void {
    const { tape } = this.received;
    // Calls come from the context's hook; an observer fed events without one still records their effects.
    const calls = this.received.calls.length >= ev.effects.length ? this.received.calls : ev.effects;
    const json = eventJson(ev, tape, calls, this.keepBinding);
    this.totals.clock += tape.clock.length;
    this.totals.random += tape.random.length;
    this.received.clear();
    const row: StepRow = {
      trace_id: this.id,
      idx: ev.index,
      step: ev.step,
      op: ev.op,
      line: ev.location.line,
      col: ev.location.col,
      event: json,
      duration_us: Math.round(durationUs),
      hash: "",
    };
    row.hash = this.prevHash = stepHash(this.prevHash, row);
    this.pending.push(row);
    for (const e of calls) this.addCall(ev, encodeEffect(e));
    if (ev.transition) this.state = ev.transition.to;
    if ((ev.index + 1) % this.checkpointEvery === 0)
      this.pendingCheckpoints.push([this.id, ev.index, this.checkpoint()]);
    if (this.pending.length >= this.batchSize || performance.now() - this.lastFlush > this.flushAfterMs) this.flush();
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

  /** Writes the pending batch in one transaction. */
  flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    const calls = this.pendingCalls;
    const checkpoints = this.pendingCheckpoints;
    this.pending = [];
    this.pendingCalls = [];
    this.pendingCheckpoints = [];
    const sql = this.sql;
    this.store.db.transaction(() => {
      for (const r of rows)
        sql.step.run(r.trace_id, r.idx, r.step, r.op, r.line, r.col, r.event, r.duration_us, r.hash);
      for (const c of calls) sql.call.run(...c);
      for (const c of checkpoints) sql.checkpoint.run(...c);
      this.written += rows.length;
      sql.progress.run(this.written, this.prevHash, this.id);
    })();
    this.lastFlush = performance.now();
  }

  /** Flushes the last batch and writes the outcome. */
  finish(result: RunResult, durationUs: number): void {
    if (this.closed) return;
    this.flush();
    const r = encodeResult(result);
    this.sql.finish.run(
      r.status,
      r.output === undefined ? null : JSON.stringify(r.output),
      r.failure ? JSON.stringify(r.failure) : null,
      r.state ?? null,
      Date.now(),
      Math.round(durationUs),
      this.id,
    );
    this.closed = true;
  }

  /** The run ended without a result (an internal error): keep what was recorded, marked incomplete. */
  abandon(): void {
    if (this.closed) return;
    this.flush();
    this.sql.abandon.run(Date.now(), this.id);
    this.closed = true;
  }
}
