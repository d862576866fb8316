import type * as TF from "@tensorflow/tfjs";
import type { SlotJoin } from "./host.js";
import type { SeedModule } from "./seed-module.js";

// Blending: a slot's output is host(x) + alpha·seed(x), the interface preserved (the
// seed's output has the slot's width). Alpha is 0 until GRAFTING, rises linearly
// step by step to 1 over the graft epochs, and stays 1 from STABILIZATION on (and for
// a fossilized seed, which is then part of the network).

type Tf = typeof TF;

export interface Blended {
  module: SeedModule;
  layer: number;
  alpha: number;
}

/** Alpha after `step` of `total` graft steps (1-based step): linear from 1/total up to 1. */
export function graftAlpha(step: number, total: number): number {
  if (total <= 0) return 1;
  return Math.min(1, Math.max(0, step / total));
}

/** A SlotJoin that adds every given seed, scaled by its alpha, to its layer's output. */
export function blendSlots(
  tf: Tf,
  seeds: readonly Blended[],
  dense?: (x: TF.Tensor, w: TF.Tensor) => TF.Tensor,
): SlotJoin {
  return (layer, input, output) => {
    let z = output;
    for (const s of seeds) {
      if (s.layer !== layer || s.alpha === 0) continue;
      const out = s.module.forward(input, dense);
      z = tf.add(z, s.alpha === 1 ? out : tf.mul(out, s.alpha));
    }
    return z;
  };
}
