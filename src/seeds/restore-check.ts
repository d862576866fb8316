import { GRAFTED_STAGES, isStage } from "./lifecycle.js";
import type { SeedStage } from "./records.js";

// What a resumed checkpoint may say about a seed. A checkpoint arrives as data (a
// store row anyone can edit, or a file from another run), so each seed's state is
// checked against the lifecycle table and against what the stage implies before the
// seed manager takes it: the stage is one of the table's; no seed rests in DORMANT
// (germination moves it on at once); alpha is 0 before GRAFTING and after a removal,
// 1 from STABILIZATION on, within [0, 1] while GRAFTING; `grafted` matches the stage;
// the id is `seed-N` with N at most the run's counter, once; slot and blueprint exist
// in this run; the weights (and a grafted seed's host snapshot) have the counts and
// sizes this host and blueprint give. Pure: returns the reasons, the caller refuses.

export interface RestoredSeed {
  seedId: unknown;
  slot: unknown;
  blueprint: unknown;
  stage: unknown;
  epochsInStage: unknown;
  alpha: unknown;
  grafted: unknown;
}

export interface RestoreContext {
  counter: number;
  slots: readonly string[];
  blueprints: readonly string[];
  /** Sizes of the seed's weight tensors for a (slot, blueprint), or null when either is unknown. */
  weightSizes(slot: string, blueprint: string): number[] | null;
  /** The number of values each host tensor holds (a pre-graft snapshot starts with them). */
  hostSizes: number[];
}

export interface RestoredWeights {
  weights: readonly Float32Array[];
  snapshot: readonly Float32Array[] | null;
}

const ALPHA_ZERO: readonly SeedStage[] = ["GERMINATED", "TRAINING", "CULLED", "CANCELLED", "ROLLED_BACK"];
const ALPHA_ONE: readonly SeedStage[] = ["STABILIZATION", "EVALUATING", "FINE_TUNING", "FOSSILIZED"];
const CARRIES_WEIGHTS = (s: SeedStage) => s !== "CULLED" && s !== "CANCELLED" && s !== "ROLLED_BACK";

/** Why a checkpoint's seed cannot be restored as it stands, or null when it can. */
export function refuseRestoredSeed(
  seed: RestoredSeed,
  tensors: RestoredWeights,
  context: RestoreContext,
  seen: ReadonlySet<string>,
): string | null {
  const id = String(seed.seedId);
  const match = typeof seed.seedId === "string" ? /^seed-([1-9][0-9]*)$/.exec(seed.seedId) : null;
  if (!match) return `'${id}' is not a seed id`;
  if (Number(match[1]) > context.counter) return `${id} is numbered past the run's ${context.counter} germinations`;
  if (seen.has(id)) return `${id} appears twice`;
  if (typeof seed.stage !== "string" || !isStage(seed.stage)) return `'${String(seed.stage)}' is not a lifecycle stage`;
  const stage = seed.stage;
  if (stage === "DORMANT") return "no seed rests in DORMANT at an epoch's end (G0 moves it on at once)";
  if (typeof seed.slot !== "string" || !context.slots.includes(seed.slot))
    return `slot '${String(seed.slot)}' is not one of this host's (${context.slots.join(", ")})`;
  if (typeof seed.blueprint !== "string" || !context.blueprints.includes(seed.blueprint))
    return `blueprint '${String(seed.blueprint)}' is not loaded`;
  if (typeof seed.epochsInStage !== "number" || !Number.isInteger(seed.epochsInStage) || seed.epochsInStage < 0)
    return `epochs in stage ${String(seed.epochsInStage)} is not a whole number`;
  const alpha = seed.alpha;
  if (typeof alpha !== "number" || !(alpha >= 0 && alpha <= 1)) return `alpha ${String(alpha)} is outside [0, 1]`;
  if (ALPHA_ZERO.includes(stage) && alpha !== 0) return `alpha ${alpha} in ${stage}, where it is 0`;
  if (ALPHA_ONE.includes(stage) && alpha !== 1) return `alpha ${alpha} in ${stage}, where it is 1`;
  const blended = GRAFTED_STAGES.includes(stage) || stage === "FOSSILIZED";
  if (typeof seed.grafted !== "boolean") return "its grafted flag is not a boolean";
  if (blended && !seed.grafted) return `${stage} but never grafted`;
  if ((stage === "GERMINATED" || stage === "TRAINING") && seed.grafted) return `${stage} but marked as grafted`;
  const sizes = context.weightSizes(seed.slot, seed.blueprint)!;
  if (CARRIES_WEIGHTS(stage)) {
    const got = tensors.weights.map((w) => w.length);
    if (got.length !== sizes.length || got.some((n, i) => n !== sizes[i]))
      return `its weights (${got.join(", ") || "none"} values) do not fit ${seed.blueprint} in ${seed.slot} (${sizes.join(", ")})`;
  } else if (tensors.weights.length > 0) return `${stage} yet it carries weights`;
  if (GRAFTED_STAGES.includes(stage)) {
    const snap = tensors.snapshot?.map((w) => w.length) ?? [];
    const want = context.hostSizes;
    if (snap.length < want.length || want.some((n, i) => n !== snap[i]))
      return `${stage} needs the host's pre-graft snapshot, and the checkpoint's does not fit this host`;
  }
  return null;
}
