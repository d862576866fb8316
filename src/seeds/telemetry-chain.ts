import { chainGenesis, chainHash } from "../store/hash-chain.js";
import type { EventRecord, SeedEvent } from "./records.js";

// A seed run's event rows as they are stored and hash-chained (the seed_events
// table of traces/005_seed_telemetry.sql). The chain is the store's generic one
// (src/store/hash-chain.ts, shared with the trace steps): each row's hash covers
// its content, its position and the previous row's hash, which the row also keeps
// (prev_hash), so a verifier can tell an edited row (its own hash fails) from a
// removed one (the next row's prev_hash names a hash no row has) and from a row
// moved to another position (its hash holds at the position it was written at).
// The body is JSON in which a non-finite number (a NaN loss the breaker tripped
// on) is the string "NaN", "Infinity" or "-Infinity", read back as that number.

export interface EventRow {
  run_id: string;
  seq: number;
  ord: number;
  series: string;
  epoch: number;
  kind: string;
  seed_id: string | null;
  at: number;
  body: string;
  prev_hash: string;
  hash: string;
}

export function runGenesis(runId: string): string {
  return chainGenesis(`vesper seed run ${runId}`);
}

/** The hash of an event row at position `seq` after `prev` (its stored hash, when nothing changed). */
export function eventHash(
  prev: string,
  row: Pick<EventRow, "run_id" | "seq" | "series" | "epoch" | "kind" | "seed_id" | "at" | "body">,
): string {
  return chainHash(
    prev,
    `${row.run_id}\n${row.seq}\n${row.series}\n${row.epoch}\n${row.kind}\n${row.seed_id ?? ""}\n${row.at}\n${row.body}`,
  );
}

/** The seed an event is about, if any (indexed, so a seed's timeline reads only its rows). */
export function seedIdOf(event: SeedEvent): string | null {
  if ("seedId" in event) return event.seedId;
  if (event.kind === "command" && "seedId" in event.command) return event.command.seedId;
  return null;
}

/** The event row for a record at chain position `seq` with emission order `ord`, chained after `prev`. */
export function eventRow(record: EventRecord, seq: number, ord: number, prev: string): EventRow {
  const base = {
    run_id: record.runId,
    seq,
    ord,
    series: record.series,
    epoch: record.epoch,
    kind: record.event.kind,
    seed_id: seedIdOf(record.event),
    at: record.at,
    body: encodeJson(record.event),
    prev_hash: prev,
  };
  return { ...base, hash: eventHash(prev, base) };
}

const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** JSON with NaN and ±Infinity kept (as strings). */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

/** JSON written by encodeJson, its non-finite numbers restored. */
export function decodeJson<T>(text: string): T {
  return JSON.parse(text, (_key, v) =>
    typeof v === "string" && Object.hasOwn(NON_FINITE, v) ? NON_FINITE[v] : v,
  ) as T;
}
