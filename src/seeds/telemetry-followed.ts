import type { FollowedTable, Row } from "../store/follow.js";
import type { EpochRecord, EventRecord } from "./records.js";
import { epochOf, eventOf, runOf, type SeedRunRow } from "./telemetry-reader.js";

// The seed tables a follower reads (src/store/follow.ts has the cursor mechanics;
// src/trace/followed-tables.ts is the same for the trace tables), each with the
// column its cursor counts on, and the records their rows become. seed_runs: new
// rows by rowid; a run's status, heartbeat and counts change in place, so a
// follower reads the rows of the runs it has open again by id. seed_events and
// seed_epochs: appended by id (INTEGER PRIMARY KEY AUTOINCREMENT: a resumed run's
// dropped rows leave ids that are never reused, so the cursor only grows). Both carry
// `ord`, the run's emission order across the two tables.

export const SEED_RUNS = {
  table: "seed_runs",
  cursor: "rowid",
} as const satisfies FollowedTable;

export const SEED_EVENTS = {
  table: "seed_events",
  cursor: "id",
  columns: ["id", "run_id", "seq", "ord", "series", "epoch", "at", "body"],
} as const satisfies FollowedTable;

export const SEED_EPOCHS = {
  table: "seed_epochs",
  cursor: "id",
} as const satisfies FollowedTable;

/** A seed_runs row as a follower reads it (with its rowid), as the reader's SeedRunRow. */
export function followedRun(row: Row, now = Date.now()): SeedRunRow & { rowid: number } {
  return { ...runOf(row as unknown as Parameters<typeof runOf>[0], now), rowid: row.rowid as number };
}

export function followedEvent(row: Row): EventRecord & { ord: number; id: number } {
  return { ...eventOf(row as unknown as Parameters<typeof eventOf>[0]), id: row.id as number };
}

export function followedEpoch(row: Row): EpochRecord & { ord: number; id: number } {
  return { ...epochOf(row as unknown as Parameters<typeof epochOf>[0]), id: row.id as number };
}
