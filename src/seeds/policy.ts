import type { SeedsConfig } from "../config/seeds-config.js";
import { type BlueprintSpec, riskRank } from "./blueprints.js";
import { isActive, isGrafted } from "./lifecycle.js";
import type { PolicyCommand } from "./records.js";
import type { SeedState } from "./seed-manager.js";

// The policy: after each epoch it reads the system state and returns commands, each
// with its reason. A documented, deterministic rule set (docs/seeds.md, "The policy"):
//
//  1. Live seeds. A TRAINING seed that has trained its minimum epochs while another
//     seed is grafted is paused (at most one seed is blended in at a time, so a
//     rollback restores a host only that seed changed). Every other live seed is
//     told to advance; the seed manager moves it only when its stage is done and its
//     gates pass.
//  2. Germination, at most one an epoch, when all hold: the warm-up epochs are over;
//     the validation loss has plateaued (its relative improvement over the plateau
//     window is below the threshold); fewer live seeds than the limit; a slot has no
//     live seed and fewer germinations than the per-slot limit.
//  3. Slot: among those, the most saturated: the largest gradient norm of its host
//     weights on a validation batch (the layer the loss pulls on hardest); ties go to
//     the lower layer.
//  4. Blueprint: the allow-list's order, skipping quarantined blueprints and those
//     above the risk tier; the n-th germination of the run takes the n-th eligible
//     blueprint (cycling), so a run tries different architectures.
//  5. Otherwise: wait.

export interface SlotState {
  name: string;
  layer: number;
  in: number;
  out: number;
  /** ‖∂loss/∂W‖ of the slot's host layer on a validation batch. */
  gradNorm: number;
  /** Fraction of the layer's output units positive on at least half the batch (1 for the logits layer). */
  activeFraction: number;
}

export interface SystemState {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  validationAccuracy: number;
  /** Relative improvement of validation loss over the plateau window (1 before the window is full). */
  plateau: number;
  slots: SlotState[];
  seeds: SeedState[];
  /** Germinations so far, per slot. */
  germinated: Record<string, number>;
  /** Germinations in the run so far. */
  germinations: number;
}

export interface PolicyDecision {
  command: PolicyCommand;
  reason: string;
}

export function decide(state: SystemState, config: SeedsConfig, catalog: readonly BlueprintSpec[]): PolicyDecision[] {
  const out: PolicyDecision[] = [];
  const live = state.seeds.filter((s) => isActive(s.stage));
  const grafted = live.filter((s) => isGrafted(s.stage));
  for (const seed of live) {
    const ready = seed.stage === "TRAINING" && seed.epochsInStage >= config.lifecycle.minTrainingEpochs;
    if (ready && grafted.length > 0 && !grafted.includes(seed)) {
      out.push({
        command: { kind: "pause", seedId: seed.seedId },
        reason: `${grafted[0]!.seedId} is grafted; one seed is blended in at a time`,
      });
      continue;
    }
    out.push({ command: { kind: "advance", seedId: seed.seedId }, reason: `${seed.stage.toLowerCase()} in progress` });
  }
  const germination = germinate(state, config, catalog, live);
  if (germination) out.push(germination);
  if (out.length === 0) out.push({ command: { kind: "wait" }, reason: waitReason(state, config) });
  return out;
}

function germinate(
  state: SystemState,
  config: SeedsConfig,
  catalog: readonly BlueprintSpec[],
  live: SeedState[],
): PolicyDecision | undefined {
  const p = config.policy;
  if (state.epoch < p.warmupEpochs) return undefined;
  if (state.plateau >= p.plateauThreshold) return undefined;
  if (live.length >= p.maxActiveSeeds) return undefined;
  const open = state.slots.filter(
    (s) => !live.some((seed) => seed.slot === s.name) && (state.germinated[s.name] ?? 0) < p.maxSeedsPerSlot,
  );
  if (open.length === 0) return undefined;
  const slot = [...open].sort((a, b) => b.gradNorm - a.gradNorm || a.layer - b.layer)[0]!;
  const eligible = config.blueprints
    .map((name) => catalog.find((b) => b.name === name)!)
    .filter((b) => b && !b.quarantined && riskRank(b.risk) <= riskRank(config.maxRisk));
  if (eligible.length === 0) return undefined;
  const blueprint = eligible[state.germinations % eligible.length]!;
  return {
    command: { kind: "germinate", slot: slot.name, blueprint: blueprint.name },
    reason: `validation loss plateaued (${(state.plateau * 100).toFixed(2)}% over ${p.plateauWindow} epochs < ${(p.plateauThreshold * 100).toFixed(2)}%); ${slot.name} is the most saturated open slot (gradient norm ${slot.gradNorm.toPrecision(3)}); ${blueprint.name} is ${blueprint.risk}`,
  };
}

function waitReason(state: SystemState, config: SeedsConfig): string {
  if (state.epoch < config.policy.warmupEpochs)
    return `warming up (${state.epoch} of ${config.policy.warmupEpochs} epochs)`;
  if (state.plateau >= config.policy.plateauThreshold)
    return `still improving (${(state.plateau * 100).toFixed(2)}% over ${config.policy.plateauWindow} epochs)`;
  return "no open slot or eligible blueprint";
}

/** The relative improvement of the validation loss over the window (1 until the window is full). */
export function plateauOf(validationLosses: readonly number[], window: number): number {
  const n = validationLosses.length;
  if (n <= window) return 1;
  const before = validationLosses[n - 1 - window]!;
  const now = validationLosses[n - 1]!;
  return (before - now) / Math.max(Math.abs(before), 1e-12);
}
