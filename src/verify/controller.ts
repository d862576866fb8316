import type Database from "better-sqlite3";
import type { Mode } from "../exec/mode-names.js";
import { confidenceOf, evidenceOf, type Evidence } from "./evidence-store.js";
import { THRESHOLDS, controllerTarget, demoted, rank } from "./recommend.js";
import type { WilsonOptions } from "./wilson.js";

// The migration controller: each node's mode and who decides it. Pinned, a person
// decided and nothing moves it. Auto, the controller promotes the node as the
// confidence rises, demotes it when the confidence falls below its mode's
// threshold, and rolls it back one level at once on a divergence seen while the
// direct runtime was answering (canary_direct, direct_only). After a rollback,
// promotion counts only the comparisons made since: the evidence that let the
// node climb did not see the input that just diverged, so it has to climb again.

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

/** Modes in which the direct runtime's answer reaches the caller unchecked: a divergence there is a rollback. */
export const ANSWERING_MODES: readonly Mode[] = ["canary_direct", "direct_only"];

export function modeState(db: Database.Database, nodeId: string): ModeState | undefined {
  const r = db.prepare("SELECT * FROM node_modes WHERE node_id = ?").get(nodeId) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  return {
    nodeId,
    mode: r.mode as Mode,
    policy: r.policy as Policy,
    reason: r.reason as string,
    updatedAt: r.updated_at as number,
    epochCompared: r.epoch_compared as number,
    epochAgreed: r.epoch_agreed as number,
  };
}

export function history(db: Database.Database, nodeId: string, limit = 10): ModeChange[] {
  const rows = db
    .prepare("SELECT * FROM mode_changes WHERE node_id = ? ORDER BY id DESC LIMIT ?")
    .all(nodeId, limit) as Record<string, unknown>[];
  return rows.map((r) => ({
    nodeId,
    from: (r.from_mode as Mode | null) ?? null,
    to: r.to_mode as Mode,
    policy: r.policy as Policy,
    kind: r.kind as ChangeKind,
    reason: r.reason as string,
    confidence: (r.confidence as number | null) ?? null,
    at: r.created_at as number,
  }));
}

function save(db: Database.Database, state: ModeState, change: ModeChange): ModeChange {
  db.prepare(
    `INSERT INTO node_modes (node_id, mode, policy, reason, updated_at, epoch_compared, epoch_agreed) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (node_id) DO UPDATE SET mode = excluded.mode, policy = excluded.policy, reason = excluded.reason,
       updated_at = excluded.updated_at, epoch_compared = excluded.epoch_compared, epoch_agreed = excluded.epoch_agreed`,
  ).run(state.nodeId, state.mode, state.policy, state.reason, state.updatedAt, state.epochCompared, state.epochAgreed);
  db.prepare(
    "INSERT INTO mode_changes (node_id, from_mode, to_mode, policy, kind, reason, confidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  ).run(change.nodeId, change.from, change.to, change.policy, change.kind, change.reason, change.confidence, change.at);
  return change;
}

function change(
  db: Database.Database,
  prev: ModeState | undefined,
  next: Omit<ModeState, "updatedAt">,
  kind: ChangeKind,
  confidence: number | null,
  at: number,
): ModeChange {
  const state = { ...next, updatedAt: at };
  return save(db, state, {
    nodeId: next.nodeId,
    from: prev?.mode ?? null,
    to: next.mode,
    policy: next.policy,
    kind,
    reason: next.reason,
    confidence,
    at,
  });
}

/** Pins a mode: the controller will not move the node until it is handed back with auto. */
export function pin(
  db: Database.Database,
  nodeId: string,
  mode: Mode,
  options: WilsonOptions = {},
  at = Date.now(),
): ModeChange {
  return db
    .transaction(() => {
      const prev = modeState(db, nodeId);
      const confidence = confidenceOf(evidenceOf(db, nodeId), options);
      const reason = `pinned by vesper mode --set ${mode}`;
      return change(
        db,
        prev,
        {
          nodeId,
          mode,
          policy: "pinned",
          reason,
          epochCompared: prev?.epochCompared ?? 0,
          epochAgreed: prev?.epochAgreed ?? 0,
        },
        "set",
        confidence,
        at,
      );
    })
    .immediate();
}

/** Hands the node to the controller, which places it at once by the evidence so far. */
export function automate(
  db: Database.Database,
  nodeId: string,
  options: WilsonOptions = {},
  at = Date.now(),
): ModeChange[] {
  return db
    .transaction(() => {
      const prev = modeState(db, nodeId);
      const evidence = evidenceOf(db, nodeId);
      const confidence = confidenceOf(evidence, options);
      const start = prev?.mode ?? "reference_only";
      const handed = change(
        db,
        prev,
        {
          nodeId,
          mode: start,
          policy: "auto",
          reason: "handed to the controller by vesper mode --auto",
          epochCompared: prev?.epochCompared ?? 0,
          epochAgreed: prev?.epochAgreed ?? 0,
        },
        "auto",
        confidence,
        at,
      );
      const moved = reevaluate(db, nodeId, options, at);
      return moved ? [handed, moved] : [handed];
    })
    .immediate();
}

/**
 * For a node on auto: promote it to what the confidence supports (counting only
 * evidence since the last rollback), or demote it when the confidence over all
 * evidence no longer supports its mode. Returns the change, if any.
 */
export function reevaluate(
  db: Database.Database,
  nodeId: string,
  options: WilsonOptions = {},
  at = Date.now(),
): ModeChange | undefined {
  const state = modeState(db, nodeId);
  if (state?.policy !== "auto") return undefined;
  const all = evidenceOf(db, nodeId);
  const overall = confidenceOf(all, options);
  const epoch = { compared: all.compared - state.epochCompared, agreed: all.agreed - state.epochAgreed };
  const recent = confidenceOf(epoch, options);
  const ceiling = controllerTarget(overall);
  const up = [controllerTarget(recent), ceiling].sort((a, b) => rank(a) - rank(b))[0]!;
  const sinceRollback = state.epochCompared > 0 ? " since the last rollback" : "";
  if (rank(up) > rank(state.mode)) {
    const reason =
      up === "shadow_direct"
        ? `confidence ${fmt(recent)} over ${epoch.compared} comparisons${sinceRollback} is below the canary threshold ${THRESHOLDS.canary_direct}: shadowing to collect comparisons`
        : `confidence ${fmt(recent)} over ${epoch.compared} comparisons${sinceRollback} reached ${thresholdText(up)}`;
    return change(db, state, { ...state, mode: up, reason }, "promote", recent, at);
  }
  if (rank(ceiling) < rank(state.mode)) {
    const reason = `confidence ${fmt(overall)} over ${all.compared} comparisons fell below ${thresholdText(state.mode)}`;
    return change(db, state, { ...state, mode: ceiling, reason }, "demote", overall, at);
  }
  return undefined;
}

/**
 * A divergence while the direct runtime was answering, on a node on auto whose mode
 * lets it answer: one level down, at once, and a new evidence epoch.
 */
export function rollback(
  db: Database.Database,
  nodeId: string,
  why: string,
  options: WilsonOptions = {},
  at = Date.now(),
): ModeChange | undefined {
  const state = modeState(db, nodeId);
  if (state?.policy !== "auto" || !ANSWERING_MODES.includes(state.mode)) return undefined;
  const all: Evidence = evidenceOf(db, nodeId);
  const to = demoted(state.mode);
  const reason = `automatic rollback from ${state.mode}: ${why}`;
  return change(
    db,
    state,
    { ...state, mode: to, reason, epochCompared: all.compared, epochAgreed: all.agreed },
    "rollback",
    confidenceOf(all, options),
    at,
  );
}

function thresholdText(mode: Mode): string {
  if (mode === "shadow_direct" || mode === "reference_only")
    return "no threshold (collecting comparisons in shadow_direct)";
  return `the ${mode} threshold ${THRESHOLDS[mode]}`;
}

export function fmt(c: number): string {
  return c.toFixed(6);
}
