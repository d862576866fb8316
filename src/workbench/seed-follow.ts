import type { EpochRecord, EventRecord, RunStatus, RunSummary } from "../seeds/records.js";
import {
  followedEpoch,
  followedEvent,
  followedRun,
  SEED_EPOCHS,
  SEED_EVENTS,
  SEED_RUNS,
} from "../seeds/telemetry-followed.js";
import { findRun, listRuns, type SeedRunRow } from "../seeds/telemetry-reader.js";
import { type Row, StoreCursor } from "../store/follow.js";
import { type StoreRef, withStore } from "./store-access.js";
import { type FollowerOptions, StoreFollower } from "./store-follower.js";

// Following seed runs live from another process than the trainer writing them
// (`veyra seeds watch`, the TUI's Seeds pane): an async iterable of typed events,
// or poll() on the caller's own timer, on the store's follow cursor
// (src/store/follow.ts: a read-only connection that asks PRAGMA data_version every
// pollMs and reads rows past a cursor only when another connection committed).
// A run is followed through its life: `run_started` when its row appears (or at
// once, from the start, for a run already there), `seed_event` and `epoch` for
// each row as the trainer commits its batch, in the order the trainer emitted
// them (their shared `ord`), and `run_finished` once the run leaves `running` and
// every row before that is reported. A run whose writer died (SIGKILL) finishes as
// `interrupted`: liveness is looked at about once a second while runs are open,
// even when nothing is committed.

export type SeedFollowEvent =
  | { kind: "run_started"; run: SeedRunRow }
  | { kind: "epoch"; runId: string; record: EpochRecord }
  | { kind: "seed_event"; runId: string; record: EventRecord }
  | { kind: "run_finished"; runId: string; status: Exclude<RunStatus, "running">; summary: RunSummary | null };

export interface SeedFollowOptions extends FollowerOptions {
  /** Only this run (its exact id). */
  run?: string;
  /** Follow only the first run that starts (after "now"), ignoring any other. */
  firstToStart?: boolean;
  /** End the iteration once the followed run (run, or firstToStart's) has finished. */
  untilFinished?: boolean;
}

/** How often open runs' writers are checked for life when nothing is committed. */
const LIVENESS_MS = 1_000;

/**
 * Opens the store for following (a missing file, or one that is not a store, is a
 * StoreError thrown here) and fixes "now". Iterate with for await; breaking out,
 * aborting the signal or close() ends it.
 */
export function followSeedRuns(store: StoreRef, options: SeedFollowOptions = {}): SeedRunFollow {
  return new SeedRunFollow(StoreCursor.open(typeof store === "string" ? store : store.path), options);
}

/**
 * What `veyra seeds watch [RUN]` follows: the named run from its start (an unknown
 * id is a StoreError, S106); without one, the newest running run from its start,
 * else the next run to start. It ends when that run finishes.
 */
export function watchSeedRun(
  store: StoreRef,
  options: { run?: string; pollMs?: number; signal?: AbortSignal } = {},
): SeedRunFollow {
  const target = withStore(
    store,
    (s) => s.read(() => (options.run !== undefined ? findRun(s, options.run) : listRuns(s, { status: "running" })[0])),
    { readonly: true },
  );
  const common = { pollMs: options.pollMs, signal: options.signal, untilFinished: true };
  return target
    ? followSeedRuns(store, { ...common, run: target.id, from: "start" })
    : followSeedRuns(store, { ...common, firstToStart: true });
}

interface OpenRun {
  row: SeedRunRow;
  /** When it was first seen: events of several runs in one look come grouped in this order. */
  order: number;
}

export class SeedRunFollow extends StoreFollower<SeedFollowEvent> {
  private runCursor = 0;
  private eventCursor = 0;
  private epochCursor = 0;
  private readonly open = new Map<string, OpenRun>();
  private target: string | undefined;
  private seen = 0;
  private lastLiveness = 0;

  constructor(
    cursor: StoreCursor,
    private readonly options: SeedFollowOptions,
  ) {
    super(cursor, options);
    this.target = options.run;
    this.begin(options.from, () => this.startNow());
  }

  /** The run followed, or undefined while it waits for the next to start (firstToStart) or follows every run. */
  get following(): string | undefined {
    return this.target;
  }

  /** Open runs' writers are looked at for life about once a second, even when nothing is committed. */
  protected override due(): boolean {
    return this.open.size > 0 && Date.now() - this.lastLiveness >= LIVENESS_MS;
  }

  /** With untilFinished, the followed run's end ends the follower. */
  protected override endsWith(events: readonly SeedFollowEvent[]): boolean {
    return (
      this.options.untilFinished === true && events.some((e) => e.kind === "run_finished" && e.runId === this.target)
    );
  }

  private wants(runId: string): boolean {
    return this.target === undefined ? !this.options.firstToStart : runId === this.target;
  }

  private startNow(): void {
    this.runCursor = this.cursor.top(SEED_RUNS);
    this.eventCursor = this.cursor.top(SEED_EVENTS);
    this.epochCursor = this.cursor.top(SEED_EPOCHS);
    const now = Date.now();
    for (const r of this.cursor.byKeys(SEED_RUNS, "status", ["running"])) {
      const row = followedRun(r, now);
      if (this.wants(row.id)) this.open.set(row.id, { row, order: this.seen++ });
    }
  }

  protected read(): SeedFollowEvent[] {
    const out: SeedFollowEvent[] = [];
    const now = Date.now();
    this.lastLiveness = now;
    const known = [...this.open.keys()];
    const fresh = new Map(this.cursor.byKeys(SEED_RUNS, "id", known).map((r) => [r.id as string, r]));
    for (const id of known) {
      const r = fresh.get(id);
      if (r) this.open.get(id)!.row = followedRun(r, now);
      else this.open.delete(id); // deleted while followed
    }
    const added = this.cursor.after(SEED_RUNS, this.runCursor, this.batch);
    this.full(added);
    for (const r of added) {
      this.runCursor = r.rowid as number;
      const { rowid: _rowid, ...row } = followedRun(r, now);
      if (this.target === undefined && this.options.firstToStart) this.target = row.id;
      if (!this.wants(row.id)) continue;
      out.push({ kind: "run_started", run: row });
      this.open.set(row.id, { row, order: this.seen++ });
    }
    const appended: { order: number; ord: number; event: SeedFollowEvent }[] = [];
    const take = (rows: Row[], toEvent: (row: Row) => { runId: string; ord: number; event: SeedFollowEvent }) => {
      for (const r of rows) {
        const e = toEvent(r);
        const run = this.open.get(e.runId);
        if (run) appended.push({ order: run.order, ord: e.ord, event: e.event });
      }
    };
    const events = this.cursor.after(SEED_EVENTS, this.eventCursor, this.batch);
    const epochs = this.cursor.after(SEED_EPOCHS, this.epochCursor, this.batch);
    const partial = this.full(events) || this.full(epochs);
    if (events.length) this.eventCursor = events[events.length - 1]!.id as number;
    if (epochs.length) this.epochCursor = epochs[epochs.length - 1]!.id as number;
    take(events, (r) => {
      const record = followedEvent(r);
      const { ord, id: _id, ...rest } = record;
      return { runId: record.runId, ord, event: { kind: "seed_event", runId: record.runId, record: rest } };
    });
    take(epochs, (r) => {
      const record = followedEpoch(r);
      const { ord, id: _id, ...rest } = record;
      return { runId: record.runId, ord, event: { kind: "epoch", runId: record.runId, record: rest } };
    });
    appended.sort((a, b) => a.order - b.order || a.ord - b.ord);
    for (const a of appended) out.push(a.event);
    // A run ends once every row before its end is reported (a full batch waits for the next look).
    if (!partial) {
      for (const [id, run] of this.open) {
        if (run.row.status === "running") continue;
        out.push({ kind: "run_finished", runId: id, status: run.row.status, summary: run.row.summary });
        this.open.delete(id);
      }
    }
    return out;
  }
}
