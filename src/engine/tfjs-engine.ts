import type * as TF from "@tensorflow/tfjs";
import type { ElementwiseOp, Engine, EngineInfo, ReduceOp, UnaryOp } from "./engine.js";
import * as K from "../values/reference-kernels.js";
import { Tensor } from "../values/values.js";

// The Engine on TensorFlow.js. Each operation uploads its host operands, runs inside
// tf.tidy (so every intermediate is released), reads the result back with dataSync
// and disposes it: between calls the engine holds no tensors, and memory() shows it.
// Shapes are checked here with the reference kernels' messages, so both runtimes
// report the same R105 text. Where an operand is empty, the answer has no arithmetic
// worth a kernel launch (and TensorFlow.js handles some empty cases differently),
// so the reference kernels compute it and the result is rounded to float32.

type Tf = typeof TF;
type TfTensor = TF.Tensor;

const F32_REDUCERS: Record<ReduceOp, (values: number[]) => number> = {
  sum: K.sumOf,
  mean: K.meanOf,
  max: K.maxOf,
  min: K.minOf,
};

const F64_ELEMENTWISE: Record<ElementwiseOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  mod: (x, y) => x % y,
};

const f32 = (t: Tensor): Tensor => new Tensor(t.shape, Float32Array.from(t.data));

export class TfjsEngine implements Engine {
  readonly name = "tfjs";
  readonly dtype = "float32";

  constructor(
    readonly tf: Tf,
    readonly backend: string,
    private readonly describe: () => EngineInfo,
    private readonly release: () => void = () => {},
  ) {}

  /** Uploads a host tensor (a copy, so later changes to the host data cannot leak in). */
  upload(t: Tensor | number): TfTensor {
    if (typeof t === "number") return this.tf.scalar(t, "float32");
    return this.tf.tensor(new Float32Array(t.data), [...t.shape], "float32");
  }

  /** Runs `fn` inside tidy and brings its single result back to the host. */
  private run(fn: () => TfTensor): Tensor {
    const out = this.tf.tidy(fn);
    try {
      return new Tensor(out.shape, out.dataSync() as Float32Array);
    } finally {
      out.dispose();
    }
  }

  elementwise(op: ElementwiseOp, a: Tensor | number, b: Tensor | number): Tensor {
    const shape = K.broadcastShapes(shapeOf(a), shapeOf(b));
    if (shape.includes(0)) return f32(K.elementwise(a, b, F64_ELEMENTWISE[op]));
    return this.run(() => {
      const x = this.upload(a);
      const y = this.upload(b);
      const tf = this.tf;
      switch (op) {
        case "add":
          return tf.add(x, y);
        case "sub":
          return tf.sub(x, y);
        case "mul":
          return tf.mul(x, y);
        case "div":
          return tf.div(x, y);
        case "mod":
          return this.truncatedMod(x, y);
      }
    });
  }

  /**
   * JavaScript's `%` (the sign of the dividend, NaN for a zero divisor) from
   * TensorFlow's floored mod (the sign of the divisor): where the two signs differ
   * and the remainder is not zero, step back by one divisor. A finite dividend over an
   * infinite divisor is the dividend itself (TensorFlow's mod gives NaN where the signs differ).
   */
  private truncatedMod(x: TfTensor, y: TfTensor): TfTensor {
    const tf = this.tf;
    const floored = tf.mod(x, y);
    const signsDiffer = tf.logicalAnd(tf.notEqual(floored, 0), tf.notEqual(tf.sign(floored), tf.sign(x)));
    const truncated = tf.where(signsDiffer, tf.sub(floored, y), floored);
    const overInfinity = tf.logicalAnd(tf.equal(tf.abs(y), Infinity), tf.isFinite(x));
    const kept = tf.where(overInfinity, tf.mul(x, tf.onesLike(truncated)), truncated);
    return tf.where(tf.equal(y, 0), tf.fill(truncated.shape, NaN), kept);
  }

  unary(op: UnaryOp, a: Tensor): Tensor {
    if (a.size === 0) return new Tensor(a.shape, new Float32Array(0));
    return this.run(() => {
      const x = this.upload(a);
      switch (op) {
        case "neg":
          return this.tf.neg(x);
        case "abs":
          return this.tf.abs(x);
        case "relu":
          return this.tf.relu(x);
        case "exp":
          return this.tf.exp(x);
        case "sqrt":
          return this.tf.sqrt(x);
      }
    });
  }

  matmul(a: Tensor, b: Tensor): Tensor {
    checkMatmul(a, b);
    if (a.size === 0 || b.size === 0) return f32(K.matmul(a, b));
    return this.run(() => this.tf.matMul(this.upload(a) as TF.Tensor2D, this.upload(b) as TF.Tensor2D));
  }

  transpose(a: Tensor): Tensor {
    if (a.shape.length !== 2) throw new K.ShapeError(`transpose needs a rank-2 tensor, got [${a.shape}]`);
    if (a.size === 0) return f32(K.transpose(a));
    return this.run(() => this.tf.transpose(this.upload(a)));
  }

  softmax(a: Tensor): Tensor {
    if (a.size === 0) return new Tensor(a.shape, new Float32Array(0));
    // A scalar is a row of one: its softmax is 1, as in the reference.
    if (a.shape.length === 0) return new Tensor([], Float32Array.of(1));
    return this.run(() => this.tf.softmax(this.upload(a)));
  }

  reduce(op: ReduceOp, a: Tensor, axis?: number): Tensor | number {
    if (axis !== undefined && (!Number.isInteger(axis) || axis < 0 || axis >= a.shape.length)) {
      throw new K.ShapeError(`axis ${axis} is out of range for shape [${a.shape}]`);
    }
    // The reference's max and min pass over NaN elements (TensorFlow's return NaN), and
    // nothing is reduced in an empty tensor: the reference kernels answer, rounded to float32.
    if (a.size === 0 || ((op === "max" || op === "min") && a.data.some(Number.isNaN))) return this.onHost(op, a, axis);
    const out = this.run(() => {
      const x = this.upload(a);
      const tf = this.tf;
      switch (op) {
        case "sum":
          return tf.sum(x, axis);
        case "mean":
          return tf.mean(x, axis);
        case "max":
          return tf.max(x, axis);
        case "min":
          return tf.min(x, axis);
      }
    });
    // A sum or mean of finite elements that is not finite passed float32's range on the way
    // (wasm adds in float32; the reference adds in binary64): the reference kernels answer.
    if ((op === "sum" || op === "mean") && !out.data.every(Number.isFinite) && a.data.every(Number.isFinite))
      return this.onHost(op, a, axis);
    // Reducing everything, or the only axis, gives a number, as the reference does.
    return out.shape.length === 0 ? out.data[0]! : out;
  }

  /** The reference kernel's reduction, rounded to float32. */
  private onHost(op: ReduceOp, a: Tensor, axis: number | undefined): Tensor | number {
    const r = K.reduce(a, axis, F32_REDUCERS[op]);
    return typeof r === "number" ? Math.fround(r) : f32(r);
  }

  memory() {
    const m = this.tf.memory();
    return { tensors: m.numTensors, bytes: m.numBytes };
  }

  info(): EngineInfo {
    return this.describe();
  }

  dispose(): void {
    this.release();
  }
}

const shapeOf = (v: Tensor | number): readonly number[] => (typeof v === "number" ? [] : v.shape);

function checkMatmul(a: Tensor, b: Tensor): void {
  if (a.shape.length !== 2 || b.shape.length !== 2)
    throw new K.ShapeError(`matmul needs rank-2 tensors, got [${a.shape}] and [${b.shape}]`);
  if (a.shape[1] !== b.shape[0]) throw new K.ShapeError(`matmul inner dimensions differ: [${a.shape}] x [${b.shape}]`);
}
