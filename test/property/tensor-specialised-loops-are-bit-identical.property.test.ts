import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { context, inputs, node } from "../helpers/runtimes.js";
import { anyFloat, expectSameRun, tensorOf } from "../helpers/float32-tensors.js";
import { fusedExprs, fusedNode, inputShapes, usableAsR } from "../helpers/fused-tensor-nodes.js";

// A fused tensor loop (and softmax of a tensor, or one elementwise operator on two leaves:
// the kernel called directly), once it has run, is written again for the shapes it saw
// (src/runtime/direct/tensor-specialise.ts) and tried first on later runs behind a guard
// on the shapes. Over random expressions run again and again on one runtime, with new
// values of the same shapes (which take the specialised loop), then values of other
// shapes (which miss its guard and may have it written again), then the first shapes
// once more, every run gives the unfused closures tier's answer bit for bit, failures
// included.

/** Values that cancel in a sum (far-apart magnitudes against small exact ones) as often as any float. */
const values = fc.oneof(
  { weight: 2, arbitrary: anyFloat },
  { weight: 1, arbitrary: fc.constantFrom(1e16, -1e16, 1, 3, -5, 0.25, -1, 2, 0.5) },
);
type Shapes = { a: number[]; b: number[]; c: number[]; w: number[] };
const valuesOf = (s: Shapes) =>
  fc.record({
    a: tensorOf(s.a, values),
    b: tensorOf(s.b, values),
    c: tensorOf(s.c, values),
    w: tensorOf(s.w, values),
    x: values,
  });
/** The same number of elements in another shape (a guard that checks only sizes lets it through), or the shape itself. */
const reshaped = (shape: number[]) =>
  fc.constantFrom(
    shape,
    [1, ...shape],
    [...shape, 1],
    shape.slice(1),
    shape.filter((d) => d !== 1),
    [...shape].reverse(),
  );
/** One input's shape changed for another of its size. */
const sameSizes = (s: Shapes) =>
  fc
    .constantFrom("a", "b", "c", "w")
    .chain((name) => reshaped(s[name as keyof Shapes]).map((shape) => ({ ...s, [name]: shape })));
/** Runs of the first shapes, runs of others (of the same sizes, or any), then the first shapes again. */
const sequence = inputShapes
  .chain((first) => fc.tuple(fc.constant(first), fc.oneof(sameSizes(first), inputShapes)))
  .chain(([first, other]) =>
    fc
      .tuple(
        fc.array(valuesOf(first), { minLength: 2, maxLength: 4 }),
        fc.array(valuesOf(other), { minLength: 1, maxLength: 2 }),
        valuesOf(first),
      )
      .map(([a, b, c]) => [...a, ...b, c]),
  );

describe("fused tensor loops specialised to the shapes they saw", () => {
  it("give the unfused closures tier's answer bit for bit on every later run, whatever the shapes", async () => {
    await fc.assert(
      fc.asyncProperty(fusedExprs, sequence, async ([r, f, [reducer, outer]], runs) => {
        fc.pre(usableAsR(r));
        const p = fusedNode(r, f, reducer, outer);
        const generated = new DirectRuntime({ hotThreshold: 0 });
        const closures = new DirectRuntime({ hotThreshold: Infinity });
        for (const v of runs) {
          const given = inputs(v);
          expectSameRun(await generated.run(p, given, context(p)), await closures.run(p, given, context(p)));
        }
        expect(generated.cached(p)?.tier.tier).toBe("generated");
      }),
      { numRuns: 250 },
    );
  });

  it("sum a matmul's products in the kernel's order, over longer inner dimensions", async () => {
    const p = node(
      `
node_id: fusion.specialised_matmul@1.0.0
type: function
inputs:
  a: tensor<float32, [p, k]>
  w: tensor<float32, [k, q]>
  b: tensor<float32, [q]>
outputs:
  success: {r: "tensor<float32, [p, q]>", h: "tensor<float32, [p, q]>", s: float}
flow:
  - step: t
    op: tensor
    set:
      r: "matmul(a, w) + b"
      h: "softmax(relu(matmul(a, w) * 0.5 - b))"
      s: "max(matmul(a, w) - b)"
  - step: ret
    op: return
    output: success
    values: {r: r, h: h, s: s}
`,
      "fusion-specialised-matmul.vsp",
    );
    // Magnitudes far apart against exact small weights: a sum in another order, or rounded early, gives other bits.
    const big = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(1e16, -1e16, 1, 3, -5, 0.25) },
      { weight: 1, arbitrary: fc.double({ min: -1e4, max: 1e4 }) },
      { weight: 1, arbitrary: anyFloat },
    );
    const small = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(1, -1, 2, 0.5) },
      { weight: 1, arbitrary: anyFloat },
    );
    const runs = fc
      .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 4 }))
      .chain(([m, k, q]) =>
        fc.array(fc.record({ a: tensorOf([m, k], big), w: tensorOf([k, q], small), b: tensorOf([q], big) }), {
          minLength: 2,
          maxLength: 6,
        }),
      );
    await fc.assert(
      fc.asyncProperty(runs, async (sets) => {
        const generated = new DirectRuntime({ hotThreshold: 0 });
        const closures = new DirectRuntime({ hotThreshold: Infinity });
        for (const v of sets) {
          const given = inputs(v);
          expectSameRun(await generated.run(p, given, context(p)), await closures.run(p, given, context(p)));
        }
      }),
      { numRuns: 200 },
    );
  });
});
