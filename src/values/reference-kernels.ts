import { Tensor } from "./values.js";
import type { ErrorCode } from "./error-codes.js";
import { VesperError } from "./errors.js";

// Float64 tensor kernels written as plain loops: the oracle the engine's float32
// results are checked against. Clarity over speed; no TensorFlow.js here.

export class ShapeError extends VesperError {
  override name = "ShapeError";
  constructor(message: string, code: ErrorCode = "R105") {
    super(code, message);
  }
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 1; i <= rank; i++) {
    const x = a[a.length - i] ?? 1;
    const y = b[b.length - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new ShapeError(`shapes [${a}] and [${b}] cannot be broadcast together`);
    out.unshift(x === 1 ? y : x);
  }
  return out;
}

/** Elementwise `f(a, b)` with NumPy broadcasting; a number acts as a rank-0 tensor. */
export function elementwise(a: Tensor | number, b: Tensor | number, f: (x: number, y: number) => number): Tensor {
  const ta = typeof a === "number" ? new Tensor([], Float64Array.of(a)) : a;
  const tb = typeof b === "number" ? new Tensor([], Float64Array.of(b)) : b;
  const shape = broadcastShapes(ta.shape, tb.shape);
  const size = shape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(size);
  const outStrides = strides(shape);
  const aStrides = alignedStrides(ta.shape, shape);
  const bStrides = alignedStrides(tb.shape, shape);
  for (let i = 0; i < size; i++) {
    let ia = 0;
    let ib = 0;
    let rest = i;
    for (let d = 0; d < shape.length; d++) {
      const coord = Math.floor(rest / outStrides[d]!);
      rest -= coord * outStrides[d]!;
      ia += coord * aStrides[d]!;
      ib += coord * bStrides[d]!;
    }
    out[i] = f(ta.data[ia]!, tb.data[ib]!);
  }
  return new Tensor(shape, out);
}

/** Strides of `shape` laid against `target`, with 0 where the axis is broadcast. */
function alignedStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = strides(shape);
  const offset = target.length - shape.length;
  return target.map((_, d) => (d < offset || shape[d - offset] === 1 ? 0 : own[d - offset]!));
}

export function map(t: Tensor, f: (x: number) => number): Tensor {
  const out = new Float64Array(t.size);
  for (let i = 0; i < t.size; i++) out[i] = f(t.data[i]!);
  return new Tensor(t.shape, out);
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 2 || b.shape.length !== 2)
    throw new ShapeError(`matmul needs rank-2 tensors, got [${a.shape}] and [${b.shape}]`);
  const [m, k] = a.shape as [number, number];
  const [k2, n] = b.shape as [number, number];
  if (k !== k2) throw new ShapeError(`matmul inner dimensions differ: [${a.shape}] x [${b.shape}]`);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a.data[i * k + p]! * b.data[p * n + j]!;
      out[i * n + j] = acc;
    }
  }
  return new Tensor([m, n], out);
}

export function transpose(t: Tensor): Tensor {
  if (t.shape.length !== 2) throw new ShapeError(`transpose needs a rank-2 tensor, got [${t.shape}]`);
  const [r, c] = t.shape as [number, number];
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j]!;
  return new Tensor([c, r], out);
}

/** Reduces over one axis (or all axes when `axis` is undefined) with `f` over the collected values. */
export function reduce(t: Tensor, axis: number | undefined, f: (values: number[]) => number): Tensor | number {
  if (axis === undefined) return f(Array.from(t.data));
  if (axis < 0 || axis >= t.shape.length) throw new ShapeError(`axis ${axis} is out of range for shape [${t.shape}]`);
  const outer = t.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const len = t.shape[axis]!;
  const inner = t.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const values: number[] = [];
      for (let k = 0; k < len; k++) values.push(t.data[(o * len + k) * inner + i]!);
      out[o * inner + i] = f(values);
    }
  }
  const shape = t.shape.filter((_, d) => d !== axis);
  return shape.length === 0 ? out[0]! : new Tensor(shape, out);
}

export const sumOf = (values: number[]): number => values.reduce((p, x) => p + x, 0);
export const meanOf = (values: number[]): number => sumOf(values) / values.length;
export const maxOf = (values: number[]): number => values.reduce((m, x) => (x > m ? x : m), -Infinity);
export const minOf = (values: number[]): number => values.reduce((m, x) => (x < m ? x : m), Infinity);

/** Softmax over the last axis, shifted by the row maximum for stability. */
export function softmax(t: Tensor): Tensor {
  const len = t.shape[t.shape.length - 1] ?? 1;
  const out = new Float64Array(t.size);
  for (let start = 0; start < t.size; start += len) {
    let max = -Infinity;
    for (let i = 0; i < len; i++) max = Math.max(max, t.data[start + i]!);
    let total = 0;
    for (let i = 0; i < len; i++) total += out[start + i] = Math.exp(t.data[start + i]! - max);
    for (let i = 0; i < len; i++) out[start + i]! /= total;
  }
  return new Tensor(t.shape, out);
}

/** `t[i]`: a row of a tensor (or an element of a rank-1 tensor). */
export function indexTensor(t: Tensor, i: number): Tensor | number {
  const len = t.shape[0]!;
  if (!Number.isInteger(i) || i < 0 || i >= len)
    throw new RangeError(`index ${i} is out of range for a tensor of length ${len}`);
  if (t.shape.length === 1) return t.data[i]!;
  const rowSize = t.size / len;
  return new Tensor(t.shape.slice(1), t.data.slice(i * rowSize, (i + 1) * rowSize));
}
