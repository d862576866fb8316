import type * as TF from "@tensorflow/tfjs";
import { type Dense, denseWithTransposedGradients } from "../engine/mlp.js";
import { SeededRandom } from "../engine/seeded-random.js";

// The host network: an MLP (ReLU between layers, softmax cross-entropy on top) whose
// every dense layer is a seed slot. Slot Lk wraps layer k: it reads the layer's input
// activations a_k (width in) and its output z = a_k·W_k + b_k (width out) may be
// joined by seeds (blending.ts). In the default MNIST config the host is deliberately
// narrow (one hidden layer of 4), so seeds have capacity to add. Weights start from
// a seed (He initialisation, zero biases) and can be read and written as float32
// arrays, which is how snapshots, G5 and checkpoints see them bit for bit. Its dense
// products are the engine's (src/engine/mlp.ts denseWithTransposedGradients).

type Tf = typeof TF;

export interface SlotInfo {
  name: string;
  /** The layer's index. */
  layer: number;
  in: number;
  out: number;
}

/** What a slot adds to its layer's output: given the layer index, its input activations and its output. */
export type SlotJoin = (layer: number, input: TF.Tensor, output: TF.Tensor) => TF.Tensor;

/** TensorFlow.js variable names are global: each host (and seed) gets a fresh prefix. */
let instances = 0;
export function uniquePrefix(kind: string): string {
  instances += 1;
  return `${kind}${instances}`;
}

export class Host {
  readonly weights: TF.Variable[] = [];
  readonly biases: TF.Variable[] = [];
  readonly dense: Dense;

  constructor(
    private readonly tf: Tf,
    readonly widths: readonly number[],
    seed: number,
  ) {
    this.dense = denseWithTransposedGradients(tf);
    const rng = new SeededRandom(seed);
    const prefix = uniquePrefix("host");
    for (let k = 0; k + 1 < widths.length; k++) {
      const [fanIn, fanOut] = [widths[k]!, widths[k + 1]!];
      const w = rng.float32s(fanIn * fanOut, () => rng.normal() * Math.sqrt(2 / fanIn));
      this.weights.push(tf.variable(tf.tensor2d(w, [fanIn, fanOut]), true, `${prefix}_w${k}`));
      this.biases.push(tf.variable(tf.zeros([fanOut]), true, `${prefix}_b${k}`));
    }
  }

  slots(): SlotInfo[] {
    return this.weights.map((_, k) => ({ name: `L${k}`, layer: k, in: this.widths[k]!, out: this.widths[k + 1]! }));
  }

  variables(): TF.Variable[] {
    return this.weights.flatMap((w, k) => [w, this.biases[k]!]);
  }

  /** Logits for a batch; `join` adds what the slots' seeds contribute. */
  logits(x: TF.Tensor, join?: SlotJoin): TF.Tensor {
    const tf = this.tf;
    let a = x;
    for (let k = 0; k < this.weights.length; k++) {
      let z = tf.add(this.dense(a, this.weights[k]!), this.biases[k]!);
      if (join) z = join(k, a, z);
      a = k + 1 < this.weights.length ? tf.relu(z) : z;
    }
    return a;
  }

  /** The input activations of layer `layer` (what a seed in that slot reads), host alone. */
  activationsAt(x: TF.Tensor, layer: number, join?: SlotJoin): TF.Tensor {
    const tf = this.tf;
    let a = x;
    for (let k = 0; k < layer; k++) {
      let z = tf.add(this.dense(a, this.weights[k]!), this.biases[k]!);
      if (join) z = join(k, a, z);
      a = tf.relu(z);
    }
    return a;
  }

  /** Copies of every weight, in variables() order. */
  read(): Float32Array[] {
    return this.variables().map((v) => Float32Array.from(v.dataSync() as Float32Array));
  }

  write(arrays: readonly Float32Array[]): void {
    const vars = this.variables();
    if (arrays.length !== vars.length) throw new Error(`host has ${vars.length} weight tensors, got ${arrays.length}`);
    vars.forEach((v, i) => {
      const t = this.tf.tensor(arrays[i]!, v.shape);
      v.assign(t);
      t.dispose();
    });
  }

  dispose(): void {
    this.tf.dispose(this.variables());
  }
}

/** Mean softmax cross-entropy of logits against one-hot labels. */
export function crossEntropy(tf: Tf, logits: TF.Tensor, oneHot: TF.Tensor): TF.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits as TF.Tensor2D)), 1))) as TF.Scalar;
}

/** Positions where two weight sets differ (0 when bit-identical; NaN patterns compared by bits). */
export function differingValues(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const x = new Uint32Array(a[i]!.buffer, a[i]!.byteOffset, a[i]!.length);
    const y = new Uint32Array(b[i]!.buffer, b[i]!.byteOffset, b[i]!.length);
    if (x.length !== y.length) return Number.POSITIVE_INFINITY;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) n++;
  }
  return n;
}
