import type * as TF from "@tensorflow/tfjs";
import { SeededRandom } from "../engine/seeded-random.js";
import { type BlueprintSpec, weightShape } from "./blueprints.js";
import type { Dense } from "../engine/mlp.js";
import { uniquePrefix } from "./host.js";
import { type KernelPlan, runPlan } from "./kernel-plan.js";

// A seed's tensors: its blueprint's weights as TensorFlow.js variables, and its
// forward pass, which is the blueprint's KernelPlan lowered inside the caller's
// gradient function. Weights start from (run seed, seed number), so the same run
// grows the same seeds; they read and write as float32 arrays for checkpoints and G3.

type Tf = typeof TF;

export interface SeedDims {
  in: number;
  out: number;
  hidden: number;
}

export class SeedModule {
  readonly vars: TF.Variable[];

  constructor(
    private readonly tf: Tf,
    readonly id: string,
    readonly blueprint: BlueprintSpec,
    readonly plan: KernelPlan,
    readonly dims: SeedDims,
    seed: number,
  ) {
    const rng = new SeededRandom(seed);
    const prefix = uniquePrefix(id);
    this.vars = blueprint.weights.map((w) => {
      const shape = weightShape(w, dims);
      const size = shape.reduce((a, b) => a * b, 1);
      const fanIn = shape.length > 1 ? shape[0]! : 1;
      const draw =
        w.init === "he"
          ? () => rng.normal() * Math.sqrt(2 / fanIn)
          : w.init === "small"
            ? () => rng.normal() * 0.1 * Math.sqrt(1 / fanIn)
            : () => 0;
      return tf.variable(tf.tensor(rng.float32s(size, draw), shape), true, `${prefix}_${w.name}`);
    });
  }

  /** The seed's output for the slot's input activations (inside the caller's tidy / gradient function). */
  forward(activations: TF.Tensor, dense?: Dense): TF.Tensor {
    const bindings: Record<string, TF.Tensor> = { [this.blueprint.activations]: activations };
    this.blueprint.weights.forEach((w, i) => {
      bindings[w.name] = this.vars[i]!;
    });
    return runPlan(this.tf, this.plan, bindings, dense);
  }

  parameterCount(): number {
    return this.vars.reduce((n, v) => n + v.size, 0);
  }

  read(): Float32Array[] {
    return this.vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  }

  /** The weights by their names in the blueprint node, with shapes. */
  named(): { name: string; shape: number[]; data: Float32Array }[] {
    return this.blueprint.weights.map((w, i) => ({
      name: w.name,
      shape: [...this.vars[i]!.shape],
      data: Float32Array.from(this.vars[i]!.dataSync() as Float32Array),
    }));
  }

  write(arrays: readonly Float32Array[]): void {
    this.vars.forEach((v, i) => {
      const t = this.tf.tensor(arrays[i]!, v.shape);
      v.assign(t);
      t.dispose();
    });
  }

  dispose(): void {
    this.tf.dispose(this.vars);
  }
}
