import type { Mode } from "../runtime/mode-names.js";

// From a confidence (the Wilson lower bound on the agreement rate) to an execution
// mode. Each threshold is the agreement rate we must be 99.9% sure of before the
// direct runtime takes that much responsibility.

export const THRESHOLDS = {
  canary_direct: 0.95,
  dual_verify: 0.999,
  direct_only: 0.9999,
} as const;

/**
 * The modes from least to most trust in the direct runtime. An automatic rollback
 * moves a node one place down this ladder. shadow_direct sits below canary: the
 * direct runtime runs on every input but never answers, which is how a node below
 * the canary threshold collects the comparisons it needs to get past it.
 */
export const LADDER: readonly Mode[] = [
  "reference_only",
  "shadow_direct",
  "canary_direct",
  "dual_verify",
  "direct_only",
];

export function rank(mode: Mode): number {
  return LADDER.indexOf(mode);
}

/** The mode the confidence supports: [0, 0.95) reference_only, [0.95, 0.999) canary, [0.999, 0.9999) dual, ≥ 0.9999 direct. */
export function recommendedMode(confidence: number): Mode {
  if (confidence >= THRESHOLDS.direct_only) return "direct_only";
  if (confidence >= THRESHOLDS.dual_verify) return "dual_verify";
  if (confidence >= THRESHOLDS.canary_direct) return "canary_direct";
  return "reference_only";
}

/**
 * The mode the controller itself runs a node on for a confidence: the recommended
 * mode, except that below the canary threshold it shadows instead of leaving the
 * direct runtime idle, since otherwise the evidence could never grow.
 */
export function controllerTarget(confidence: number): Mode {
  const m = recommendedMode(confidence);
  return m === "reference_only" ? "shadow_direct" : m;
}

/** One place down the ladder (reference_only stays). */
export function demoted(mode: Mode): Mode {
  return LADDER[Math.max(0, rank(mode) - 1)]!;
}
