import type { ElementwiseOp, ReduceOp, UnaryOp } from "./engine.js";
import { broadcastShapes as broadcastAny, ShapeError } from "../values/reference-kernels.js";
import { Tensor } from "../values/values.js";

// The Float32Engine's kernels as tight loops: each gives exactly what the float64
// reference kernel (src/values/reference-kernels.ts) followed by a float32 copy gives
// (f32(K.op(...)), the engine's old definition): the same operations in the same
// order on doubles, with one float32 rounding per stored element (a Float32Array
// store rounds as Float32Array.from does). Intermediates the reference keeps in
// float64 (softmax's exponentials, a reducer's running sum) stay float64 here.
// Shape errors are the reference's, with the same messages.
// test/property/float32-kernels-match-the-reference.property.test.ts holds them to it.

/** `x op y` on doubles: the one definition of each elementwise operation. */
export function elementwiseScalar(op: ElementwiseOp, x: number, y: number): number {
  switch (op) {
    case "add":
      return x + y;
    case "sub":
      return x - y;
    case "mul":
      return x * y;
    case "div":
      return x / y;
    case "mod":
      return x % y;
  }
}

/** `op(x)` on doubles: the one definition of each unary operation. */
export function unaryScalar(op: UnaryOp, x: number): number {
  switch (op) {
    case "neg":
      return -x;
    case "abs":
      return Math.abs(x);
    case "relu": // negative (and -0) to 0; NaN stays NaN
      return x <= 0 ? 0 : x;
    case "exp":
      return Math.exp(x);
    case "sqrt":
      return Math.sqrt(x);
  }
}

type Data = Float32Array | Float64Array;

/** out[i] = a[i] op b[i % bn] (bn divides out's length): same shapes (bn = n), a trailing-axes operand, a scalar (bn = 1). */
function loopRight(op: ElementwiseOp, out: Float32Array, a: Data, b: Data): void {
  const n = out.length;
  const bn = b.length;
  switch (op) {
    case "add":
      for (let i = 0, j = 0; i < n; i++, j = j + 1 === bn ? 0 : j + 1) out[i] = a[i]! + b[j]!;
      return;
    case "sub":
      for (let i = 0, j = 0; i < n; i++, j = j + 1 === bn ? 0 : j + 1) out[i] = a[i]! - b[j]!;
      return;
    case "mul":
      for (let i = 0, j = 0; i < n; i++, j = j + 1 === bn ? 0 : j + 1) out[i] = a[i]! * b[j]!;
      return;
    case "div":
      for (let i = 0, j = 0; i < n; i++, j = j + 1 === bn ? 0 : j + 1) out[i] = a[i]! / b[j]!;
      return;
    case "mod":
      for (let i = 0, j = 0; i < n; i++, j = j + 1 === bn ? 0 : j + 1) out[i] = a[i]! % b[j]!;
      return;
  }
}

/** out[i] = a[i % an] op b[i]: loopRight with the repeated operand on the left. */
function loopLeft(op: ElementwiseOp, out: Float32Array, a: Data, b: Data): void {
  const n = out.length;
  const an = a.length;
  switch (op) {
    case "add":
      for (let i = 0, j = 0; i < n; i++, j = j + 1 === an ? 0 : j + 1) out[i] = a[j]! + b[i]!;
      return;
    case "sub":
      for (let i = 0, j = 0; i < n; i++, j = j + 1 === an ? 0 : j + 1) out[i] = a[j]! - b[i]!;
      return;
    case "mul":
      for (let i = 0, j = 0; i < n; i++, j = j + 1 === an ? 0 : j + 1) out[i] = a[j]! * b[i]!;
      return;
    case "div":
      for (let i = 0, j = 0; i < n; i++, j = j + 1 === an ? 0 : j + 1) out[i] = a[j]! / b[i]!;
      return;
    case "mod":
      for (let i = 0, j = 0; i < n; i++, j = j + 1 === an ? 0 : j + 1) out[i] = a[j]! % b[i]!;
      return;
  }
}

/**
 * Whether `small` repeats along `big`'s leading axes only: once leading 1s are dropped,
 * its shape is the tail of `big`'s (the same shape, a bias over a batch, a scalar).
 */
export function tiles(small: readonly number[], big: readonly number[]): boolean {
  let start = 0;
  while (start < small.length && small[start] === 1) start++;
  const rest = small.length - start;
  if (rest > big.length) return false;
  for (let d = 0; d < rest; d++) if (small[start + d] !== big[big.length - rest + d]) return false;
  return true;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return false;
  return true;
}

/** The reference's broadcastShapes (its result and its error), without its work where one shape tiles the other. */
function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  if (a.length >= b.length && tiles(b, a)) return a.slice();
  if (b.length >= a.length && tiles(a, b)) return b.slice();
  return broadcastAny(a, b);
}

const SCALAR_A = new Float64Array(1);
const SCALAR_B = new Float64Array(1);

/** `a op b` elementwise with NumPy broadcasting; a number acts as a rank-0 tensor. */
export function elementwise(op: ElementwiseOp, a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof b === "number" && typeof a !== "number") return withScalar(op, a, b, false);
  if (typeof a === "number" && typeof b !== "number") return withScalar(op, b, a, true);
  const aShape = typeof a === "number" ? [] : a.shape;
  const bShape = typeof b === "number" ? [] : b.shape;
  const shape = broadcastShapes(aShape, bShape);
  let size = 1;
  for (const d of shape) size *= d;
  const out = new Float32Array(size);
  let ad: Data;
  let bd: Data;
  if (typeof a === "number") {
    SCALAR_A[0] = a;
    ad = SCALAR_A;
  } else ad = a.data;
  if (typeof b === "number") {
    SCALAR_B[0] = b;
    bd = SCALAR_B;
  } else bd = b.data;
  if (size === 0) return new Tensor(shape, out);
  if (sameShape(aShape, shape) && tiles(bShape, shape)) loopRight(op, out, ad, bd);
  else if (sameShape(bShape, shape) && tiles(aShape, shape)) loopLeft(op, out, ad, bd);
  else general(op, out, shape, ad, aShape, bd, bShape);
  return new Tensor(shape, out);
}

/**
 * A tensor and a number (a rank-0 operand tiles any shape): the tensor's shape, each element
 * `t[i] op k` (or `k op t[i]` when `left`), as loopRight/loopLeft give it, without the
 * general path's shape work.
 */
function withScalar(op: ElementwiseOp, t: Tensor, k: number, left: boolean): Tensor {
  const shape = t.shape.slice();
  let size = 1;
  for (const d of shape) size *= d;
  const x = t.data;
  const out = new Float32Array(size);
  switch (op) {
    case "add":
      if (left) for (let i = 0; i < size; i++) out[i] = k + x[i]!;
      else for (let i = 0; i < size; i++) out[i] = x[i]! + k;
      break;
    case "sub":
      if (left) for (let i = 0; i < size; i++) out[i] = k - x[i]!;
      else for (let i = 0; i < size; i++) out[i] = x[i]! - k;
      break;
    case "mul":
      if (left) for (let i = 0; i < size; i++) out[i] = k * x[i]!;
      else for (let i = 0; i < size; i++) out[i] = x[i]! * k;
      break;
    case "div":
      if (left) for (let i = 0; i < size; i++) out[i] = k / x[i]!;
      else for (let i = 0; i < size; i++) out[i] = x[i]! / k;
      break;
    case "mod":
      if (left) for (let i = 0; i < size; i++) out[i] = k % x[i]!;
      else for (let i = 0; i < size; i++) out[i] = x[i]! % k;
      break;
  }
  return new Tensor(shape, out);
}

/** Any broadcast: an odometer over the output's coordinates, each operand advancing by its own strides (0 where broadcast). */
function general(
  op: ElementwiseOp,
  out: Float32Array,
  shape: readonly number[],
  a: Data,
  aShape: readonly number[],
  b: Data,
  bShape: readonly number[],
): void {
  const rank = shape.length;
  const as = alignedStrides(aShape, shape);
  const bs = alignedStrides(bShape, shape);
  const coord = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = elementwiseScalar(op, a[ia]!, b[ib]!);
    for (let d = rank - 1; d >= 0; d--) {
      if (++coord[d]! < shape[d]!) {
        ia += as[d]!;
        ib += bs[d]!;
        break;
      }
      coord[d] = 0;
      ia -= as[d]! * (shape[d]! - 1);
      ib -= bs[d]! * (shape[d]! - 1);
    }
  }
}

/** Strides of `own` laid against `target` (right-aligned), 0 where the axis is broadcast. */
function alignedStrides(own: readonly number[], target: readonly number[]): number[] {
  const out = new Array<number>(target.length).fill(0);
  const offset = target.length - own.length;
  let acc = 1;
  for (let d = own.length - 1; d >= 0; d--) {
    out[d + offset] = own[d] === 1 ? 0 : acc;
    acc *= own[d]!;
  }
  return out;
}

export function unary(op: UnaryOp, a: Tensor): Tensor {
  const x = a.data;
  const n = x.length;
  const out = new Float32Array(n);
  switch (op) {
    case "neg":
      for (let i = 0; i < n; i++) out[i] = -x[i]!;
      break;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
      break;
    case "relu":
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v <= 0 ? 0 : v;
      }
      break;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
      break;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
      break;
  }
  return new Tensor(a.shape, out);
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 2 || b.shape.length !== 2)
    throw new ShapeError(`matmul needs rank-2 tensors, got [${a.shape}] and [${b.shape}]`);
  const m = a.shape[0]!;
  const k = a.shape[1]!;
  const k2 = b.shape[0]!;
  const n = b.shape[1]!;
  if (k !== k2) throw new ShapeError(`matmul inner dimensions differ: [${a.shape}] x [${b.shape}]`);
  const x = a.data;
  const y = b.data;
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = i * k;
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += x[row + p]! * y[p * n + j]!;
      out[i * n + j] = acc;
    }
  }
  return new Tensor([m, n], out);
}

export function transpose(t: Tensor): Tensor {
  if (t.shape.length !== 2) throw new ShapeError(`transpose needs a rank-2 tensor, got [${t.shape}]`);
  const r = t.shape[0]!;
  const c = t.shape[1]!;
  const x = t.data;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = x[i * c + j]!;
  return new Tensor([c, r], out);
}

/** Softmax over the last axis, shifted by the row maximum; exponentials and their total kept in float64. */
let scratch = new Float64Array(64);

export function softmax(t: Tensor): Tensor {
  const out = new Float32Array(t.data.length);
  softmaxRows(t.data, out, t.shape[t.shape.length - 1] ?? 1);
  return new Tensor(t.shape, out);
}

/**
 * softmax's loop: each `len`-long row of `x` into `out` (which may be `x` itself: a row is
 * read whole before it is written). The generated tier's fused softmax calls it too.
 */
export function softmaxRows(x: Data, out: Float32Array, len: number): void {
  const size = x.length;
  if (scratch.length < len) scratch = new Float64Array(len);
  const e = scratch;
  for (let start = 0; start < size; start += len) {
    let max = -Infinity;
    for (let i = 0; i < len; i++) max = Math.max(max, x[start + i]!);
    let total = 0;
    for (let i = 0; i < len; i++) total += e[i] = Math.exp(x[start + i]! - max);
    for (let i = 0; i < len; i++) out[start + i] = e[i]! / total;
  }
}

/** `op` over `n` values of `x` from `start`, `step` apart, folded in order as the reference's reducers fold. */
export function reduceRun(op: ReduceOp, x: Data, start: number, n: number, step: number): number {
  switch (op) {
    case "sum":
    case "mean": {
      let acc = 0;
      for (let k = 0, i = start; k < n; k++, i += step) acc = acc + x[i]!;
      return op === "sum" ? acc : acc / n;
    }
    case "max": {
      let m = -Infinity;
      for (let k = 0, i = start; k < n; k++, i += step) {
        const v = x[i]!;
        m = v > m ? v : m;
      }
      return m;
    }
    case "min": {
      let m = Infinity;
      for (let k = 0, i = start; k < n; k++, i += step) {
        const v = x[i]!;
        m = v < m ? v : m;
      }
      return m;
    }
  }
}

/** Reduces all elements (a float32 number) or one axis (a tensor of lower rank, or a number at rank 0). */
export function reduce(op: ReduceOp, t: Tensor, axis?: number): Tensor | number {
  const x = t.data;
  if (axis === undefined) return Math.fround(reduceRun(op, x, 0, x.length, 1));
  if (axis < 0 || axis >= t.shape.length) throw new ShapeError(`axis ${axis} is out of range for shape [${t.shape}]`);
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= t.shape[d]!;
  const len = t.shape[axis]!;
  let inner = 1;
  for (let d = axis + 1; d < t.shape.length; d++) inner *= t.shape[d]!;
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) out[o * inner + i] = reduceRun(op, x, o * len * inner + i, len, inner);
  const shape = t.shape.filter((_, d) => d !== axis);
  return shape.length === 0 ? out[0]! : new Tensor(shape, out);
}
