import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { context, inputs, node, reference } from "../helpers/runtimes.js";
import { anyFloat, expectSameRun, tensorOf } from "../helpers/float32-tensors.js";

// The direct compiler speculates on float bindings it cannot prove (lower.ts lower()):
// a tensor's elements `t[i][j]` are floats only while t has the declared rank, so an
// expression reading them is generated twice, once with plain float operators (+ - * /,
// MAX/MIN as one comparison per value, comparisons with literals inline) behind a check
// that each such binding holds a number, and once as before. Over random float
// expressions of such elements (with floats, literals, MAX, MIN, ABS, comparisons, AND,
// OR), two tensors each of rank 1 to 3 (so an element is sometimes a tensor, or out of range) and
// a binding set from an element on one branch and from a float input on the other, the generated tier gives the
// closures tier's answer (which never speculates) bit for bit, and fails with the same code, message and place;
// where the elements are floats, so does the reference. The closures tier once dropped the last two arguments
// of at2 (seven), so an element of a tensor of another rank failed with a TypeError there, not R102. The generated
// tier reads `t[0][1]` in place with its indices folded (tensor-fusion.ts elementAt): shapes with too few rows or
// columns, or another rank, hold it to at2's answer or failure.

const literal = fc.constantFrom("2", "0.5", "-1.5", "0.0", "1e-3");
const floatExpr: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("a", "b", "c", "x", "d", "FLOAT(0.5)"),
    fc.tuple(tie("f"), fc.constantFrom("+", "-", "*", "/"), tie("f")).map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc.tuple(tie("f"), fc.constantFrom("+", "-", "*", "/"), literal).map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc
      .tuple(fc.constantFrom("MAX", "MIN"), fc.array(tie("f"), { minLength: 2, maxLength: 4 }))
      .map(([fn, args]) => `${fn}(${args.join(", ")})`),
    tie("f").map((f) => `ABS(${f})`),
  ),
})).f;

/** MAX and MIN of elements alone, often: a wrong choice between equal values (0 and -0) shows in the result. */
const extremes = fc.constantFrom("MAX(a, b, c)", "MIN(a, b, d)", "MAX(x, a)", "MIN(c, x)");
const comparison = fc
  .tuple(floatExpr, fc.constantFrom("<", "<=", ">", ">=", "==", "!="), fc.oneof(floatExpr, literal))
  .map(([l, o, r]) => `${l} ${o} ${r}`);
const condition = fc.oneof(
  comparison,
  fc.tuple(comparison, fc.constantFrom("AND", "OR"), comparison).map(([l, o, r]) => `(${l}) ${o} (${r})`),
);

function speculatingNode(f: string, ok: string) {
  return node(
    `
node_id: speculate.agree@1.0.0
type: function
inputs:
  t: tensor<float32, [n, m]>
  u: tensor<float32, [n, m]>
  x: float
outputs:
  success: {f: float, ok: boolean}
flow:
  - step: read
    op: tensor
    set:
      a: "t[0][0]"
      b: "u[0][1]"
      c: "t[1][0]"
  - step: maybe
    op: branch
    if: "x > 0"
    then:
      - step: set_d
        op: compute
        set:
          d: "a * x"
    else:
      - step: set_d_too
        op: compute
        set:
          d: "x"
  - step: work
    op: compute
    set:
      f: "${f}"
      ok: "${ok}"
  - step: ret
    op: return
    output: success
    values: {f: f, ok: ok}
`,
    "speculate.vsp",
  );
}

/** Mostly [2, 2] and wider (every element there, all floats); sometimes rank 1 or 3, or too few rows or columns. */
const shape = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 3 })) },
  { weight: 1, arbitrary: fc.constant([2, 2, 2]) },
  { weight: 1, arbitrary: fc.constant([4]) },
  { weight: 1, arbitrary: fc.constant([1, 2]) },
  { weight: 1, arbitrary: fc.constant([2, 1]) },
);
/** Ties often (0 against -0, equal values, NaN), where MAX, MIN and the comparisons differ if anything does. */
const element = fc.oneof(anyFloat, fc.constantFrom(0, -0, 1, -1, Number.NaN));
const runInputs = fc.record({
  t: shape.chain((s) => tensorOf(s, element)),
  u: shape.chain((s) => tensorOf(s, element)),
  x: element,
});

describe("speculated float operations on a tensor's elements", () => {
  it("give the unspeculated closures tier's answers bit for bit, failures included, and the reference's on floats", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(floatExpr, extremes), condition, runInputs, async (f, ok, values) => {
        const p = speculatingNode(f, ok);
        const given = inputs(values);
        // The closures tier never speculates: the oracle for every input, tensor arithmetic included.
        const want = await new DirectRuntime({ hotThreshold: Infinity }).run(p, given, context(p));
        const generated = new DirectRuntime({ hotThreshold: 0 });
        expectSameRun(await generated.run(p, given, context(p)), want);
        expect(generated.cached(p)?.tier.tier).toBe("generated");
        // Where the elements are floats (no tensor arithmetic, whose oracle is the Float32Engine), the reference agrees.
        const floats = (s: readonly number[]) => s.length === 2 && s[0]! >= 2 && s[1]! >= 2;
        if (floats(values.t.shape) && floats(values.u.shape))
          expectSameRun(await reference.run(p, given, context(p)), want);
      }),
      { numRuns: 400 },
    );
  });

  it("are generated behind a check that the elements are numbers", () => {
    const p = speculatingNode("MAX(a, b, c) + x", "a >= b AND a < 0.5");
    const d = new DirectRuntime({ hotThreshold: 0 });
    d.compile(p);
    const source = d.cached(p)!.source!;
    expect(source).toMatch(/typeof s\[\d+\] === "number" && typeof s\[\d+\] === "number"/);
    expect(source).toContain("O.maxF(O.maxF(");
  });
});
