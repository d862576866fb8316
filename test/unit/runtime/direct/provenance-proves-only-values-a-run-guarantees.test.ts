import { describe, expect, it } from "vitest";
import { Provenance, provenNames } from "../../../../src/runtime/direct/proven.js";
import { exprOf, type PreparedNode } from "../../../../src/runtime/prepared.js";
import type { Expr } from "../../../../src/expr/ast.js";
import type { Step } from "../../../../src/ir/ast.js";
import { assigned, lowered, prepared, RETURN_X, show, type NodeParts } from "../../../helpers/direct-passes.js";

// The provenance pass (src/runtime/direct/proven.ts): which values are proven to be
// non-null and held in exactly the representation of their checked type. Only proven
// operands may take the typed fast paths; a checked type alone is not enough (an
// optional input is null when absent, MIN(1, 2.5) is the integer 1 although typed
// decimal, SUM of nothing is the integer 0). provenNames is a least fixpoint over
// every assignment of every binding.

const ret = RETURN_X;

const names = (parts: NodeParts) => [...provenNames(prepared(parts))].sort();

/** The checked expression assigned to `name` anywhere in the flow (branches included). */
function expression(p: PreparedNode, name: string): Expr {
  const find = (steps: Step[]): Expr | undefined => {
    for (const s of steps) {
      if (s.op === "compute" || s.op === "tensor") {
        const a = s.assignments.find((x) => x.name === name);
        if (a) return exprOf(a.value);
      }
      if (s.op === "branch") {
        const e = find(s.then) ?? find(s.else);
        if (e) return e;
      }
    }
    return undefined;
  };
  return find(p.node.flow) ?? expect.fail(`nothing assigns '${name}'`);
}

describe("the names proven throughout a node", () => {
  it("are the required inputs and those with a default, and `input`; not an optional input without one", () => {
    expect(
      names({
        inputs: `
          x: integer
          opt: {type: integer, required: false}
          dflt: {type: decimal, default: 1.5}
          cur: {type: "enum[USD, EUR]", default: USD}`,
        flow: [ret],
      }),
    ).toEqual(["cur", "dflt", "input", "x"]);
  });

  it("include `state` only when the node declares states", () => {
    expect(names({ flow: [ret] })).not.toContain("state");
    const states = "initial: open\nstates: [open, closed]\nfinal: [closed]\ntransitions:\n  open: [closed]";
    expect(names({ states, flow: [ret] })).toContain("state");
  });

  it("include a binding whose every assignment is proven and of one kind", () => {
    const proven = names({
      inputs: "x: integer\nd: decimal",
      flow: [
        `
        - step: one
          op: compute
          set:
            a: "x + 1"
            b: "a * 2"
            c: "d + a"
            s: "'text'"
            n: "LEN(s)"
            r: "ROUND(d, 2)"
            q: "x > 3"`,
        ret,
      ],
    });
    expect(proven).toEqual(expect.arrayContaining(["a", "b", "c", "s", "n", "r", "q"]));
  });

  it("leave out a binding assigned from a value that may be null or of another representation", () => {
    const proven = names({
      inputs: "x: integer\nxs: array<integer>\nopt: {type: integer, required: false}",
      flow: [
        `
        - step: one
          op: compute
          set:
            from_optional: "opt + 1"
            from_index: "xs[0]"
            from_sum: "SUM(xs)"
            from_min: "MIN(x, 2.5)"
            from_max: "MAX(xs)"
            from_sum_loop: "SUM(k IN xs: k)"
            counted: "COUNT(k IN xs: k > 1)"`,
        ret,
      ],
    });
    for (const n of ["from_optional", "from_index", "from_sum", "from_min", "from_max", "from_sum_loop"])
      expect(proven, n).not.toContain(n);
    expect(proven).toContain("counted");
  });

  it("leave out a binding assigned an integer in one arm and a decimal in the other", () => {
    const proven = names({
      flow: [
        `
        - step: pick
          op: branch
          if: "x > 0"
          then:
            - step: p
              op: compute
              set:
                w: "1"
          else:
            - step: n
              op: compute
              set:
                w: "1.5"`,
        ret,
      ],
    });
    expect(proven).not.toContain("w");
  });

  it("count a fallback's assignment as one more source of its binding", () => {
    const flow = (fallback: string) => `
        - step: divide
          op: compute
          set:
            w: "x + 1"
          error_handling:
            fallback:
              set:
                w: "${fallback}"`;
    const inputs = "x: integer\nopt: {type: integer, required: false}";
    expect(names({ inputs, flow: [flow("0"), ret] })).toContain("w");
    expect(names({ inputs, flow: [flow("opt"), ret] })).not.toContain("w");
  });

  it("include a call's result checked against `returns`, and not one that was not", () => {
    const call = (returns: string) => `
        - step: charge
          op: call
          tool: sim.payments.charge
          args:
            amount: "x"
            currency: "'USD'"
            idempotency_key: "'key-12345678'"
          bind: result
${returns}`;
    const typed = "          returns:\n            id: string\n            status: enum[succeeded, declined]";
    expect(names({ flow: [call(typed), ret] })).toContain("result");
    expect(names({ flow: [call(""), ret] })).not.toContain("result");
  });

  it("reach a binding proven only through one that is proven later in the same pass (the fixpoint iterates)", () => {
    // c is first assigned before b exists; its second source, b, is proven on the first round, c on the second.
    const proven = names({
      flow: [
        `
        - step: one
          op: compute
          set:
            c: "1"
        - step: two
          op: compute
          set:
            b: "x + 2"
        - step: three
          op: compute
          set:
            c: "b"`,
        ret,
      ],
    });
    expect(proven).toEqual(expect.arrayContaining(["b", "c"]));
  });

  it("leave out a binding that feeds only on itself: the least fixpoint never assumes it", () => {
    const proven = names({
      flow: [
        `
        - step: one
          op: compute
          set:
            n: "x + 1"
        - step: two
          op: compute
          set:
            n: "n + 1"`,
        ret,
      ],
    });
    expect(proven).not.toContain("n");
  });
});

describe("proven expressions", () => {
  const p = prepared({
    types: `
      Customer:
        fields:
          id: string
          nickname: {type: string, required: false}
          balance: decimal`,
    inputs: `
      x: integer
      d: decimal
      xs: array<integer>
      who: Customer
      maybe: {type: Customer, required: false}
      opt: {type: integer, required: false}`,
    flow: [
      `
      - step: one
        op: compute
        set:
          e_literal: "1.5"
          e_list: "[1, 2]"
          e_required_field: "who.balance"
          e_optional_field: "who.nickname"
          e_field_of_optional: "maybe.balance"
          e_index: "xs[0]"
          e_arith: "x + d"
          e_arith_opt: "x + opt"
          e_compare_opt: "opt > 1"
          e_round: "ROUND(d, 1)"
          e_round_opt: "ROUND(opt, 1)"
          e_abs_opt: "ABS(opt)"
          e_len: "LEN(xs)"
          e_now: "now()"
          e_random: "random()"
          e_min: "MIN(x, d)"
          e_count: "COUNT(k IN xs: k > 0)"
          e_exists: "EXISTS k IN xs: k > 0"
          e_sum: "SUM(k IN xs: k)"
          e_neg_opt: "-opt"`,
      ret,
    ],
  });
  const provenance = new Provenance(p.exprTypes, p.types, provenNames(p));
  const proven = (name: string) => provenance.proven(expression(p, name));

  it("prove literals, required fields of a proven record, comparisons, built-ins that always give a value", () => {
    for (const n of [
      "e_literal",
      "e_list",
      "e_required_field",
      "e_arith",
      "e_compare_opt",
      "e_round",
      "e_len",
      "e_now",
      "e_random",
      "e_count",
      "e_exists",
    ])
      expect(proven(n), n).toBe(true);
  });

  it("do not prove an optional field, a field of an optional record, an index, or anything built on an optional", () => {
    for (const n of [
      "e_optional_field",
      "e_field_of_optional",
      "e_index",
      "e_arith_opt",
      "e_round_opt",
      "e_abs_opt",
      "e_neg_opt",
      "e_min",
      "e_sum",
    ])
      expect(proven(n), n).toBe(false);
  });

  it("prove a loop variable only as its binders say", () => {
    const k: Expr = { kind: "name", name: "k", span: { start: 0, end: 1 } } as Expr;
    expect(provenance.proven(k, new Map([["k", true]]))).toBe(true);
    expect(provenance.proven(k, new Map([["k", false]]))).toBe(false);
    // A binder hides a proven name of the same name.
    const x: Expr = { kind: "name", name: "x", span: { start: 0, end: 1 } } as Expr;
    expect(provenance.proven(x)).toBe(true);
    expect(provenance.proven(x, new Map([["x", false]]))).toBe(false);
  });
});

describe("the elements of a collection", () => {
  it("are proven for a typed input and a list literal of one kind, not for mixed kinds or an optional item", () => {
    const { L } = lowered({
      inputs: "x: integer\nxs: array<integer>\nopt: {type: integer, required: false}",
      flow: [
        `
        - step: one
          op: compute
          set:
            from_input: "FORALL k IN xs: k + 1 > 0"
            from_literal: "FORALL k IN [1, 2]: k + 1 > 0"
            mixed: "FORALL k IN [1, 2.5]: k + 1 > 0"
            with_optional: "FORALL k IN [opt, 1]: k + 1 > 0"`,
        ret,
      ],
    });
    // Proven elements take bigint addition; unproven ones the dynamic arith.
    expect(show(assigned(L, "one", "from_input"))).toMatch(/: \(addI\(k@\d+, 1n\) > 0n\)/);
    expect(show(assigned(L, "one", "from_literal"))).toMatch(/: \(addI\(k@\d+, 1n\) > 0n\)/);
    expect(show(assigned(L, "one", "mixed"))).toMatch(
      /^FORALL @\d+ IN \[1n, d2\.5\]: \(cmp\(arith\("\+", k@\d+, 1n, E\), 0n\) > f0\)/,
    );
    expect(show(assigned(L, "one", "with_optional"))).toMatch(/: \(cmp\(arith\("\+", k@\d+, 1n, E\), 0n\) > f0\)/);
  });
});
