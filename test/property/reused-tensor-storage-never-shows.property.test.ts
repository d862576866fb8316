import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import type { PreparedNode } from "../../src/runtime/prepared.js";
import { context, inputs, node } from "../helpers/runtimes.js";
import { anyFloat, expectSameRun, tensorOf } from "../helpers/float32-tensors.js";
import { inputShapes } from "../helpers/fused-tensor-nodes.js";

// A plain generated run keeps a tensor binding that nothing reads once its step is over
// (src/runtime/direct/step-local.ts) in storage its specialised loop reuses from run to run.
// Over random nodes whose bindings h and g are read in every way a node can read them
// (by later tensor operations of the same step, bare, by an element read, by a later step,
// by a postcondition, as an output), run again and again on one runtime with new values,
// every run gives the unfused closures tier's answer bit for bit, and the answers of the
// earlier runs, compared again after the last run, have not changed.

/** A tensor expression over the names `leaves` (each a [p, q] or [q] tensor), with floats and matmuls. */
const exprOver = (leaves: string[]): fc.Arbitrary<string> =>
  fc.letrec<{ t: string }>((tie) => ({
    t: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...leaves),
      fc.tuple(tie("t"), fc.constantFrom("+", "-", "*", "/"), tie("t")).map(([l, o, r]) => `(${l} ${o} ${r})`),
      fc
        .tuple(tie("t"), fc.constantFrom("+", "*"), fc.constantFrom("x", "2", "-0.5"))
        .map(([t, o, f]) => `(${t} ${o} ${f})`),
      fc.tuple(fc.constantFrom("relu", "exp", "softmax"), tie("t")).map(([fn, t]) => `${fn}(${t})`),
      fc.constantFrom(...leaves).map((l) => `matmul(${l}, w)`),
    ),
  })).t;

/** A binding's value: a tensor expression, mostly of two operations or more, sometimes one name bare. */
const valueOver = (leaves: string[]) =>
  fc.oneof({ weight: 5, arbitrary: exprOver(leaves) }, { weight: 1, arbitrary: fc.constantFrom(...leaves) });

const program = fc.record({
  h: valueOver(["a", "c", "b"]),
  g: valueOver(["a", "h", "b"]),
  r: valueOver(["h", "g", "c"]),
  // Read in a later step: the binding's tensor, an element of it, or neither.
  e: fc.constantFrom("a + c", "h * 2", "relu(g) + 1", "g"),
  f: fc.constantFrom("x", "h[0][0]", "sum(g)", "max(h + g)"),
  post: fc.constantFrom("", "sum(h) == sum(h)", "g[0][0] == g[0][0]"),
});

function storageNode(p: { h: string; g: string; r: string; e: string; f: string; post: string }): PreparedNode {
  const post = p.post ? `contracts:\n  postconditions: ["${p.post} OR true"]\n` : "";
  return node(
    `
node_id: fusion.reused@1.0.0
type: function
inputs:
  a: tensor<float32, [p, q]>
  b: tensor<float32, [q]>
  c: tensor<float32, [p, q]>
  w: tensor<float32, [q, q]>
  x: float
outputs:
  success: {r: "tensor<float32, [p, q]>", e: "tensor<float32, [p, q]>", f: float}
${post}flow:
  - step: t
    op: tensor
    set:
      h: "${p.h}"
      g: "${p.g}"
      r: "${p.r}"
  - step: u
    op: tensor
    set:
      e: "${p.e}"
      f: "${p.f}"
  - step: ret
    op: return
    output: success
    values: {r: r, e: e, f: f}
`,
    "fusion-reused.vsp",
  );
}

const valuesOf = (s: { a: number[]; b: number[]; c: number[]; w: number[] }) =>
  fc.record({ a: tensorOf(s.a), b: tensorOf(s.b), c: tensorOf(s.c), w: tensorOf(s.w), x: anyFloat });
/** Runs of one set of shapes, so the specialised loops (and their storage) are used from the second run on. */
const runs = inputShapes.chain((s) => fc.array(valuesOf(s), { minLength: 2, maxLength: 4 }));

describe("tensor storage a plain run reuses", () => {
  it("never shows: every run, and every earlier run's answer afterwards, is the closures tier's", async () => {
    await fc.assert(
      fc.asyncProperty(program, runs, async (prog, sets) => {
        let p: PreparedNode;
        try {
          p = storageNode(prog);
        } catch {
          // An expression the checker refuses (a [q] tensor where [p, q] is declared): draw again.
          fc.pre(false);
          return;
        }
        const generated = new DirectRuntime({ hotThreshold: 0 });
        const closures = new DirectRuntime({ hotThreshold: Infinity });
        const answers = [];
        for (const v of sets) {
          const given = inputs(v);
          const got = await generated.run(p, given, context(p));
          const want = await closures.run(p, given, context(p));
          expectSameRun(got, want);
          answers.push([got, want] as const);
        }
        for (const [got, want] of answers) expectSameRun(got, want);
        expect(generated.cached(p)?.tier.tier).toBe("generated");
      }),
      { numRuns: 300 },
    );
  });
});
