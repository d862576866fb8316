import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BinaryOp, Expr } from "../../src/expr/ast.js";
import { parseExpression } from "../../src/expr/parse.js";
import { printExpression } from "../../src/expr/print.js";
import { withoutSpans } from "../helpers/expr.js";

// The parser's contract: any string either parses (and then prints back to text that
// parses to the same tree) or yields a V400 diagnostic inside the text. It never throws.

const span = { start: 0, end: 0 };
const names = fc.constantFrom("a", "b", "amount", "items", "x_1", "SUM", "matmul", "ANDY", "in_stock");
const binaryOps = fc.constantFrom<BinaryOp>(
  "OR",
  "AND",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "IN",
  "NOT IN",
  "CONTAINS",
  "+",
  "-",
  "*",
  "/",
  "%",
);

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 20n }).map((n): Expr => ({ kind: "integer", text: n.toString(), span })),
  fc.tuple(fc.nat(99999), fc.nat(9999)).map(([i, f]): Expr => ({ kind: "decimal", text: `${i}.${f}`, span })),
  fc.string({ unit: "binary", maxLength: 12 }).map((value): Expr => ({ kind: "string", value, span })),
  fc.boolean().map((value): Expr => ({ kind: "boolean", value, span })),
  fc.constant<Expr>({ kind: "null", span }),
  names.map((name): Expr => ({ kind: "name", name, span })),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("expr"), { maxLength: 3 }).map((items): Expr => ({ kind: "list", items, span })),
    fc
      .tuple(tie("expr"), names)
      .map(([object, property]): Expr => ({ kind: "member", object, property, propertySpan: span, span })),
    fc.tuple(tie("expr"), tie("expr")).map(([object, index]): Expr => ({ kind: "index", object, index, span })),
    fc
      .tuple(fc.constantFrom<"NOT" | "-">("NOT", "-"), tie("expr"))
      .map(([op, operand]): Expr => ({ kind: "unary", op, operand, span })),
    fc
      .tuple(binaryOps, tie("expr"), tie("expr"))
      .map(([op, left, right]): Expr => ({ kind: "binary", op, left, right, span })),
    fc
      .tuple(names, fc.array(tie("expr"), { maxLength: 3 }))
      .map(([callee, args]): Expr => ({ kind: "call", callee, calleeSpan: span, args, span })),
    fc.tuple(names, names, tie("expr"), tie("expr")).map(
      ([fn, variable, collection, body]): Expr => ({
        kind: "aggregate",
        fn,
        calleeSpan: span,
        variable,
        variableSpan: span,
        collection,
        body,
        span,
      }),
    ),
    fc.tuple(fc.constantFrom<"FORALL" | "EXISTS">("FORALL", "EXISTS"), names, tie("expr"), tie("expr")).map(
      ([quantifier, variable, collection, body]): Expr => ({
        kind: "quantifier",
        quantifier,
        variable,
        variableSpan: span,
        collection,
        body,
        span,
      }),
    ),
  ),
}));

/** Fragments that make random text look like expressions often enough to reach deep parser states. */
const token = fc.constantFrom(
  "a",
  "b",
  "x",
  "1",
  "2.5",
  "0",
  "'s'",
  '"t"',
  "(",
  ")",
  "[",
  "]",
  ",",
  ".",
  ":",
  " ",
  "+",
  "-",
  "*",
  "/",
  "%",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "AND",
  "OR",
  "NOT",
  "IN",
  "CONTAINS",
  "FORALL",
  "EXISTS",
  "SUM",
  "old",
  "true",
  "false",
  "null",
  "\\",
  "'",
  '"',
  "\n",
  "@",
  "é",
);

function expectParsesOrDiagnoses(text: string): void {
  const result = parseExpression(text);
  if (result.ok) {
    const printed = printExpression(result.expr);
    const again = parseExpression(printed);
    expect(again.ok, `'${printed}' (printed from '${text}') must parse`).toBe(true);
    if (again.ok) expect(withoutSpans(again.expr)).toEqual(withoutSpans(result.expr));
  } else {
    expect(result.problem.code).toBe("V400");
    expect(result.problem.message.length).toBeGreaterThan(0);
    expect(result.problem.span.start).toBeGreaterThanOrEqual(0);
    expect(result.problem.span.start).toBeLessThanOrEqual(text.length);
  }
}

describe("expression parser properties", () => {
  it("a random valid tree, printed, parses back to the same tree", () => {
    fc.assert(
      fc.property(expr, (tree) => {
        const text = printExpression(tree);
        const result = parseExpression(text);
        expect(result.ok, `printed text '${text}' must parse: ${result.ok ? "" : result.problem.message}`).toBe(true);
        if (result.ok) expect(withoutSpans(result.expr)).toEqual(withoutSpans(tree));
      }),
      { numRuns: 3000 },
    );
  });

  it("arbitrary strings parse and round-trip, or give a positioned diagnostic; nothing throws", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), expectParsesOrDiagnoses), { numRuns: 3000 });
  });

  it("token soup parses and round-trips, or gives a positioned diagnostic; nothing throws", () => {
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 25 }).map((ts) => ts.join("")),
        expectParsesOrDiagnoses,
      ),
      { numRuns: 5000 },
    );
  });
});
