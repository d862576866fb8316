import type { RunStatus, RuntimeName } from "../runtime/protocol.js";

// A row of the traces table as stored (traces/001_initial.sql and later migrations):
// the one shape the reader, the recorder's seal and verify share.

export type TraceStatus = RunStatus | "running" | "incomplete";

export interface TraceRow {
  id: string;
  node_id: string;
  node_file: string;
  content_hash: string;
  runtime: RuntimeName;
  engine_backend: string;
  mode: string | null;
  status: TraceStatus;
  inputs: string;
  output: string | null;
  failure: string | null;
  final_state: string | null;
  seed: string;
  context: string;
  started_at: number;
  finished_at: number | null;
  duration_us: number | null;
  step_count: number;
  last_hash: string | null;
  parent_id: string | null;
  fork_step: number | null;
  fork_change: string | null;
  group_id: string | null;
  role: string | null;
  writer_pid: number | null;
  writer_host: string | null;
  /** When the writer last renewed its lease (epoch ms); absent in stores from before schema 4. */
  heartbeat_at?: number | null;
  /**
   * The trace's seal (seal.ts), kept in its row since schema 6; null in a trace
   * recorded before (its seal, if any, is a row of `seals`), absent in older stores.
   */
  seal_digests?: string | null;
  seal?: string | null;
  seal_mac?: string | null;
  seal_key_id?: string | null;
}
