import { describe, expect, it } from "vitest";
import type { Op } from "../../../../src/runtime/direct/op-tree.js";
import { assigned, lowered, show } from "../../../helpers/direct-passes.js";

// Compiler pass 2 (Lowerer in src/runtime/direct/lower.ts): a checked expression
// becomes a typed operation tree. Where both operands are proven (proven.ts) it picks
// the specialised operation (bigint with an overflow check, Decimal methods, plain
// float operators, === on strings); anything unproven goes through the dynamic
// operations that reproduce the reference evaluator. Literals are built once, here.
// Trees are compared in the text form of test/helpers/direct-passes.ts (spans left out).

const INPUTS = `
  i: integer
  j: integer
  d: decimal
  e: decimal
  f: float
  g: float
  s: string
  t: string
  b: boolean
  c: "enum[A, B]"
  xs: array<integer>
  ts: tensor<float32, [2, 2]>
  opt: {type: integer, required: false}
  optd: {type: decimal, required: false}
  optb: {type: boolean, required: false}`;

/** The operation tree of one expression, assigned in a node with the inputs above. */
function lower(expr: string): Op {
  const { L } = lowered({
    inputs: INPUTS,
    flow: `
      - step: one
        op: compute
        set:
          v: ${JSON.stringify(expr)}
      - step: done
        op: return
        output: success
        values:
          y: "i"`,
  });
  return assigned(L, "one", "v");
}
const text = (expr: string) => show(lower(expr));

describe("proven integers", () => {
  it("use the bigint operations with an overflow check; / is exact division (a decimal)", () => {
    expect(text("i + j")).toBe("addI(i@0, j@1)");
    expect(text("i - j")).toBe("subI(i@0, j@1)");
    expect(text("i * j")).toBe("mulI(i@0, j@1)");
    expect(text("i / j")).toBe("divI(i@0, j@1)");
    expect(text("i % j")).toBe("modI(i@0, j@1)");
    expect(text("-i")).toBe("negI(i@0)");
  });

  it("compare with plain operators, which are IEEE 754's for floats (NaN unordered)", () => {
    expect(text("i < j")).toBe("(i@0 < j@1)");
    expect(text("i >= j")).toBe("(i@0 >= j@1)");
    expect(text("i <= j")).toBe("(i@0 <= j@1)");
    expect(text("i == j")).toBe("(i@0 === j@1)");
    expect(text("i != j")).toBe("(i@0 !== j@1)");
  });

  it("keep a literal up to the 64-bit maximum as a constant, and check one past it when it runs", () => {
    expect(text("9223372036854775807")).toBe("9223372036854775807n");
    // The reference raises the overflow when it evaluates the literal; so must the direct runtime.
    expect(text("9223372036854775808")).toBe("ck(9223372036854775808n)");
  });
});

describe("proven decimals", () => {
  it("compute on scaled integers: operands are read once through S(), one Decimal is made at the end", () => {
    expect(text("d + e")).toBe("fromS(addS(S(d@2), S(e@3)))");
    expect(text("d - e")).toBe("fromS(subS(S(d@2), S(e@3)))");
    expect(text("d * i")).toBe("fromS(mulS(S(d@2), S(i@0)))");
    expect(text("-d")).toBe("fromS(negS(S(d@2)))");
    expect(text("ROUND(d * e + i, 2, 'HALF_EVEN')")).toBe("fromS(roundS(addS(mulS(S(d@2), S(e@3)), S(i@0)), f2, f6))");
  });

  it("compare on scaled integers without making a Decimal", () => {
    expect(text("d == e")).toBe("eqS(S(d@2), S(e@3))");
    expect(text("d != e")).toBe("!eqS(S(d@2), S(e@3))");
    expect(text("d < e")).toBe("(cmpS(S(d@2), S(e@3)) < f0)");
    expect(text("i <= d")).toBe("(cmpS(S(i@0), S(d@2)) <= f0)");
  });

  it("divide with decimal.js, on Decimals made from the scaled operands", () => {
    expect(text("d / e")).toBe("divD(D(d@2), D(e@3))");
    expect(text("(d + e) / e")).toBe("divD(D(fromS(addS(S(d@2), S(e@3)))), D(e@3))");
  });

  it("build literal operands as scaled constants once, integers included", () => {
    expect(text("d + 0.5")).toBe("fromS(addS(S(d@2), s0.5))");
    expect(text("d <= 1")).toBe("(cmpS(S(d@2), s1) <= f0)");
  });

  it("keep an unproven or optional operand, and ROUND to places not written as a constant, on the checked path", () => {
    expect(text("optd + d")).toBe('arith("+", optd@13, d@2, E)');
    expect(text("ROUND(d, i)")).toBe("round(d@2, i@0, undefined)");
  });

  it("add a SUM of decimals as scaled integers, and let its result (0 when empty) into scaled arithmetic", () => {
    const { L } = lowered({
      inputs: `${INPUTS}
  ds: array<decimal>`,
      flow: `
        - step: one
          op: compute
          set:
            total: "SUM(x IN ds: x * 2)"
            more: "total + d"
        - step: done
          op: return
          output: success
          values:
            y: "i"`,
    });
    expect(show(assigned(L, "one", "total"))).toBe("SUMS @20 IN ds@15: mulS(S(x@20), s2) :decimal");
    expect(show(assigned(L, "one", "more"))).toBe("fromS(addS(S(bound(total@19)), S(d@2)))");
  });
});

describe("proven floats, strings, booleans and enums", () => {
  it("use plain JavaScript operators on floats, with constants as numbers", () => {
    expect(text("f + g")).toBe("(F(f@4) + F(g@5))");
    expect(text("f * 2")).toBe("(F(f@4) * f2)");
    expect(text("-f")).toBe("-F(f@4)");
    expect(text("f < g")).toBe("(f@4 < g@5)");
  });

  it("concatenate and compare strings with + and ===; an enum compares to its member's string", () => {
    expect(text("s + t")).toBe("(s@6 + t@7)");
    expect(text("s < t")).toBe("(s@6 < t@7)");
    expect(text("s != t")).toBe("(s@6 !== t@7)");
    expect(text("c == 'A'")).toBe('(c@9 === "A")');
  });

  it("combine booleans with && and ! without converting them", () => {
    expect(text("b AND i > 0")).toBe("(b@8 && (i@0 > 0n))");
    expect(text("b OR NOT b")).toBe("(b@8 || !b@8)");
  });

  it("hand tensors to the engine", () => {
    expect(text("ts + ts")).toBe('tensorArith(E, "+", ts@11, ts@11)');
    expect(text("matmul(ts, ts)")).toBe('tensorFn(E, "matmul", ts@11, ts@11)');
    expect(text("relu(ts)")).toBe('tensorFn(E, "relu", ts@11, undefined)');
  });
});

describe("operands that are not proven", () => {
  it("take the dynamic operations: an optional input may be null", () => {
    expect(text("opt + i")).toBe('arith("+", opt@12, i@0, E)');
    expect(text("opt + 1.5")).toBe('arith("+", opt@12, d1.5, E)');
    expect(text("optd + d")).toBe('arith("+", optd@13, d@2, E)');
    expect(text("-opt")).toBe("neg(opt@12, E)");
    expect(text("NOT optb")).toBe("not(optb@14)");
    expect(text("optb AND b")).toBe("(bool(optb@14) && b@8)");
  });

  it("still compare integers with ===, which agrees with Vesper equality when one side is null", () => {
    expect(text("opt == i")).toBe("(opt@12 === i@0)");
  });

  it("take the dynamic operations for an element read by index (the index may be out of range)", () => {
    expect(text("xs[0] + 1")).toBe('arith("+", at(xs@10, 0n), 1n, E)');
  });

  it("take the dynamic operations for SUM, MIN and MAX whose result may not have the checked type", () => {
    // MIN(1, 2.5) is the integer 1 although typed decimal: integer + integer stays an integer.
    expect(text("MIN(i, d) + 1")).toBe('arith("+", extreme("MIN", [i@0, d@2]), 1n, E)');
    // Of integers only, they always give a bigint.
    expect(text("MIN(i, j) + 1")).toBe('addI(extreme("MIN", [i@0, j@1]), 1n)');
    expect(text("SUM(xs) + 1")).toBe("addI(sumOf(xs@10, E), 1n)");
  });
});

describe("names, built-ins and binder forms", () => {
  it("reads inputs without a bound check and bindings with one", () => {
    const { L } = lowered({
      flow: `
        - step: one
          op: compute
          set:
            a: "x"
            b: "a"
        - step: done
          op: return
          output: success
          values:
            y: "b"`,
    });
    expect(show(assigned(L, "one", "a"))).toBe("x@0");
    expect(show(assigned(L, "one", "b"))).toBe("bound(a@4)");
  });

  it("lowers IN, NOT IN and CONTAINS to one contains() with the container first", () => {
    expect(text("i IN xs")).toBe("contains(xs@10, i@0)");
    expect(text("i NOT IN xs")).toBe("!contains(xs@10, i@0)");
    expect(text("xs CONTAINS i")).toBe("contains(xs@10, i@0)");
  });

  it("lowers the built-ins to their operations, MIN/MAX of several values to a list", () => {
    expect(text("LEN(s)")).toBe("len(s@6)");
    expect(text("COUNT(xs)")).toBe("len(xs@10)");
    expect(text("MAX(xs)")).toBe('extremeOf("MAX", xs@10)');
    expect(text("ROUND(d, 2)")).toBe("fromS(roundS(S(d@2), f2, f4))");
    expect(text("ROUND(d, 2, 'HALF_EVEN')")).toBe("fromS(roundS(S(d@2), f2, f6))");
    expect(text("ROUND(f, 2, 'HALF_EVEN')")).toBe('round(f@4, 2n, "HALF_EVEN")');
    expect(text("ABS(f)")).toBe("abs(f@4, E)");
    expect(text("[i, j]")).toBe("[i@0, j@1]");
  });

  it("lowers now() and random() to the context, never to a value fixed at compile time", () => {
    expect(text("now()")).toBe("now()");
    expect(text("random()")).toBe("random()");
  });

  it("lowers aggregates and quantifiers to loops over a slot of their own, typed by their body", () => {
    expect(text("COUNT(k IN xs: k > 1)")).toMatch(/^COUNT @(\d+) IN xs@10: \(k@\1 > 1n\) :boolean$/);
    expect(text("MIN(k IN xs: k)")).toMatch(/^MIN @(\d+) IN xs@10: k@\1 :integer$/);
    expect(text("SUM(k IN xs: k * i)")).toMatch(/^SUM @(\d+) IN xs@10: mulI\(k@\1, i@0\) :integer$/);
    expect(text("FORALL k IN xs: k > 0")).toMatch(/^FORALL @(\d+) IN xs@10: \(k@\1 > 0n\) :boolean$/);
  });

  it("lowers old(e) in a postcondition to the value captured at entry, by index", () => {
    const { L } = lowered({
      contracts: `
        postconditions:
          - "output.y >= old(x)"
          - "output.y != old(x + 1)"`,
      flow: `
        - step: done
          op: return
          output: success
          values:
            y: "x"`,
    });
    expect(L.old.map((o) => show(o.op))).toEqual(["x@0", "addI(x@0, 1n)"]);
    // output is bound in a postcondition, and output.y proven (its return sets it to a proven x).
    expect(L.postconditions.map((o) => show(o.op))).toEqual([
      '(get(output@3, "y") >= old[0])',
      // Both sides are integers by their checked types: === is exact even if one were null.
      '(get(output@3, "y") !== old[1])',
    ]);
  });

  it("lowers an expression nested to the limit (100 parenthesized additions, 200 levels) to a chain of 100 additions", () => {
    let expr = "i";
    for (let n = 0; n < 100; n++) expr = `(${expr} + 1)`;
    let depth = 0;
    for (let op = lower(expr); op.k === "call" && op.fn === "addI"; op = op.args[0]!) depth++;
    expect(depth).toBe(100);
  });
});
