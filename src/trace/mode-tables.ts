import type { Mode } from "../runtime/mode-names.js";
import type { TraceStore } from "../store/store.js";

// The migration controller's tables (traces/002_verify.sql): node_modes holds each
// node's mode now, mode_changes every change with why (append-only: its id only
// grows, which is what a follower's cursor counts on). The types mirror the
// tables' CHECK constraints; the decisions are src/verify/controller.ts's.

export type Policy = "pinned" | "auto";
export type ChangeKind = "set" | "auto" | "promote" | "demote" | "rollback";

export interface ModeState {
  nodeId: string;
  mode: Mode;
  policy: Policy;
  reason: string;
  updatedAt: number;
  epochCompared: number;
  epochAgreed: number;
  /** The version the epoch counts refer to; evidence of another version starts its own epoch at zero. */
  epochHash: string;
}

export interface ModeChange {
  nodeId: string;
  from: Mode | null;
  to: Mode;
  policy: Policy;
  kind: ChangeKind;
  reason: string;
  confidence: number | null;
  at: number;
}

interface ModeRow {
  node_id: string;
  mode: string;
  policy: string;
  reason: string;
  updated_at: number;
  epoch_compared: number;
  epoch_agreed: number;
  epoch_hash: string;
}

/** A mode_changes row as stored. */
export interface ModeChangeRow {
  id: number;
  node_id: string;
  from_mode: string | null;
  to_mode: string;
  policy: string;
  kind: string;
  reason: string;
  confidence: number | null;
  created_at: number;
}

export function readModeState(store: TraceStore, nodeId: string): ModeState | undefined {
  const r = store.db.prepare("SELECT * FROM node_modes WHERE node_id = ?").get(nodeId) as ModeRow | undefined;
  if (!r) return undefined;
  return {
    nodeId,
    mode: r.mode as Mode,
    policy: r.policy as Policy,
    reason: r.reason,
    updatedAt: r.updated_at,
    epochCompared: r.epoch_compared,
    epochAgreed: r.epoch_agreed,
    epochHash: r.epoch_hash,
  };
}

/** A mode_changes row as a ModeChange. */
export function modeChangeOf(r: ModeChangeRow): ModeChange {
  return {
    nodeId: r.node_id,
    from: (r.from_mode as Mode | null) ?? null,
    to: r.to_mode as Mode,
    policy: r.policy as Policy,
    kind: r.kind as ChangeKind,
    reason: r.reason,
    confidence: r.confidence ?? null,
    at: r.created_at,
  };
}

/** The node's latest changes, newest first. */
export function readModeHistory(store: TraceStore, nodeId: string, limit = 10): ModeChange[] {
  const rows = store.db
    .prepare("SELECT * FROM mode_changes WHERE node_id = ? ORDER BY id DESC LIMIT ?")
    .all(nodeId, limit) as ModeChangeRow[];
  return rows.map(modeChangeOf);
}

/** Writes the node's new state and the change that led to it (the caller holds the transaction). */
export function saveModeChange(store: TraceStore, state: ModeState, change: ModeChange): ModeChange {
  store.db
    .prepare(
      `INSERT INTO node_modes (node_id, mode, policy, reason, updated_at, epoch_compared, epoch_agreed, epoch_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (node_id) DO UPDATE SET mode = excluded.mode, policy = excluded.policy, reason = excluded.reason,
       updated_at = excluded.updated_at, epoch_compared = excluded.epoch_compared, epoch_agreed = excluded.epoch_agreed,
       epoch_hash = excluded.epoch_hash`,
    )
    .run(
      state.nodeId,
      state.mode,
      state.policy,
      state.reason,
      state.updatedAt,
      state.epochCompared,
      state.epochAgreed,
      state.epochHash,
    );
  store.db
    .prepare(
      "INSERT INTO mode_changes (node_id, from_mode, to_mode, policy, kind, reason, confidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(
      change.nodeId,
      change.from,
      change.to,
      change.policy,
      change.kind,
      change.reason,
      change.confidence,
      change.at,
    );
  return change;
}
