import type { TraceStore } from "../store/store.js";
import type { Value } from "../values/values.js";
import { decodeValue, type Encoded } from "./value-codec.js";

// The replies a node's calls of one tool received in recorded traces, oldest trace
// first: what `vesper test --tools recorded` serves back, so a test sees the
// answers production actually got.

export interface RecordedCallReply {
  ok: boolean;
  result?: Value;
  error?: { code: string; message: string };
  elapsedMs: number;
}

export function recordedReplies(store: TraceStore, nodeId: string, tool: string, limit = 10_000): RecordedCallReply[] {
  const rows = store.db
    .prepare(
      `SELECT c.ok, c.result, c.error, c.elapsed_ms FROM tool_calls c JOIN traces t ON t.id = c.trace_id
       WHERE t.node_id = ? AND c.tool = ? ORDER BY c.trace_id, c.seq LIMIT ?`,
    )
    .all(nodeId, tool, limit) as { ok: number; result: string | null; error: string | null; elapsed_ms: number }[];
  return rows.map((r) => ({
    ok: r.ok === 1,
    result: r.result === null ? undefined : decodeValue(JSON.parse(r.result) as Encoded),
    error: r.error === null ? undefined : (JSON.parse(r.error) as { code: string; message: string }),
    elapsedMs: r.elapsed_ms,
  }));
}
