import type { FollowedTable } from "../store/follow.js";
import type { TraceStatus } from "./reader.js";

// The trace tables a follower reads (src/store/follow.ts has the cursor
// mechanics), each with the column its cursor counts on, and the rows they give.
// traces: new rows by rowid (rowids of a rowid table only grow while no row is
// deleted from the top, and gc never deletes a running trace, which is the newest
// kind); a trace's status and step count change in place, so a follower reads the
// rows of the traces it has open again by id. steps: WITHOUT ROWID, so the cursor
// is idx within one trace. divergences and mode_changes: append-only, by id.
// A new followed table (seed telemetry, say) is one more entry like these.

export const TRACES = {
  table: "traces",
  cursor: "rowid",
  columns: [
    "id",
    "node_id",
    "node_file",
    "runtime",
    "engine_backend",
    "mode",
    "status",
    "started_at",
    "finished_at",
    "duration_us",
    "step_count",
    "parent_id",
    "fork_step",
    "group_id",
    "role",
  ],
} as const satisfies FollowedTable;

/** A traces row as a follower reads it (no inputs, outputs or context: `vesper traces show` has those). */
export interface FollowedTraceRow {
  rowid: number;
  id: string;
  node_id: string;
  node_file: string;
  runtime: "reference" | "direct";
  engine_backend: string;
  mode: string | null;
  status: TraceStatus;
  started_at: number;
  finished_at: number | null;
  duration_us: number | null;
  step_count: number;
  parent_id: string | null;
  fork_step: number | null;
  group_id: string | null;
  role: string | null;
}

export const STEPS = {
  table: "steps",
  cursor: "idx",
  partition: "trace_id",
  columns: ["trace_id", "idx", "step", "op", "line", "col", "event", "duration_us"],
} as const satisfies FollowedTable;

export interface FollowedStepRow {
  trace_id: string;
  idx: number;
  step: string;
  op: string;
  line: number;
  col: number;
  /** The step's event as JSON (see EncodedEvent in step-codec.ts). */
  event: string;
  duration_us: number;
}

export const DIVERGENCES = {
  table: "divergences",
  cursor: "id",
  columns: ["id", "node_id", "source", "trace_id", "other_trace_id", "step_idx", "diffs", "created_at"],
} as const satisfies FollowedTable;

export interface FollowedDivergenceRow {
  id: number;
  node_id: string;
  source: string;
  trace_id: string | null;
  other_trace_id: string | null;
  step_idx: number | null;
  /** JSON [{path, expected, actual, reason}]. */
  diffs: string;
  created_at: number;
}

export const MODE_CHANGES = {
  table: "mode_changes",
  cursor: "id",
} as const satisfies FollowedTable;
