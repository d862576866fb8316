import { chainGenesis, sha256Hex } from "../store/hash-chain.js";

// Each step row's hash covers the row's content and the previous row's hash, so
// changing, removing or reordering any row breaks every hash after it. The first
// row chains from the trace id, so rows cannot be moved between traces either.
// The primitive itself lives in src/store/hash-chain.ts (the seed telemetry chains
// its events with it too); re-exported here so the trace code reads as before.

export { chainGenesis, chainHash } from "../store/hash-chain.js";

export function stepHash(
  prev: string,
  row: {
    trace_id: string;
    idx: number;
    step: string;
    op: string;
    line: number;
    col: number;
    event: string;
    duration_us: number;
  },
): string {
  return stepHashOf(prev, row.trace_id, row.idx, row.step, row.op, row.line, row.col, row.duration_us, row.event);
}

/** stepHash of a row given column by column (the recorder's hot path builds no row object). */
export function stepHashOf(
  prev: string,
  traceId: string,
  idx: number,
  step: string,
  op: string,
  line: number,
  col: number,
  durationUs: number,
  event: string,
): string {
  return sha256Hex(stepHashInput(prev, traceId, idx, step, op, line, col, durationUs, event));
}

/**
 * The text a step's hash is the sha256 of: what chainHash(prev, content) hashes,
 * the row's event last. The recorder hashes it and then stores the event as the
 * text's tail (`input.slice(input.length - event.length)`): hashing flattens the
 * text into one string, and a slice of it is bound to SQLite without flattening
 * the event's pieces a second time.
 */
export function stepHashInput(
  prev: string,
  traceId: string,
  idx: number,
  step: string,
  op: string,
  line: number,
  col: number,
  durationUs: number,
  event: string,
): string {
  return `${prev}\n${traceId}\n${idx}\n${step}\n${op}\n${line}:${col}\n${durationUs}\n${event}`;
}

export function genesisHash(traceId: string): string {
  return chainGenesis(`vesper trace ${traceId}`);
}
