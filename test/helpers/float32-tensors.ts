import fc from "fast-check";
import { expect } from "vitest";
import * as K from "../../src/values/reference-kernels.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import { Tensor, VRecord } from "../../src/values/values.js";

// Random tensors for the bit-exactness properties of the Float32Engine's kernels and
// of the generated tier's fused tensor loops: shapes of rank 0-3 with dimensions 0-4,
// broadcastable pairs, values that include NaN, infinities, -0, tiny and huge
// magnitudes, held in either a Float64Array or a Float32Array (inputs come as both).
// `expectSameBits` is exact: same shape, same type of result, Object.is per element.

/** Any double, with the awkward ones often: NaN, ±Infinity, ±0, float32 edge values. */
export const anyFloat: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -100, max: 100 }) },
  { weight: 2, arbitrary: fc.float().map((v) => v) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, -0, 3.4e38, -3.4e38, 1e-45) },
);

export const shapeArb = (maxRank = 3, maxDim = 4) =>
  fc.array(fc.integer({ min: 0, max: maxDim }), { minLength: 0, maxLength: maxRank });

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

export const tensorOf = (shape: readonly number[], values: fc.Arbitrary<number> = anyFloat): fc.Arbitrary<Tensor> =>
  fc
    .tuple(fc.array(values, { minLength: size(shape), maxLength: size(shape) }), fc.boolean())
    .map(([v, single]) => new Tensor([...shape], single ? Float32Array.from(v) : Float64Array.from(v)));

export const tensorArb = (values: fc.Arbitrary<number> = anyFloat) => shapeArb().chain((s) => tensorOf(s, values));

/** Two shapes that broadcast to one drawn from `shapes`: leading axes dropped, some axes set to 1. */
export const broadcastShapesOf = (shapes: fc.Arbitrary<number[]>) =>
  shapes.chain((out) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: out.length }),
        fc.integer({ min: 0, max: out.length }),
        fc.array(fc.boolean(), { minLength: 2 * out.length, maxLength: 2 * out.length }),
      )
      .map(([dropA, dropB, ones]) => [
        out.slice(dropA).map((d, i) => (ones[i] ? 1 : d)),
        out.slice(dropB).map((d, i) => (ones[out.length + i] ? 1 : d)),
      ]),
  );

export const broadcastShapes = broadcastShapesOf(shapeArb());

/** What the Float32Engine gave before its kernels were rewritten: the float64 reference kernel, copied to float32. */
export const oldF32 = (t: Tensor | number): Tensor | number =>
  typeof t === "number" ? Math.fround(t) : new Tensor(t.shape, Float32Array.from(t.data));

/** The reference kernels with the old engine's element functions. */
export const OLD = {
  elementwise: {
    add: (x: number, y: number) => x + y,
    sub: (x: number, y: number) => x - y,
    mul: (x: number, y: number) => x * y,
    div: (x: number, y: number) => x / y,
    mod: (x: number, y: number) => x % y,
  },
  unary: {
    neg: (x: number) => -x,
    abs: Math.abs,
    relu: (x: number) => (x <= 0 ? 0 : x),
    exp: Math.exp,
    sqrt: Math.sqrt,
  },
  reduce: { sum: K.sumOf, mean: K.meanOf, max: K.maxOf, min: K.minOf },
} as const;

/** Exactly the same value: a number's bits (Object.is), or a tensor of the same shape, array type and bits. */
export function expectSameBits(got: unknown, want: unknown): void {
  if (typeof want === "number") {
    expect(typeof got).toBe("number");
    expect(Object.is(got, want), `${String(got)} is not ${want}`).toBe(true);
    return;
  }
  if (!(want instanceof Tensor)) {
    expect(got).toEqual(want);
    return;
  }
  expect(got).toBeInstanceOf(Tensor);
  const g = got as Tensor;
  expect([...g.shape]).toEqual([...want.shape]);
  expect(g.data.constructor).toBe(want.data.constructor);
  expect(g.data.length).toBe(want.data.length);
  for (let i = 0; i < want.data.length; i++)
    if (!Object.is(g.data[i], want.data[i])) expect(`element ${i}: ${g.data[i]}`).toBe(`element ${i}: ${want.data[i]}`);
}

/** The value, or the error's class and message: two paths that fail must fail the same way. */
export function outcome<T>(f: () => T): T | { error: string } {
  try {
    return f();
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** The same run: status, failure, and every output field the same bits (expectSameBits). */
export function expectSameRun(got: RunResult, want: RunResult): void {
  expect(got.status).toBe(want.status);
  expect(got.failure ?? null).toEqual(want.failure ?? null);
  if (want.output instanceof VRecord) {
    const g = (got.output as VRecord).fields;
    for (const [name, v] of want.output.fields) expectSameBits(g.get(name), v);
  } else expect(got.output).toEqual(want.output);
}
