import { describe, expect, it } from "vitest";
import { generate } from "../../../../src/runtime/direct/codegen.js";
import { jsString } from "../../../../src/runtime/direct/js-literal.js";
import { lowerNode } from "../../../../src/runtime/direct/layout.js";
import { Float32Engine } from "../../../../src/engine/float32-engine.js";
import { toJson } from "../../../../src/values/json.js";
import { machine, prepared, RETURN_X, stepThrough, type NodeParts } from "../../../helpers/direct-passes.js";
import { CONTROL_FLOW, CONTROL_FLOW_CASES } from "../../../helpers/direct-control-flow.js";

// Code generation (src/runtime/direct/codegen.ts), the direct runtime's tier for hot
// nodes: JavaScript source from the lowered node, compiled once with new Function.
// One function per step (for stepping), one per contract expression, one fused
// function for the whole node. Generated text holds only what codegen writes:
// numbers, operation names, validated identifiers and escaped string literals; every
// other value is a constant K[i]. These tests run the generated functions on a real
// Machine, without the DirectRuntime choosing the tier.

const engine = new Float32Engine();
const compile = (parts: NodeParts) => {
  const p = prepared(parts);
  const L = lowerNode(p);
  return { p, L, ...generate(L, engine) };
};

describe("the generated module", () => {
  it("has one function per step (async only for a call), one per contract expression, fallbacks where declared", () => {
    const { L, source, tier } = compile({
      outputs: "y: integer",
      contracts: `
        preconditions:
          - "x >= 0"
        postconditions:
          - "output.y == x"`,
      flow: [
        `
        - step: check_input
          op: validate
          check: "x < 1000"
          error: {code: TOO_BIG, message: "x is too big"}
        - step: divide
          op: compute
          set:
            ratio: "100 / x"
          error_handling:
            fallback:
              set:
                ratio: "0.0"
        - step: charge
          op: call
          tool: sim.payments.charge
          args:
            amount: "x"
            currency: "'USD'"
            idempotency_key: "'key-12345678'"`,
        RETURN_X,
      ],
    });
    expect(L.instrs.map((i) => i.step.name)).toEqual(["check_input", "divide", "charge", "done"]);
    expect(source.startsWith('"use strict";')).toBe(true);
    expect(source).toMatch(/^function S0\(m\) \{ \/\/ step check_input$/m);
    expect(source).toMatch(/^function S1\(m\) \{ \/\/ step divide$/m);
    expect(source).toMatch(/^async function S2\(m\) \{ \/\/ step charge$/m);
    expect(source).toMatch(/^function S3\(m\) \{ \/\/ step done$/m);
    expect(source.match(/^function B\d+\(m\)/gm)).toEqual(["function B1(m)"]);
    // Contract expressions: the precondition, the postcondition (no old() here).
    expect(source.match(/^function X\d+\(s, m\)/gm)).toEqual(["function X0(s, m)", "function X1(s, m)"]);
    expect(source).toMatch(/^async function fused\(m\) \{$/m);
    expect(tier.tier).toBe("generated");
    expect(tier.steps).toHaveLength(4);
    expect(tier.fallbacks.map((f) => f !== undefined)).toEqual([false, true, false, false]);
    expect(typeof tier.expr(L.preconditions[0]!)).toBe("function");
  });

  it("makes the fused function synchronous when no step calls a tool", () => {
    const { source } = compile({ flow: [RETURN_X] });
    expect(source).toMatch(/^function fused\(m\) \{$/m);
    expect(source).not.toContain("async");
  });

  it("names a step in a comment only when its name is a plain identifier, not a JavaScript keyword", () => {
    const { source } = compile({
      flow: [
        `
        - step: class
          op: compute
          set:
            w: "x"
        - step: plain_name
          op: compute
          set:
            v: "x"`,
        RETURN_X,
      ],
    });
    expect(source).toMatch(/^function S0\(m\) \{$/m);
    expect(source).toMatch(/^function S1\(m\) \{ \/\/ step plain_name$/m);
    expect(source).not.toContain("class");
  });

  it("passes decimals, integers and spans as constants by index, never as source text", () => {
    const { source } = compile({
      inputs: "x: integer\nd: decimal",
      outputs: "y: decimal",
      flow: `
        - step: one
          op: compute
          set:
            w: "d * 0.0291357 + 123456789012"
        - step: done
          op: return
          output: success
          values:
            y: "w"`,
    });
    expect(source).not.toContain("0.0291357");
    expect(source).not.toContain("123456789012");
    expect(source).toMatch(
      /m\.set\(\d+, O\.fromS\(O\.addS\(O\.mulS\(O\.S\(s\[1\], K\[\d+\]\), K\[\d+\]\), K\[\d+\]\)\)\);/,
    );
  });

  it("writes a string from the node only as an escaped literal, and a binding's name only inside one", () => {
    const hostile = `"); globalThis.__codegen_pwned = 1; ("\u2028`;
    const { source } = compile({
      outputs: "y: string",
      flow: `
        - step: one
          op: compute
          set:
            __proto__: ${JSON.stringify(`'${hostile.replace(/'/g, "\\'")}'`)}
        - step: done
          op: return
          output: success
          values:
            y: "__proto__"`,
    });
    expect(source).toContain(jsString(hostile));
    expect(source.split(jsString(hostile)).join("")).not.toContain("__codegen_pwned");
    // A binding is read by slot index; its name travels only for the error message.
    expect(source).toMatch(/O\.bound\(s\[\d+\], "__proto__", K\[\d+\]\)/);
    expect(source).not.toMatch(/[^"]__proto__[^"]/);
  });

  it("hoists every loop into a function of its own, an inner loop before the outer one is finished", () => {
    const { source } = compile({
      inputs: "x: integer\nxs: array<integer>",
      flow: [
        `
        - step: one
          op: compute
          set:
            all: "FORALL i IN xs: EXISTS j IN xs: j > i"
            total: "SUM(i IN xs: i * 2)"`,
        RETURN_X,
      ],
    });
    const outer = /function L0\(s, m\) \{[\s\S]*?\n\}/.exec(source)![0];
    expect(outer).toContain("L1(s, m)");
    expect(source).toMatch(/^function L1\(s, m\) \{$/m);
    expect(source).toMatch(/^function L2\(s, m\) \{$/m);
    // A SUM of integers folds as it goes, with no list of its terms.
    expect(source).toContain("acc += b;");
    expect(source).not.toContain('O.sumTyped(v, "integer"');
    // Loops sit at the top of the module, before the step functions.
    expect(source.indexOf("function L2")).toBeLessThan(source.indexOf("function S0"));
  });
});

describe("the generated functions run a node", () => {
  const p = prepared(CONTROL_FLOW);
  const L = lowerNode(p);
  const { tier } = generate(L, engine);

  for (const { x, result } of CONTROL_FLOW_CASES) {
    it(`x = ${x}: the fused function and the step functions both give ${JSON.stringify(result)}`, async () => {
      const fused = await tier.fused!(machine(p, L, tier, { x: BigInt(x) }));
      const stepped = await stepThrough(machine(p, L, tier, { x: BigInt(x) }));
      for (const r of [fused, stepped]) {
        expect({ status: r.status, output: r.output ? toJson(r.output) : null }).toEqual(result);
      }
    });
  }

  it("evaluates a contract expression on the slots it is given", () => {
    const {
      p: q,
      L: M,
      tier: t,
    } = compile({
      contracts: `
        preconditions:
          - "x * 2 > 10 AND x != 7"`,
      flow: [RETURN_X],
    });
    const m = machine(q, M, t, { x: 6n });
    const check = t.expr(M.preconditions[0]!);
    const slots = (x: bigint) => Object.assign([...m.s], { [M.inputSlots[0]!]: x });
    expect([5n, 6n, 7n, 8n].map((x) => check(slots(x), m))).toEqual([false, true, false, true]);
  });

  it("compiles and runs an expression nested 200 levels deep, and names that are JavaScript keywords or __proto__", async () => {
    // 100 times `( … + 1)`: a pair of parentheses and an operator each, 200 levels, the limit (docs/vesper-ir.md 9.1).
    let deep = "x";
    for (let n = 0; n < 100; n++) deep = `(${deep} + 1)`;
    const {
      p: q,
      L: M,
      tier: t,
    } = compile({
      inputs: "__proto__: integer\nconstructor: integer\nx: integer",
      flow: `
        - step: class
          op: compute
          set:
            return: ${JSON.stringify(deep)}
            this: "return + __proto__"
            toString: "this * constructor"
        - step: done
          op: return
          output: success
          values:
            y: "toString"`,
    });
    const r = await t.fused!(machine(q, M, t, { ["__proto__"]: 2n, constructor: 3n, x: 1n }));
    expect(r.status).toBe("success");
    expect(toJson(r.output!)).toEqual({ y: (1 + 100 + 2) * 3 });
  });
});
