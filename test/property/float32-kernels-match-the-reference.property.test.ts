import fc from "fast-check";
import { describe, it } from "vitest";
import type { ElementwiseOp, ReduceOp, UnaryOp } from "../../src/engine/engine.js";
import { Float32Engine } from "../../src/engine/float32-engine.js";
import * as K from "../../src/values/reference-kernels.js";
import {
  anyFloat,
  broadcastShapes,
  expectSameBits,
  OLD,
  oldF32,
  outcome,
  shapeArb,
  tensorArb,
  tensorOf,
} from "../helpers/float32-tensors.js";

// The Float32Engine's loop kernels (src/engine/float32-kernels.ts) give, bit for bit,
// what its old definition gave: the float64 reference kernel, then a float32 copy.
// Random shapes (broadcast pairs, empty and rank-0 tensors), values with NaN,
// infinities, -0 and extreme magnitudes, data in Float32Array and Float64Array; shape
// errors fail with the same message.

const E = new Float32Engine();
const RUNS = 300;
const ELEMENTWISE: ElementwiseOp[] = ["add", "sub", "mul", "div", "mod"];
const UNARY: UnaryOp[] = ["neg", "abs", "relu", "exp", "sqrt"];
const REDUCE: ReduceOp[] = ["sum", "mean", "max", "min"];

describe("the Float32Engine's kernels give exactly the float64 reference rounded to float32", () => {
  it("elementwise operations, broadcast shapes and numbers on either side", () => {
    const operand = (shape: number[]) =>
      fc.oneof(
        tensorOf(shape),
        anyFloat.map((v) => v as number | undefined),
      );
    fc.assert(
      fc.property(
        fc.constantFrom(...ELEMENTWISE),
        broadcastShapes.chain(([a, b]) => fc.tuple(operand(a!), tensorOf(b!), fc.boolean())),
        (op, [a, b, swap]) => {
          const x = a ?? 0;
          const [l, r] = swap ? [b, x] : [x, b];
          expectSameBits(E.elementwise(op, l, r), oldF32(K.elementwise(l, r, OLD.elementwise[op])));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("shapes that do not broadcast fail with the reference's message", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ELEMENTWISE), tensorArb(), tensorArb(), (op, a, b) => {
        const got = outcome(() => E.elementwise(op, a, b));
        const want = outcome(() => oldF32(K.elementwise(a, b, OLD.elementwise[op])));
        expectSameBits(got, want);
      }),
      { numRuns: RUNS },
    );
  });

  it("unary operations", () => {
    fc.assert(
      fc.property(fc.constantFrom(...UNARY), tensorArb(), (op, a) => {
        expectSameBits(E.unary(op, a), oldF32(K.map(a, OLD.unary[op])));
      }),
      { numRuns: RUNS },
    );
  });

  it("reductions over everything and over each axis (an axis out of range fails the same way)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REDUCE),
        tensorArb(),
        fc.option(fc.integer({ min: -1, max: 3 })),
        (op, a, axis) => {
          const ax = axis ?? undefined;
          const got = outcome(() => E.reduce(op, a, ax));
          const want = outcome(() => oldF32(K.reduce(a, ax, OLD.reduce[op])));
          expectSameBits(got, want);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("matmul (inner dimensions that differ and ranks other than 2 fail the same way)", () => {
    const dims = fc.tuple(
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 5 }),
    );
    const pair = fc.oneof(
      dims.chain(([m, k, n]) => fc.tuple(tensorOf([m, k]), tensorOf([k, n]))),
      fc.tuple(tensorArb(), tensorArb()),
    );
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expectSameBits(
          outcome(() => E.matmul(a, b)),
          outcome(() => oldF32(K.matmul(a, b))),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("softmax over the last axis and transpose", () => {
    fc.assert(
      fc.property(
        shapeArb(3, 9).chain((s) => tensorOf(s)),
        (a) => {
          expectSameBits(E.softmax(a), oldF32(K.softmax(a)));
          expectSameBits(
            outcome(() => E.transpose(a)),
            outcome(() => oldF32(K.transpose(a))),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});
