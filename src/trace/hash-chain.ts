import { createHash } from "node:crypto";

// Each step row's hash covers the row's content and the previous row's hash, so
// changing, removing or reordering any row breaks every hash after it. The first
// row chains from the trace id, so rows cannot be moved between traces either.

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
  // One update of one string: the per-call overhead of the hash object is most of the cost.
  return createHash("sha256")
    .update(
      `${prev}\n${row.trace_id}\n${row.idx}\n${row.step}\n${row.op}\n${row.line}:${row.col}\n${row.duration_us}\n${row.event}`,
    )
    .digest("hex");
}

export function genesisHash(traceId: string): string {
  return createHash("sha256").update(`vesper trace ${traceId}`).digest("hex");
}
