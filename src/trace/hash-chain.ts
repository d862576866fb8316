import { chainGenesis, chainHash } from "../store/hash-chain.js";

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
  return chainHash(prev, `${traceId}\n${idx}\n${step}\n${op}\n${line}:${col}\n${durationUs}\n${event}`);
}

export function genesisHash(traceId: string): string {
  return chainGenesis(`vesper trace ${traceId}`);
}
