import type * as TF from "@tensorflow/tfjs";
import { SeededRandom } from "./seeded-random.js";

// The small multilayer perceptron the engine is exercised with: one hidden ReLU
// layer, softmax cross-entropy, plain SGD. Its parameters live in a host form
// (float32 arrays) so the float64 reference (reference-mlp.ts) can start from the
// very same numbers and check one training step. Also a synthetic dataset of
// Gaussian blobs, one per class, that such a network learns quickly.

type Tf = typeof TF;

export interface MlpShape {
  inputs: number;
  hidden: number;
  classes: number;
}

/** Row-major host parameters: w1 [inputs×hidden], b1 [hidden], w2 [hidden×classes], b2 [classes]. */
export interface MlpParams {
  shape: MlpShape;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

export interface Dataset {
  samples: number;
  features: number;
  classes: number;
  /** [samples×features] */
  x: Float32Array;
  labels: Int32Array;
  /** [samples×classes] */
  oneHot: Float32Array;
}

/** He-initialised weights, zero biases, from a seed. */
export function initMlp(shape: MlpShape, seed: number): MlpParams {
  const rng = new SeededRandom(seed);
  const he = (fanIn: number) => () => rng.normal() * Math.sqrt(2 / fanIn);
  return {
    shape,
    w1: rng.float32s(shape.inputs * shape.hidden, he(shape.inputs)),
    b1: new Float32Array(shape.hidden),
    w2: rng.float32s(shape.hidden * shape.classes, he(shape.hidden)),
    b2: new Float32Array(shape.classes),
  };
}

/** One Gaussian blob per class around a random centre; `spread` sets the overlap. */
export function syntheticBlobs(samples: number, features: number, classes: number, seed: number, spread = 1): Dataset {
  const rng = new SeededRandom(seed);
  const centres = rng.float32s(classes * features, () => rng.normal() * 2.5);
  const x = new Float32Array(samples * features);
  const labels = new Int32Array(samples);
  const oneHot = new Float32Array(samples * classes);
  for (let i = 0; i < samples; i++) {
    const c = rng.int(classes);
    labels[i] = c;
    oneHot[i * classes + c] = 1;
    for (let f = 0; f < features; f++) x[i * features + f] = centres[c * features + f]! + rng.normal() * spread;
  }
  return { samples, features, classes, x, labels, oneHot };
}

/** A dense product x·w as a function of two tensors. */
export type Dense = (x: TF.Tensor, w: TF.Tensor) => TF.Tensor;

/**
 * x·w whose gradients use explicit transposes. TensorFlow.js's own matMul gradient
 * multiplies with transposeA/transposeB set, and the wasm backend runs those outside
 * XNNPACK, about 10x slower than transpose-then-multiply (docs/engine.md). The one
 * copy: this MLP and the seeds' host and seed kernels (src/seeds) all use it.
 */
export function denseWithTransposedGradients(tf: Tf): Dense {
  const forward = (x: TF.Tensor, w: TF.Tensor, save: TF.GradSaveFunc) => {
    save([x, w]);
    return {
      value: tf.matMul(x as TF.Tensor2D, w as TF.Tensor2D),
      gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => [
        tf.matMul(dy as TF.Tensor2D, tf.transpose(saved[1]!) as TF.Tensor2D),
        tf.matMul(tf.transpose(saved[0]!) as TF.Tensor2D, dy as TF.Tensor2D),
      ],
    };
  };
  return tf.customGrad(forward as unknown as Parameters<Tf["customGrad"]>[0]) as unknown as Dense;
}

/** The MLP as TensorFlow.js variables on the active backend. */
export class TfMlp {
  private readonly vars: TF.Variable[];
  private readonly denseOp: Dense;

  constructor(
    private readonly tf: Tf,
    params: MlpParams,
  ) {
    this.denseOp = denseWithTransposedGradients(tf);
    const { inputs, hidden, classes } = params.shape;
    const initial = [
      tf.tensor2d(params.w1, [inputs, hidden]),
      tf.tensor1d(params.b1),
      tf.tensor2d(params.w2, [hidden, classes]),
      tf.tensor1d(params.b2),
    ];
    this.vars = initial.map((t) => tf.variable(t));
    // A variable shares its initial tensor's data; the tensor itself must still go.
    tf.dispose(initial);
  }

  /**
   * x·w whose gradients use explicit transposes. TensorFlow.js's own matMul gradient
   * multiplies with transposeA/transposeB set, and the wasm backend runs those outside
   * XNNPACK about 10x slower than transpose-then-multiply (bench/engine measures the
   * training step; docs/engine.md has the numbers).
   */
  private dense(x: TF.Tensor2D, w: TF.Tensor2D): TF.Tensor2D {
    return this.denseOp(x, w) as TF.Tensor2D;
  }

  private logits(x: TF.Tensor2D): TF.Tensor2D {
    const [w1, b1, w2, b2] = this.vars as unknown as [TF.Tensor2D, TF.Tensor1D, TF.Tensor2D, TF.Tensor1D];
    const tf = this.tf;
    const hidden = tf.relu(tf.add(this.dense(x, w1), b1)) as TF.Tensor2D;
    return tf.add(this.dense(hidden, w2), b2);
  }

  /** Mean softmax cross-entropy of a batch. */
  private lossOf(x: TF.Tensor2D, y: TF.Tensor2D): TF.Scalar {
    const tf = this.tf;
    return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(this.logits(x))), 1))) as TF.Scalar;
  }

  /** One SGD step on a batch; returns the batch loss before the step. Leaves no tensors behind. */
  trainStep(x: TF.Tensor2D, y: TF.Tensor2D, learningRate: number): number {
    const tf = this.tf;
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.lossOf(x, y), this.vars);
      for (const v of this.vars) v.assign(tf.sub(v, tf.mul(grads[v.name]!, learningRate)));
      return value.dataSync()[0]!;
    });
  }

  /** Training steps over a host dataset in batches (for tests and examples). */
  fit(data: Dataset, epochs: number, batch: number, learningRate: number): number[] {
    const tf = this.tf;
    const losses: number[] = [];
    for (let e = 0; e < epochs; e++) {
      let total = 0;
      let batches = 0;
      for (let start = 0; start < data.samples; start += batch) {
        const n = Math.min(batch, data.samples - start);
        const x = tf.tensor2d(data.x.subarray(start * data.features, (start + n) * data.features), [n, data.features]);
        const y = tf.tensor2d(data.oneHot.subarray(start * data.classes, (start + n) * data.classes), [
          n,
          data.classes,
        ]);
        total += this.trainStep(x, y, learningRate);
        batches++;
        tf.dispose([x, y]);
      }
      losses.push(total / batches);
    }
    return losses;
  }

  /** Mean loss over a whole host dataset, without training. */
  evaluate(data: Dataset): number {
    const tf = this.tf;
    return tf.tidy(() => {
      const x = tf.tensor2d(data.x, [data.samples, data.features]);
      const y = tf.tensor2d(data.oneHot, [data.samples, data.classes]);
      return this.lossOf(x, y).dataSync()[0]!;
    });
  }

  params(): MlpParams {
    const [w1, b1, w2, b2] = this.vars.map((v) => Float32Array.from(v.dataSync() as Float32Array));
    const [inputs, hidden] = this.vars[0]!.shape as [number, number];
    return { shape: { inputs, hidden, classes: this.vars[3]!.shape[0]! }, w1: w1!, b1: b1!, w2: w2!, b2: b2! };
  }

  dispose(): void {
    this.tf.dispose(this.vars);
  }
}
