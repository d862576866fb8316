import fc from "fast-check";
import { node } from "./runtimes.js";

// Random tensor expressions and the node that runs them, for the fused-loop properties
// (tensor-fusion-is-bit-identical, tensor-specialised-loops-are-bit-identical): elementwise
// chains of + - * / with floats, literals and matmuls, relu/exp/sqrt, over inputs a, c
// [p, q], b [q], w [q, q] and a float x.

export const tensorExpr: fc.Arbitrary<string> = fc.letrec<{ t: string; f: string }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("a", "b", "c"),
    fc.tuple(tie("t"), fc.constantFrom("+", "-", "*", "/"), tie("t")).map(([l, o, r]) => `(${l} ${o} ${r})`),
    fc
      .tuple(tie("t"), fc.constantFrom("+", "-", "*", "/"), tie("f"), fc.boolean())
      .map(([t, o, f, left]) => (left ? `(${f} ${o} ${t})` : `(${t} ${o} ${f})`)),
    fc.tuple(fc.constantFrom("relu", "exp", "sqrt"), tie("t")).map(([fn, t]) => `${fn}(${t})`),
    // A matmul is a leaf the fused loop computes in place: of a slot, or of a tensor expression (read first).
    fc.constantFrom("matmul(a, w)", "matmul(c, w)", "matmul((a + c), w)", "matmul(relu(a), w)", "matmul(a, (w * 2))"),
  ),
  f: fc.constantFrom("x", "2", "0.5", "-1.5", "0"),
})).t;

/** `r` (sometimes under softmax) and `outer(reducer(f))` as one tensor step, returned. */
export function fusedNode(r: string, f: string, reducer: string, outer: string) {
  return node(
    `
node_id: fusion.agree@1.0.0
type: function
inputs:
  a: tensor<float32, [p, q]>
  b: tensor<float32, [q]>
  c: tensor<float32, [p, q]>
  w: tensor<float32, [q, q]>
  x: float
outputs:
  success: {r: "tensor<float32, [p, q]>", f: float}
flow:
  - step: t
    op: tensor
    set:
      r: "${r}"
      f: "${outer}(${reducer}(${f}))"
  - step: ret
    op: return
    output: success
    values: {r: r, f: f}
`,
    "fusion.vsp",
  );
}

/** The expression r (sometimes under softmax), f, and f's reducer with what is applied to it. */
export const fusedExprs = fc.tuple(
  fc.tuple(tensorExpr, fc.boolean()).map(([t, soft]) => (soft ? `softmax(${t})` : t)),
  tensorExpr,
  // The reduction sometimes under sqrt or exp (of its float: Math's, called directly).
  fc.tuple(fc.constantFrom("sum", "mean", "max", "min"), fc.constantFrom("", "sqrt", "exp")),
);

/** An expression of b and floats alone is a [q] tensor, which the checker refuses as r. */
export const usableAsR = (r: string): boolean => /\b[ac]\b|matmul/.test(r);

export const dims = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }));

/** Mostly shapes that tile [p, q]; sometimes ones that broadcast otherwise ([p, 1]) or not at all. */
export const shapeFor = (base: number[]): fc.Arbitrary<number[]> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant<number[]>(base) },
    { weight: 1, arbitrary: fc.constant<number[]>([1, ...base.slice(-1)]) },
    { weight: 1, arbitrary: fc.constant<number[]>([base[0] ?? 1, 1]) },
    { weight: 1, arbitrary: fc.constant<number[]>(base.map((d) => d + 1)) },
    { weight: 1, arbitrary: fc.constant<number[]>([]) },
  );

/** Each input's shape, drawn from dims [p, q]. */
export const inputShapes = dims.chain(([p, q]) =>
  fc.record({ a: shapeFor([p, q]), b: shapeFor([q]), c: shapeFor([p, q]), w: shapeFor([q, q]) }),
);
