import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/create-engine.js";
import type { ElementwiseOp, Engine } from "../../src/engine/engine.js";
import * as K from "../../src/values/reference-kernels.js";
import { Tensor } from "../../src/values/values.js";
import { broadcastShapesOf } from "./float32-tensors.js";

// The engine's kernels against the float64 reference kernels, as properties over
// random shapes (ranks 0-3, dimensions 0-5, so empty and single-element tensors come
// up often) and random float32 values. Inputs are float32 numbers, so both sides
// see identical operands and only the arithmetic differs. Tolerances, per element:
//   exact        neg, abs, relu, transpose, max, min, mod on integers
//   1e-6 · |x|+|y|   add, sub (one float32 rounding, ~6e-8, with slack)
//   1e-6 · |want|    mul, div, exp, sqrt
//   1e-5 · Σ|terms|  matmul (Σ|a||b| over the dot product), sum and mean (Σ|x| over the group)
//   1e-5 absolute    softmax (every value lies in [0, 1]); rows sum to 1 within 1e-5
// NaN must meet NaN and an infinity the same infinity.

export const TOL = { addSub: 1e-6, mulDiv: 1e-6, unary: 1e-6, dot: 1e-5, softmax: 1e-5 } as const;

const RUNS = 60;
/**
 * float32 values in [lo, hi]; magnitudes below 1e-6 become 0, so no quotient
 * overflows float32 where float64 stays finite (a float32 engine cannot match that).
 */
const f32 = (lo: number, hi: number) =>
  fc
    .float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true, noDefaultInfinity: true })
    .map((v) => (Math.abs(v) < 1e-6 ? 0 : v));

const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 3 });
const tensorOf = (shape: number[], values: fc.Arbitrary<number>) =>
  fc
    .array(values, { minLength: size(shape), maxLength: size(shape) })
    .map((v) => new Tensor(shape, Float64Array.from(v)));
const tensorArb = (values: fc.Arbitrary<number>) => shapeArb.chain((s) => tensorOf(s, values));

/** Two shapes that broadcast to one: leading axes dropped, some axes set to 1. */
const broadcastPair = broadcastShapesOf(shapeArb);

function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Same shape (or both numbers), and every element within `tol(i)` of the reference. */
export function expectAgrees(got: Tensor | number, want: Tensor | number, tol: (i: number) => number): void {
  expect(typeof got).toBe(typeof want);
  const g = typeof got === "number" ? [got] : Array.from(got.data);
  const w = typeof want === "number" ? [want] : Array.from(want.data);
  if (typeof got !== "number" && typeof want !== "number") expect(got.shape).toEqual(want.shape);
  expect(g.length).toBe(w.length);
  for (let i = 0; i < w.length; i++) {
    const [x, y] = [g[i]!, w[i]!];
    if (Number.isNaN(y)) expect(x, `element ${i}`).toBeNaN();
    else if (!Number.isFinite(y)) expect(x, `element ${i}`).toBe(y);
    else expect(Math.abs(x - y), `element ${i}: ${x} vs ${y}`).toBeLessThanOrEqual(tol(i) + 1e-30);
  }
}

const JS_OPS: Record<ElementwiseOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  mod: (x, y) => x % y,
};

const abs = (t: Tensor) => K.map(t, Math.abs);

export function kernelProperties(backend: "wasm" | "cpu"): void {
  let engine: Engine;
  beforeAll(async () => {
    engine = await createEngine({ backend, env: {} });
  });

  describe(`${backend}: elementwise with broadcasting`, () => {
    for (const op of ["add", "sub", "mul", "div"] as const) {
      it(`${op} agrees with float64`, () => {
        fc.assert(
          fc.property(
            broadcastPair.chain(([sa, sb]) => fc.tuple(tensorOf(sa!, f32(-1e3, 1e3)), tensorOf(sb!, f32(-1e3, 1e3)))),
            ([a, b]) => {
              const want = K.elementwise(a, b, JS_OPS[op]);
              const scale = op === "add" || op === "sub" ? K.elementwise(abs(a), abs(b), (x, y) => x + y) : abs(want);
              expectAgrees(engine.elementwise(op, a, b), want, (i) => TOL.addSub * scale.data[i]!);
            },
          ),
          { numRuns: RUNS },
        );
      });
    }

    it("mod has JavaScript's sign rule (the dividend's) and is exact on integers", () => {
      const ints = fc.integer({ min: -1000, max: 1000 });
      fc.assert(
        fc.property(
          broadcastPair.chain(([sa, sb]) =>
            fc.tuple(
              tensorOf(sa!, ints),
              tensorOf(
                sb!,
                ints.filter((v) => v !== 0),
              ),
            ),
          ),
          ([a, b]) => {
            expectAgrees(engine.elementwise("mod", a, b), K.elementwise(a, b, JS_OPS.mod), () => 0);
          },
        ),
        { numRuns: RUNS },
      );
      const t = new Tensor([4], Float64Array.of(7, -7, 5.5, -6));
      expectAgrees(engine.elementwise("mod", t, 0), K.elementwise(t, 0, JS_OPS.mod), () => 0); // all NaN
      expectAgrees(engine.elementwise("mod", t, -2.5), K.elementwise(t, -2.5, JS_OPS.mod), () => 1e-6);
    });

    it("a number acts as a rank-0 tensor on either side", () => {
      const t = new Tensor([2, 2], Float64Array.of(1, 2, 3, 4));
      expectAgrees(engine.elementwise("sub", 10, t), K.elementwise(10, t, JS_OPS.sub), () => 0);
      expectAgrees(engine.elementwise("div", t, 4), K.elementwise(t, 4, JS_OPS.div), () => 0);
      expectAgrees(engine.elementwise("add", 1, 2), K.elementwise(1, 2, JS_OPS.add), () => 0);
    });

    it("shapes that do not broadcast fail with the reference's message", () => {
      const a = new Tensor([2, 3], new Float64Array(6));
      const b = new Tensor([4], new Float64Array(4));
      expect(() => engine.elementwise("add", a, b)).toThrow(
        new K.ShapeError("shapes [2,3] and [4] cannot be broadcast together"),
      );
    });
  });

  describe(`${backend}: unary`, () => {
    const cases = [
      ["neg", (x: number) => -x, f32(-1e6, 1e6), () => 0],
      ["abs", Math.abs, f32(-1e6, 1e6), () => 0],
      ["relu", (x: number) => (x > 0 ? x : 0), f32(-1e6, 1e6), () => 0],
      ["exp", Math.exp, f32(-80, 80), (w: number) => TOL.unary * Math.abs(w)],
      ["sqrt", Math.sqrt, f32(-10, 1e6), (w: number) => TOL.unary * Math.abs(w)],
    ] as const;
    for (const [op, f, values, tol] of cases) {
      it(`${op} agrees with float64`, () => {
        fc.assert(
          fc.property(tensorArb(values), (a) => {
            const want = K.map(a, f);
            expectAgrees(engine.unary(op, a), want, (i) => tol(want.data[i]!));
          }),
          { numRuns: RUNS },
        );
      });
    }
  });

  describe(`${backend}: matmul and transpose`, () => {
    const dims = fc.tuple(
      fc.integer({ min: 0, max: 7 }),
      fc.integer({ min: 0, max: 7 }),
      fc.integer({ min: 0, max: 7 }),
    );
    it("matmul agrees with float64 (empty inner dimension gives zeros)", () => {
      fc.assert(
        fc.property(
          dims.chain(([m, k, n]) => fc.tuple(tensorOf([m, k], f32(-10, 10)), tensorOf([k, n], f32(-10, 10)))),
          ([a, b]) => {
            const scale = K.matmul(abs(a), abs(b));
            expectAgrees(engine.matmul(a, b), K.matmul(a, b), (i) => TOL.dot * scale.data[i]!);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it("transpose is exact", () => {
      fc.assert(
        fc.property(
          fc
            .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }))
            .chain(([r, c]) => tensorOf([r, c], f32(-1e6, 1e6))),
          (a) => {
            expectAgrees(engine.transpose(a), K.transpose(a), () => 0);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it("rank and inner-dimension mistakes fail with the reference's messages", () => {
      const v = new Tensor([3], new Float64Array(3));
      const m = new Tensor([2, 3], new Float64Array(6));
      for (const [a, b] of [
        [v, m],
        [m, m],
      ] as const) {
        expect(() => engine.matmul(a, b)).toThrow(captureError(() => K.matmul(a, b)));
      }
      expect(() => engine.transpose(v)).toThrow(captureError(() => K.transpose(v)));
    });
  });

  describe(`${backend}: softmax over the last axis`, () => {
    const values = fc.oneof(
      f32(-10, 10),
      f32(-10, 10),
      f32(-3e38, 3e38),
      fc.constantFrom(Math.fround(1e30), Math.fround(-1e30), Math.fround(3.4e38), 0),
    );
    it("agrees with float64, never NaN, rows sum to 1, even for huge magnitudes", () => {
      fc.assert(
        fc.property(tensorArb(values), (a) => {
          const got = engine.softmax(a);
          expectAgrees(got, K.softmax(a), () => TOL.softmax);
          expect(Array.from(got.data).some(Number.isNaN)).toBe(false);
          const len = a.shape[a.shape.length - 1] ?? 1;
          for (let start = 0; start < got.size; start += len) {
            const row = Array.from(got.data.subarray(start, start + len));
            expect(Math.abs(row.reduce((s, x) => s + x, 0) - 1)).toBeLessThanOrEqual(TOL.softmax);
          }
        }),
        { numRuns: RUNS },
      );
    });

    it("a single element is 1; a row of huge equal values is uniform", () => {
      expectAgrees(engine.softmax(new Tensor([1], Float64Array.of(-5))), new Tensor([1], Float64Array.of(1)), () => 0);
      expectAgrees(engine.softmax(new Tensor([], Float64Array.of(3))), new Tensor([], Float64Array.of(1)), () => 0);
      const big = new Tensor([1, 4], new Float64Array(4).fill(Math.fround(3e38)));
      expectAgrees(engine.softmax(big), new Tensor([1, 4], new Float64Array(4).fill(0.25)), () => TOL.softmax);
    });
  });

  describe(`${backend}: reductions`, () => {
    const reducers = { sum: K.sumOf, mean: K.meanOf, max: K.maxOf, min: K.minOf } as const;
    for (const op of ["sum", "mean", "max", "min"] as const) {
      it(`${op} over everything and over each axis agrees with float64 (empty gives 0, NaN or ∓Infinity)`, () => {
        fc.assert(
          fc.property(
            tensorArb(f32(-1e4, 1e4)).chain((a) =>
              fc.tuple(
                fc.constant(a),
                fc.option(fc.integer({ min: 0, max: Math.max(0, a.shape.length - 1) }), { nil: undefined }),
              ),
            ),
            ([a, axis]) => {
              if (axis !== undefined && a.shape.length === 0) return;
              const want = K.reduce(a, axis, reducers[op]);
              const scaleOf = K.reduce(abs(a), axis, op === "mean" ? K.meanOf : K.sumOf);
              const scale = (i: number) => (typeof scaleOf === "number" ? scaleOf : scaleOf.data[i]!);
              const exact = op === "max" || op === "min";
              expectAgrees(engine.reduce(op, a, axis), want, (i) => (exact ? 0 : TOL.dot * scale(i)));
            },
          ),
          { numRuns: RUNS },
        );
      });
    }

    it("an axis out of range fails with the reference's message", () => {
      const m = new Tensor([2, 3], new Float64Array(6));
      expect(() => engine.reduce("sum", m, 2)).toThrow(captureError(() => K.reduce(m, 2, K.sumOf)));
    });
  });
}

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("the reference did not throw");
}
