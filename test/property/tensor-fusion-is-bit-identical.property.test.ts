import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { sampleInputs } from "../../src/runtime/prepared.js";
import { Tensor } from "../../src/values/values.js";
import { context, example, inputs, node } from "../helpers/runtimes.js";
import { anyFloat, expectSameRun, tensorOf } from "../helpers/float32-tensors.js";
import { fusedExprs, fusedNode, inputShapes, usableAsR } from "../helpers/fused-tensor-nodes.js";

// The generated tier fuses tensor expressions into loops when the engine is the
// Float32Engine (src/runtime/direct/tensor-fusion.ts). Over random expressions
// (elementwise chains of + - * / with floats, literals and matmuls, relu/exp/sqrt, under
// sum/mean/max/min or softmax) and random inputs (shapes that tile, broadcast otherwise or do
// not broadcast; NaN, infinities, -0, data in Float32Array or Float64Array), the
// generated tier gives the closures tier's answer bit for bit, and fails with the
// same code, message and place.

const runInputs = inputShapes.chain((s) =>
  fc.record({ a: tensorOf(s.a), b: tensorOf(s.b), c: tensorOf(s.c), w: tensorOf(s.w), x: anyFloat }),
);

describe("fused tensor loops on the generated tier", () => {
  it("give the unfused closures tier's answer bit for bit, failures included", async () => {
    await fc.assert(
      fc.asyncProperty(
        // r sometimes under softmax (fused over its operand's loop, or the kernel called directly on a slot).
        fusedExprs,
        runInputs,
        async ([r, f, [reducer, outer]], values) => {
          fc.pre(usableAsR(r));
          const p = fusedNode(r, f, reducer, outer);
          const given = inputs(values);
          const closures = await new DirectRuntime({ hotThreshold: Infinity }).run(p, given, context(p));
          const generated = new DirectRuntime({ hotThreshold: 0 });
          const fused = await generated.run(p, given, context(p));
          expectSameRun(fused, closures);
          // The run did go through fused code whenever the expression had two operations or more.
          expect(generated.cached(p)?.tier.tier).toBe("generated");
        },
      ),
      { numRuns: 300 },
    );
  });

  it("compute a matmul's elements in place in the kernel's order, over longer inner dimensions", async () => {
    const p = node(
      `
node_id: fusion.matmul@1.0.0
type: function
inputs:
  a: tensor<float32, [p, k]>
  w: tensor<float32, [k, q]>
  b: tensor<float32, [q]>
outputs:
  success: {r: "tensor<float32, [p, q]>", h: "tensor<float32, [p, q]>"}
flow:
  - step: t
    op: tensor
    set:
      r: "matmul(a, w) + b"
      h: "relu(matmul(a, w) * 0.5 - b)"
  - step: ret
    op: return
    output: success
    values: {r: r, h: h}
`,
      "fusion-matmul.vsp",
    );
    // Magnitudes far apart against exact small weights, so a sum in another order (or rounded too early)
    // cancels differently and gives other bits.
    const big = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(1e16, -1e16, 1, 3, -5, 0.25) },
      { weight: 1, arbitrary: fc.double({ min: -1e4, max: 1e4 }) },
      { weight: 1, arbitrary: anyFloat },
    );
    const small = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(1, -1, 2, 0.5) },
      { weight: 1, arbitrary: anyFloat },
    );
    const shapes = fc.tuple(
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 8 }),
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom(0, 0, 0, 1),
    );
    const given = shapes.chain(([m, k, q, off]) =>
      fc.record({
        a: tensorOf([m, k], big),
        w: tensorOf([k + off, q], small),
        b: tensorOf(off ? [q + 1] : [q], big),
      }),
    );
    const generated = new DirectRuntime({ hotThreshold: 0 });
    const closures = new DirectRuntime({ hotThreshold: Infinity });
    await fc.assert(
      fc.asyncProperty(given, async (values) => {
        const v = inputs(values);
        expectSameRun(await generated.run(p, v, context(p)), await closures.run(p, v, context(p)));
      }),
      { numRuns: 300 },
    );
    expect(generated.cached(p)?.source).toMatch(/FT\.dot\(/);
  });

  it("are written for the Float32Engine's examples (sensor_anomaly fuses its two mean-of-square reductions)", async () => {
    const p = node(
      `
node_id: fusion.used@1.0.0
type: function
inputs:
  w: tensor<float32, [n]>
outputs:
  success: {s: float}
flow:
  - step: t
    op: tensor
    set:
      s: "sqrt(mean((w - 1.5) * (w - 1.5)))"
  - step: ret
    op: return
    output: success
    values: {s: s}
`,
      "fusion-used.vsp",
    );
    const d = new DirectRuntime({ hotThreshold: 0 });
    const w = new Tensor([3], Float64Array.of(1, 2, 4));
    const r = await d.run(p, inputs({ w }), context(p));
    expect(d.cached(p)?.source).toMatch(/acc = acc \+ Math\.fround\(/);
    const c = await new DirectRuntime({ hotThreshold: Infinity }).run(p, inputs({ w }), context(p));
    expectSameRun(r, c);
  });

  it("run iris's two matmuls (with bias and relu) as loops and its softmax as the kernel, with the closures tier's bits", async () => {
    const p = example("mlp_inference");
    const d = new DirectRuntime({ hotThreshold: 0 });
    for (const { name } of p.node.samples) {
      const given = sampleInputs(p, name);
      const fused = await d.run(p, given, context(p));
      expect(fused.status).toBe("success");
      expectSameRun(fused, await new DirectRuntime({ hotThreshold: Infinity }).run(p, given, context(p)));
    }
    const source = d.cached(p)!.source!;
    expect(source).toMatch(/Math\.fround\(\(\(t = Math\.fround\(FT\.dot\(/);
    expect(source).toMatch(/Math\.fround\(FT\.dot\(/);
    expect(source).toMatch(/\.softmax\(a\)/);
  });
});
