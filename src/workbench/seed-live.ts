import type { EpochRecord } from "../seeds/records.js";
import { type SeedFollowEvent, type SeedRunFollow, followSeedRuns } from "./seed-follow.js";
import {
  listSeedRuns,
  type SeedRunListItem,
  type SeedRunView,
  type SeedTimelineEntry,
  seedRunView,
  showSeedRun,
} from "./seed-runs.js";
import type { StoreRef } from "./store-access.js";

// Seed runs kept up to date from the follow reader, for a screen that shows them
// live (the TUI's Seeds pane): the runs list and one run's story are read once,
// then every followed event is folded into them (pure functions below), so a
// running run costs a look at the store's data_version per poll and the new rows,
// never a re-read of everything. The follow is opened BEFORE the first read, so a
// row committed in between arrives twice (once read, once followed) and is
// dropped by its key (an event's seq, an epoch's series and number), never lost.

/** The list with the followed events in it: a new run on top, epochs and ends updating their run's line. */
export function foldSeedRunList(
  items: readonly SeedRunListItem[],
  events: readonly SeedFollowEvent[],
): SeedRunListItem[] {
  let out = [...items];
  for (const e of events) {
    if (e.kind === "run_started") {
      if (out.some((r) => r.id === e.run.id)) continue;
      out = [{ ...e.run, finalTestAccuracy: null, baselineTestAccuracy: null, seeds: [] }, ...out];
      continue;
    }
    const i = out.findIndex((r) => r.id === e.runId);
    if (i < 0) continue;
    const r = out[i]!;
    if (e.kind === "epoch") {
      const rec = e.record;
      out[i] =
        rec.series === "seeded"
          ? {
              ...r,
              epochsDone: Math.max(r.epochsDone, rec.epoch),
              finalTestAccuracy: rec.testAccuracy,
              seeds: rec.seeds,
            }
          : { ...r, baselineTestAccuracy: rec.testAccuracy };
    } else if (e.kind === "seed_event") {
      out[i] = { ...r, eventCount: Math.max(r.eventCount, e.record.seq + 1) };
    } else {
      out[i] = { ...r, status: e.status, summary: e.summary ?? r.summary };
    }
  }
  return out;
}

/** Every event of a view, in chain order. */
export function viewEntries(view: SeedRunView): SeedTimelineEntry[] {
  return [...view.runEvents, ...view.seeds.flatMap((s) => s.entries)].sort((a, b) => a.seq - b.seq);
}

/**
 * The run's story with the followed events of that run folded in: events by seq
 * (one already there is skipped), epochs by series and number (a rewritten one,
 * after a resume, replaces the old), the run's status at its end.
 */
export function foldSeedRunView(view: SeedRunView, events: readonly SeedFollowEvent[]): SeedRunView {
  const id = view.run.id;
  const mine = events.filter((e) => (e.kind === "run_started" ? e.run.id === id : e.runId === id));
  if (mine.length === 0) return view;
  let run = view.run;
  const entries = viewEntries(view);
  const seqs = new Set(entries.map((e) => e.seq));
  const epochs = new Map<string, EpochRecord>();
  for (const e of [...view.epochs.seeded, ...view.epochs.baseline]) epochs.set(`${e.series}:${e.epoch}`, e);
  for (const e of mine) {
    if (e.kind === "seed_event") {
      const { seq, epoch, series, at, event } = e.record;
      if (seqs.has(seq)) continue;
      seqs.add(seq);
      entries.push({ seq, epoch, series, at, event });
    } else if (e.kind === "epoch") {
      epochs.set(`${e.record.series}:${e.record.epoch}`, e.record);
    } else if (e.kind === "run_started") {
      run = { ...run, ...e.run };
    } else {
      run = { ...run, status: e.status, summary: e.summary ?? run.summary };
    }
  }
  entries.sort((a, b) => a.seq - b.seq);
  const ordered = [...epochs.values()].sort((a, b) => a.epoch - b.epoch);
  const seededDone = ordered.filter((e) => e.series === "seeded").length;
  run = {
    ...run,
    epochsDone: Math.max(run.epochsDone, seededDone),
    eventCount: Math.max(run.eventCount, entries.length),
  };
  return seedRunView(run, ordered, entries, view.steps, view.checkpoint);
}

/**
 * The store's seed runs, live: `list` (newest first) and, once `open(id)` is
 * called, `view` of that run; `poll()` folds what was committed since the last
 * look and says whether anything changed. A missing store, or one without seed
 * runs yet, is an empty list (the follow waits for the file's first run).
 */
export class SeedRunsLive {
  list: SeedRunListItem[];
  view: SeedRunView | null = null;
  private constructor(
    private readonly store: StoreRef,
    private readonly follow: SeedRunFollow,
  ) {
    this.list = listSeedRuns(store);
  }

  static open(store: StoreRef, options: { pollMs?: number } = {}): SeedRunsLive {
    // Opened first: "now" is fixed before the list and any run are read.
    const follow = followSeedRuns(store, { from: "now", pollMs: options.pollMs });
    try {
      return new SeedRunsLive(store, follow);
    } catch (err) {
      follow.close();
      throw err;
    }
  }

  /** Reads one run's story (an id or a unique prefix; an unknown one is a StoreError, S106) and keeps it live. */
  open(runId: string): SeedRunView {
    this.view = showSeedRun(this.store, runId);
    return this.view;
  }

  /** Stops keeping a run's story (the list stays live). */
  shut(): void {
    this.view = null;
  }

  /** One look at the store: true when the list or the open run changed. */
  poll(): boolean {
    const events = this.follow.poll();
    if (events.length === 0) return false;
    this.list = foldSeedRunList(this.list, events);
    if (this.view) this.view = foldSeedRunView(this.view, events);
    return true;
  }

  close(): void {
    this.follow.close();
  }
}
