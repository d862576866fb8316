import { describe, expect, it } from "vitest";
import { closure, compileClosures } from "../../../../src/runtime/direct/closures.js";
import { lowerNode } from "../../../../src/runtime/direct/layout.js";
import type { Machine } from "../../../../src/runtime/direct/machine.js";
import { ENGINE, type Op } from "../../../../src/runtime/direct/op-tree.js";
import { Float32Engine } from "../../../../src/engine/float32-engine.js";
import { Decimal } from "../../../../src/values/decimal.js";
import { toJson } from "../../../../src/values/json.js";
import type { Value } from "../../../../src/values/values.js";
import { machine, prepared, RETURN_X, stepThrough } from "../../../helpers/direct-passes.js";
import { CONTROL_FLOW, CONTROL_FLOW_CASES } from "../../../helpers/direct-control-flow.js";

// The closure tier (src/runtime/direct/closures.ts), what a node runs as from its
// first use: each operation tree becomes nested closures over the slots array. No
// source text is generated. The trees here are written by hand, so each test pins
// one kind of operation; the last ones compile a whole lowered node.

const engine = new Float32Engine();
const span = { start: 0, end: 1 };
const c = (value: Value): Op => ({ k: "const", value });
const slot = (index: number, alwaysBound = true): Op => ({ k: "slot", index, name: `v${index}`, span, alwaysBound });
/** Expressions that use neither the context nor old() never touch the Machine. */
const noMachine = undefined as unknown as Machine;
const run = (op: Op, slots: Value[] = []) => closure(op, engine)(slots, noMachine);

describe("a closure of one operation", () => {
  it("returns a constant, and reads a slot", () => {
    expect(run(c(42n))).toBe(42n);
    expect(run(slot(1), [1n, "two"])).toBe("two");
  });

  it("checks that a binding is bound before reading it, naming it (R100)", () => {
    expect(run(slot(0, false), [7n])).toBe(7n);
    expect(() => run(slot(0, false), [])).toThrow(
      expect.objectContaining({ code: "R100", message: "'v0' has no value here" }),
    );
  });

  it("calls the operation named by the tree, with constants and sub-trees as arguments", () => {
    expect(run({ k: "call", fn: "addI", args: [slot(0), c(2n), { k: "const", value: span }] }, [40n])).toBe(42n);
    // Five arguments: the dynamic arithmetic, with the engine constant bound to this compile's engine.
    const sum = {
      k: "call",
      fn: "arith",
      args: [
        { k: "const", value: "+" },
        c(1n),
        c(new Decimal("0.5")),
        { k: "const", value: span },
        { k: "const", value: ENGINE },
      ],
    } as Op;
    expect(String(run(sum))).toBe("1.5");
    expect(() =>
      run({ k: "call", fn: "addI", args: [c(9223372036854775807n), c(1n), { k: "const", value: span }] }),
    ).toThrow(expect.objectContaining({ code: "R101" }));
  });

  it("applies inline operators and Decimal methods", () => {
    expect(run({ k: "inline", op: "*", args: [c(1.5), c(4)] })).toBe(6);
    expect(run({ k: "inline", op: "neg", args: [c(2.5)] })).toBe(-2.5);
    expect(run({ k: "inline", op: "!", args: [c(false)] })).toBe(true);
    expect(run({ k: "inline", op: "===", args: [c("a"), c("a")] })).toBe(true);
    const d = (t: string): Op => c(new Decimal(t));
    expect(String(run({ k: "method", method: "plus", target: d("0.1"), args: [d("0.2")] }))).toBe("0.3");
    expect(String(run({ k: "method", method: "neg", target: d("3.25"), args: [] }))).toBe("-3.25");
  });

  it("does not evaluate the right side of AND after false, nor of OR after true", () => {
    const unbound = slot(5, false);
    expect(run({ k: "and", left: c(false), right: unbound })).toBe(false);
    expect(run({ k: "or", left: c(true), right: unbound })).toBe(true);
    expect(() => run({ k: "and", left: c(true), right: unbound })).toThrow(expect.objectContaining({ code: "R100" }));
  });

  it("builds a list of its items' values", () => {
    expect(run({ k: "list", items: [c(1n), slot(0)] }, ["x"])).toEqual([1n, "x"]);
  });
});

describe("a closure of a loop", () => {
  const loop = (kind: Extract<Op, { k: "loop" }>["kind"], body: Op, bodyKind = "any"): Op => ({
    k: "loop",
    kind,
    slot: 1,
    collection: slot(0),
    body,
    span,
    collectionSpan: span,
    bodySpan: span,
    bodyKind,
  });
  const positive: Op = { k: "inline", op: ">", args: [slot(1), c(0n)] };

  it("binds each element to the loop's own slot", () => {
    expect(run(loop("SUM", slot(1), "integer"), [[1n, 2n, 3n]])).toBe(6n);
    expect(run(loop("MAX", slot(1)), [[4n, 9n, 2n]])).toBe(9n);
    expect(run(loop("COUNT", positive), [[1n, -1n, 2n]])).toBe(2n);
  });

  it("stops FORALL at the first false and EXISTS at the first true, before an element it cannot judge", () => {
    // The third element is a string: judging it would fail (R102: expected a boolean).
    const judged: Op = { k: "slot", index: 1, name: "b", span, alwaysBound: true };
    expect(run(loop("FORALL", judged), [[true, false, "nope"]])).toBe(false);
    expect(run(loop("EXISTS", judged), [[false, true, "nope"]])).toBe(true);
    expect(() => run(loop("FORALL", judged), [[true, "nope"]])).toThrow(expect.objectContaining({ code: "R102" }));
  });

  it("gives an empty collection FORALL true, EXISTS false, COUNT 0", () => {
    expect(run(loop("FORALL", positive), [[]])).toBe(true);
    expect(run(loop("EXISTS", positive), [[]])).toBe(false);
    expect(run(loop("COUNT", positive), [[]])).toBe(0n);
  });
});

describe("the closure tier of a node", () => {
  it("has one step function per instruction and a fallback only where a step declares one", () => {
    const p = prepared(CONTROL_FLOW);
    const L = lowerNode(p);
    const tier = compileClosures(L, engine);
    expect(tier.tier).toBe("closures");
    expect(tier.fused).toBeUndefined();
    expect(tier.steps).toHaveLength(L.instrs.length);
    expect(L.instrs.filter((_, i) => tier.fallbacks[i] !== undefined).map((i) => i.step.name)).toEqual(["divide"]);
  });

  const p = prepared(CONTROL_FLOW);
  const L = lowerNode(p);
  const tier = compileClosures(L, engine);
  for (const { x, result } of CONTROL_FLOW_CASES) {
    it(`runs x = ${x} step by step to ${JSON.stringify(result)}`, async () => {
      const r = await stepThrough(machine(p, L, tier, { x: BigInt(x) }));
      expect({ status: r.status, output: r.output ? toJson(r.output) : null }).toEqual(result);
    });
  }

  it("evaluates a contract expression on the slots it is given", () => {
    const q = prepared({
      contracts: `
        preconditions:
          - "x * 2 > 10 AND x != 7"`,
      flow: [RETURN_X],
    });
    const M = lowerNode(q);
    const t = compileClosures(M, engine);
    const m = machine(q, M, t, { x: 6n });
    const check = t.expr(M.preconditions[0]!);
    const slots = (x: bigint) => Object.assign([...m.s], { [M.inputSlots[0]!]: x });
    expect([5n, 6n, 7n, 8n].map((x) => check(slots(x), m))).toEqual([false, true, false, true]);
  });
});
