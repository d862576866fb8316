import type { Mode } from "../runtime/mode-names.js";
import type { TraceStore } from "../store/store.js";
import {
  type ChangeKind,
  type ModeChange,
  type ModeState,
  readModeHistory,
  readModeState,
  saveModeChange,
} from "../trace/mode-tables.js";
import { confidenceOf, evidenceOf, type Evidence } from "./evidence-store.js";
import { THRESHOLDS, controllerTarget, demoted, rank } from "./recommend.js";
import type { WilsonOptions } from "./wilson.js";

/** The Wilson options, and which version of the node the evidence is of (default: the latest compared). */
export interface ControllerOptions extends WilsonOptions {
  contentHash?: string;
}

// The migration controller: each node's mode and who decides it. Pinned, a person
// decided and nothing moves it. Auto, the controller promotes the node as the
// confidence rises, demotes it when the confidence falls below its mode's
// threshold, and rolls it back one level at once on a divergence seen while the
// direct runtime was answering (canary_direct, direct_only). After a rollback,
// promotion counts only the comparisons made since: the evidence that let the
// node climb did not see the input that just diverged, so it has to climb again.

export type { ChangeKind, ModeChange, ModeState, Policy } from "../trace/mode-tables.js";

/** Modes in which the direct runtime's answer reaches the caller unchecked: a divergence there is a rollback. */
export const ANSWERING_MODES: readonly Mode[] = ["canary_direct", "direct_only"];

export function modeState(store: TraceStore, nodeId: string): ModeState | undefined {
  return readModeState(store, nodeId);
}

/** The node's latest changes, newest first. */
export function history(store: TraceStore, nodeId: string, limit = 10): ModeChange[] {
  return readModeHistory(store, nodeId, limit);
}

function change(
  store: TraceStore,
  prev: ModeState | undefined,
  next: Omit<ModeState, "updatedAt">,
  kind: ChangeKind,
  confidence: number | null,
  at: number,
): ModeChange {
  const state = { ...next, updatedAt: at };
  return saveModeChange(store, state, {
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
  store: TraceStore,
  nodeId: string,
  mode: Mode,
  options: ControllerOptions = {},
  at = Date.now(),
): ModeChange {
  return store.write(() => {
    const prev = modeState(store, nodeId);
    const confidence = confidenceOf(evidenceOf(store, nodeId, options.contentHash), options);
    const reason = `pinned by vesper mode --set ${mode}`;
    return change(
      store,
      prev,
      {
        nodeId,
        mode,
        policy: "pinned",
        reason,
        epochCompared: prev?.epochCompared ?? 0,
        epochAgreed: prev?.epochAgreed ?? 0,
        epochHash: prev?.epochHash ?? "",
      },
      "set",
      confidence,
      at,
    );
  });
}

/** Hands the node to the controller, which places it at once by the evidence so far. */
export function automate(
  store: TraceStore,
  nodeId: string,
  options: ControllerOptions = {},
  at = Date.now(),
): ModeChange[] {
  return store.write(() => {
    const prev = modeState(store, nodeId);
    const evidence = evidenceOf(store, nodeId, options.contentHash);
    const confidence = confidenceOf(evidence, options);
    const start = prev?.mode ?? "reference_only";
    const handed = change(
      store,
      prev,
      {
        nodeId,
        mode: start,
        policy: "auto",
        reason: "handed to the controller by vesper mode --auto",
        epochCompared: prev?.epochCompared ?? 0,
        epochAgreed: prev?.epochAgreed ?? 0,
        epochHash: prev?.epochHash ?? "",
      },
      "auto",
      confidence,
      at,
    );
    const moved = reevaluate(store, nodeId, options, at);
    return moved ? [handed, moved] : [handed];
  });
}

/**
 * For a node on auto: promote it to what the confidence supports (counting only
 * evidence since the last rollback), or demote it when the confidence over all
 * evidence no longer supports its mode. Returns the change, if any.
 */
export function reevaluate(
  store: TraceStore,
  nodeId: string,
  options: ControllerOptions = {},
  at = Date.now(),
): ModeChange | undefined {
  const state = modeState(store, nodeId);
  if (state?.policy !== "auto") return undefined;
  const all = evidenceOf(store, nodeId, options.contentHash);
  const overall = confidenceOf(all, options);
  // The epoch's counts refer to one version; another version's evidence starts from zero anyway.
  const sameVersion = state.epochHash === all.contentHash;
  const epoch = sameVersion
    ? { compared: all.compared - state.epochCompared, agreed: all.agreed - state.epochAgreed }
    : { compared: all.compared, agreed: all.agreed };
  const recent = confidenceOf(epoch, options);
  const ceiling = controllerTarget(overall);
  const up = [controllerTarget(recent), ceiling].sort((a, b) => rank(a) - rank(b))[0]!;
  const sinceRollback = sameVersion && state.epochCompared > 0 ? " since the last rollback" : "";
  if (rank(up) > rank(state.mode)) {
    const reason =
      up === "shadow_direct"
        ? `confidence ${fmt(recent)} over ${epoch.compared} comparisons${sinceRollback} is below the canary threshold ${THRESHOLDS.canary_direct}: shadowing to collect comparisons`
        : `confidence ${fmt(recent)} over ${epoch.compared} comparisons${sinceRollback} reached ${thresholdText(up)}`;
    return change(store, state, { ...state, mode: up, reason }, "promote", recent, at);
  }
  if (rank(ceiling) < rank(state.mode)) {
    const reason = `confidence ${fmt(overall)} over ${all.compared} comparisons fell below ${thresholdText(state.mode)}`;
    return change(store, state, { ...state, mode: ceiling, reason }, "demote", overall, at);
  }
  return undefined;
}

/**
 * A divergence while the direct runtime was answering, on a node on auto whose mode
 * lets it answer: one level down, at once, and a new evidence epoch.
 */
export function rollback(
  store: TraceStore,
  nodeId: string,
  why: string,
  options: ControllerOptions = {},
  at = Date.now(),
): ModeChange | undefined {
  const state = modeState(store, nodeId);
  if (state?.policy !== "auto" || !ANSWERING_MODES.includes(state.mode)) return undefined;
  const all: Evidence = evidenceOf(store, nodeId, options.contentHash);
  const to = demoted(state.mode);
  const reason = `automatic rollback from ${state.mode}: ${why}`;
  return change(
    store,
    state,
    { ...state, mode: to, reason, epochCompared: all.compared, epochAgreed: all.agreed, epochHash: all.contentHash },
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

/**
 * Six decimals, never above the value: a confidence just short of a threshold (0.99899997)
 * must not print as the threshold (0.999000) in a reason that says it did not reach it.
 */
export function fmt(c: number): string {
  const text = c.toFixed(6);
  return Number(text) > c ? (Math.floor(c * 1e6) / 1e6).toFixed(6) : text;
}
