import type { DiffEntry } from "../exec/comparator.js";
import type { RuntimeName } from "../runtime/protocol.js";
import { type FollowedTable, type Row, StoreCursor } from "../store/follow.js";
import {
  DIVERGENCES,
  type FollowedDivergenceRow,
  type FollowedStepRow,
  type FollowedTraceRow,
  MODE_CHANGES,
  STEPS,
  TRACES,
} from "../trace/followed-tables.js";
import { type ModeChange, type ModeChangeRow, modeChangeOf } from "../trace/mode-tables.js";
import type { TraceStatus } from "../trace/reader.js";
import type { EncodedEvent } from "../trace/step-codec.js";
import { type FollowerOptions, StoreFollower } from "./store-follower.js";

export { DEFAULT_POLL_MS } from "./store-follower.js";

// Following a trace store live, from another process than the one writing it
// (`vesper traces follow`, the TUI, `veyra seeds watch`): an async iterable of typed
// events, each row reported once; rows of one table in the order they were
// committed (the store keeps no order across tables: one look reports new traces,
// then the open traces' steps and ends, then each appended table in turn). It polls
// PRAGMA data_version every `pollMs` (15 ms by default) on a read-only connection
// and reads tables only when another connection committed something, past a
// cursor per table (src/store/follow.ts): idle, it costs one pragma per poll.
//
// Traces are followed through their life: `trace_started` when the row appears,
// `step` for each step row as the writer commits its batch (a recorder flushes at
// least every 250 ms while running), `trace_finished` once its status is final and
// every step before it has been reported. Append-only tables become events through
// APPENDED_SOURCES: divergences and controller mode changes today; the seeds work
// adds its telemetry tables there, one entry each.
//
// Starting "now" (the default) reports what is committed after followStore()
// returns; traces already running then report their later steps and their end
// (no trace_started). Starting from "start" replays the whole store first.

export interface TraceStarted {
  kind: "trace_started";
  traceId: string;
  nodeId: string;
  nodeFile: string;
  runtime: RuntimeName;
  engineBackend: string;
  /** The executor's mode, or null for a replay or debug run. */
  mode: string | null;
  /** Epoch ms. */
  startedAt: number;
  parentId: string | null;
  forkStep: number | null;
  groupId: string | null;
  role: string | null;
}

export interface StepCommitted {
  kind: "step";
  traceId: string;
  nodeId: string;
  /** 0 is `enter`. */
  index: number;
  step: string;
  op: string;
  line: number;
  col: number;
  durationUs: number;
  /** False when the step failed and nothing recovered it. */
  ok: boolean;
  error: { code: string; message: string } | null;
  /** Names of the bindings the step changed. */
  changed: string[];
  calls: { tool: string; ok: boolean }[];
  transition: { from: string; to: string } | null;
}

export interface TraceFinished {
  kind: "trace_finished";
  traceId: string;
  nodeId: string;
  /** Final: a result, or incomplete (the writer died and a later open marked it). */
  status: Exclude<TraceStatus, "running">;
  /** Flow steps (as vesper run counts them: step rows less `enter`). */
  steps: number;
  stepRows: number;
  durationUs: number | null;
  finishedAt: number | null;
}

export interface DivergenceFound {
  kind: "divergence";
  id: number;
  nodeId: string;
  /** Where the runtimes were compared: test, aa, or an execution mode. */
  source: string;
  traceId: string | null;
  otherTraceId: string | null;
  step: number | null;
  diffs: DiffEntry[];
  at: number;
}

export interface ModeChanged {
  kind: "mode_change";
  id: number;
  nodeId: string;
  change: ModeChange;
}

export type FollowEvent = TraceStarted | StepCommitted | TraceFinished | DivergenceFound | ModeChanged;

/** An append-only table followed by cursor, and how its rows become events. */
export interface AppendedSource {
  table: FollowedTable;
  event(row: Row): FollowEvent;
}

export const APPENDED_SOURCES: readonly AppendedSource[] = [
  {
    table: DIVERGENCES,
    event: (row) => {
      const r = row as unknown as FollowedDivergenceRow;
      return {
        kind: "divergence",
        id: r.id,
        nodeId: r.node_id,
        source: r.source,
        traceId: r.trace_id,
        otherTraceId: r.other_trace_id,
        step: r.step_idx,
        diffs: JSON.parse(r.diffs) as DiffEntry[],
        at: r.created_at,
      };
    },
  },
  {
    table: MODE_CHANGES,
    event: (row) => {
      const r = row as unknown as ModeChangeRow;
      return { kind: "mode_change", id: r.id, nodeId: r.node_id, change: modeChangeOf(r) };
    },
  },
];

export interface FollowOptions extends FollowerOptions {
  /** Only events of this node id. */
  node?: string;
  /** Report step rows (default true); without, traces still start and finish. */
  steps?: boolean;
  /** The append-only tables to follow (default APPENDED_SOURCES). */
  sources?: readonly AppendedSource[];
}

interface OpenTrace {
  row: FollowedTraceRow;
  /** The last step index reported. */
  lastStep: number;
}

/**
 * Opens the store at `path` for following (a missing file or a file that is not a
 * store is a StoreError, thrown here) and fixes "now". Iterate the result with
 * for await; breaking out of the loop, aborting the signal or close() ends it.
 */
export function followStore(path: string, options: FollowOptions = {}): StoreFollow {
  return new StoreFollow(StoreCursor.open(path), options);
}

export class StoreFollow extends StoreFollower<FollowEvent> {
  private traceCursor = 0;
  private readonly open = new Map<string, OpenTrace>();
  private readonly appended: { source: AppendedSource; cursor: number }[];
  private readonly steps: boolean;

  constructor(
    cursor: StoreCursor,
    private readonly options: FollowOptions,
  ) {
    super(cursor, options);
    this.steps = options.steps ?? true;
    this.appended = (options.sources ?? APPENDED_SOURCES).map((source) => ({ source, cursor: 0 }));
    this.begin(options.from, () => this.startNow());
  }

  /** "Now": every cursor at the top; traces running now are followed from their last committed step. */
  private startNow(): void {
    this.traceCursor = this.cursor.top(TRACES);
    for (const a of this.appended) a.cursor = this.cursor.top(a.source.table);
    const running = this.cursor
      .byKeys(TRACES, "status", ["running"])
      .map((r) => r as unknown as FollowedTraceRow)
      .filter((r) => this.wants(r.node_id));
    for (const row of running) this.open.set(row.id, { row, lastStep: row.step_count - 1 });
  }

  private wants(nodeId: string): boolean {
    return this.options.node === undefined || nodeId === this.options.node;
  }

  protected read(): FollowEvent[] {
    const events: FollowEvent[] = [];
    // Traces open before this look may have moved on: read their rows again.
    const known = [...this.open.keys()];
    const fresh = new Map(
      this.cursor.byKeys(TRACES, "id", known).map((r) => [r.id as string, r as unknown as FollowedTraceRow]),
    );
    for (const id of known) {
      const row = fresh.get(id);
      if (row) this.open.get(id)!.row = row;
      else this.open.delete(id); // deleted (gc) while followed
    }
    const added = this.cursor.after(TRACES, this.traceCursor, this.batch) as unknown as FollowedTraceRow[];
    this.full(added);
    for (const row of added) {
      this.traceCursor = row.rowid;
      if (!this.wants(row.node_id)) continue;
      events.push(started(row));
      this.open.set(row.id, { row, lastStep: -1 });
    }
    for (const [id, t] of this.open) {
      if (this.steps && t.row.step_count - 1 > t.lastStep) {
        const rows = this.cursor.after(STEPS, t.lastStep, this.batch, id) as unknown as FollowedStepRow[];
        for (const s of rows) {
          t.lastStep = s.idx;
          events.push(stepEvent(t.row, s));
        }
        if (this.full(rows)) continue; // its end waits until every step is reported
      }
      if (t.row.status !== "running") {
        events.push(finished(t.row));
        this.open.delete(id);
      }
    }
    for (const a of this.appended) {
      const rows = this.cursor.after(a.source.table, a.cursor, this.batch);
      this.full(rows);
      for (const row of rows) {
        a.cursor = row[a.source.table.cursor] as number;
        const e = a.source.event(row);
        if (this.wants(e.nodeId)) events.push(e);
      }
    }
    return events;
  }
}

function started(r: FollowedTraceRow): TraceStarted {
  return {
    kind: "trace_started",
    traceId: r.id,
    nodeId: r.node_id,
    nodeFile: r.node_file,
    runtime: r.runtime,
    engineBackend: r.engine_backend,
    mode: r.mode,
    startedAt: r.started_at,
    parentId: r.parent_id,
    forkStep: r.fork_step,
    groupId: r.group_id,
    role: r.role,
  };
}

function stepEvent(t: FollowedTraceRow, s: FollowedStepRow): StepCommitted {
  const e = JSON.parse(s.event) as EncodedEvent;
  const error = e.error ? { code: e.error.code, message: e.error.message } : null;
  return {
    kind: "step",
    traceId: t.id,
    nodeId: t.node_id,
    index: s.idx,
    step: s.step,
    op: s.op,
    line: s.line,
    col: s.col,
    durationUs: s.duration_us,
    ok: error === null || e.recovered !== undefined,
    error,
    changed: e.changed.map(([name]) => name),
    calls: [...e.effects, ...(e.unlisted ?? [])].map((c) => ({ tool: c.tool, ok: c.ok })),
    transition: e.transition ?? null,
  };
}

function finished(r: FollowedTraceRow): TraceFinished {
  return {
    kind: "trace_finished",
    traceId: r.id,
    nodeId: r.node_id,
    status: r.status as TraceFinished["status"],
    steps: Math.max(0, r.step_count - 1),
    stepRows: r.step_count,
    durationUs: r.duration_us,
    finishedAt: r.finished_at,
  };
}
