// docs/vesper-ir.md 5 and 7.2 promise that validation follows the flow: every
// transition step is a listed move "from every state the node can be in when the step
// runs" (V305), and a node with outputs "MUST always return" (V307). docs/runtime.md
// runs a step whose guard is not true by skipping it, and goes on after a step whose
// fallback caught its failure. Validation took a guarded transition as always made and
// a guarded (or fallback-carrying) return or branch as always returning, so valid nodes
// failed with R204 (illegal transition) and R200 (the flow ended without an output).
// The class: any flow of transitions, returns and branches, each maybe guarded, over a
// small state machine. Whenever validation accepts it, no input ends the run in R200
// or R204; the fixed nodes below are the instances found, refused with the reason.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateSource } from "../../src/ir/validate.js";
import { disagreements } from "../helpers/every-way-to-run.js";
import { context, inputs, node, reference } from "../helpers/runtimes.js";

const HEAD = `node_id: flows.guarded@1.0.0
type: handler
inputs: {n: integer}
outputs: {success: {y: integer}}
states: {initial: a, states: [a, b, c], final: [c], transitions: {a: [b, c], b: [c]}}
`;

type Step =
  | { op: "transition"; to: string; guard?: number }
  | { op: "return"; guard?: number; fallback: boolean }
  | { op: "branch"; cond: number; guard?: number; then: Step[]; else: Step[] };

const guard = fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined });
const step: fc.Memo<Step> = fc.memo((depth) =>
  fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ op: fc.constant("transition" as const), to: fc.constantFrom("a", "b", "c"), guard }),
    fc.record({ op: fc.constant("return" as const), guard, fallback: fc.boolean() }),
    depth > 1
      ? fc.record({
          op: fc.constant("branch" as const),
          cond: fc.integer({ min: -2, max: 2 }),
          guard,
          then: fc.array(step(depth - 1), { maxLength: 3 }),
          else: fc.array(step(depth - 1), { maxLength: 3 }),
        })
      : fc.record({ op: fc.constant("transition" as const), to: fc.constantFrom("a", "b", "c"), guard }),
  ),
);

let counter = 0;
function yamlOf(steps: Step[], indent: string): string {
  if (steps.length === 0) return " []";
  return steps
    .map((s) => {
      const name = `s${counter++}`;
      const g = s.guard === undefined ? "" : `, guards: ["n > ${s.guard}"]`;
      if (s.op === "transition") return `\n${indent}- {step: ${name}, op: transition, to: ${s.to}${g}}`;
      if (s.op === "return") {
        const fb = s.fallback ? `, error_handling: {fallback: {set: {z: "0"}}}` : "";
        return `\n${indent}- {step: ${name}, op: return, output: success, values: {y: "10 / n"}${g}${fb}}`;
      }
      return `\n${indent}- step: ${name}\n${indent}  op: branch\n${indent}  if: "n > ${s.cond}"${g ? `\n${indent}  guards: ["n > ${s.guard}"]` : ""}\n${indent}  then:${yamlOf(s.then, `${indent}    `)}\n${indent}  else:${yamlOf(s.else, `${indent}    `)}`;
    })
    .join("");
}

// `10 / n` is a decimal (and fails for n = 0, which a fallback catches), so y is declared decimal.
const source = (steps: Step[]) => {
  counter = 0;
  return `${HEAD.replace("y: integer", "y: decimal")}flow:${yamlOf(steps, "  ")}\n`;
};

describe("a node validation accepts never runs off its flow or its state machine", () => {
  it("for any flow of maybe-guarded transitions, returns and branches, and any input", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step(3), { minLength: 1, maxLength: 5 }), async (steps) => {
        const text = source(steps);
        if (!validateSource("flow.vsp", text).ok) return;
        const p = node(text, "flow.vsp");
        for (const n of [-3n, -1n, 0n, 1n, 3n]) {
          const r = await reference.run(p, inputs({ n }), context(p));
          expect(r.failure?.code ?? "none", `${text}\nn = ${n}`).not.toMatch(/^R20[04]$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const codes = (text: string) =>
  validateSource("node.vsp", text).diagnostics.map((d) => `${d.code}@${d.line}:${d.col}: ${d.message}`);

describe("a step a guard or a fallback can pass over", () => {
  it("a guarded transition leaves the node in the state before it too (V305 for a move only its target allows)", () => {
    expect(
      codes(`${HEAD.replace("{a: [b, c], b: [c]}", "{a: [b], b: [c]}")}flow:
  - {step: t1, op: transition, to: b, guards: ["n > 0"]}
  - {step: t2, op: transition, to: c}
  - {step: r, op: return, output: success, values: {y: "1"}}
`),
    ).toEqual([
      "V305@8:36: step 't2' moves to 'c', which states.transitions does not allow: from 'a' only b can follow",
    ]);
  });

  it("a guarded return does not always return (V307 names the guard)", () => {
    expect(
      codes(`${HEAD}flow:
  - {step: r, op: return, output: success, values: {y: "n"}, guards: ["n > 0"]}
`),
    ).toEqual([
      "V307@7:12: the flow can finish after step 'r' without returning an output; end every path with a 'return' step (a false guard skips step 'r')",
    ]);
  });

  it("a return with a fallback does not always return (V307 names the fallback)", () => {
    expect(
      codes(`${HEAD.replace("y: integer", "y: decimal")}flow:
  - {step: r, op: return, output: success, values: {y: "1 / n"}, error_handling: {fallback: {set: {z: "0"}}}}
`),
    ).toEqual([
      "V307@7:12: the flow can finish after step 'r' without returning an output; end every path with a 'return' step (when step 'r' fails, its fallback goes on past it)",
    ]);
  });

  it("a guarded branch whose arms both return does not always return, and a step after it can run", async () => {
    const guarded = `${HEAD}flow:
  - step: b
    op: branch
    if: "n > 5"
    guards: ["n > 0"]
    then: [{step: r1, op: return, output: success, values: {y: "1"}}]
    else: [{step: r2, op: return, output: success, values: {y: "2"}}]
`;
    expect(codes(guarded)).toEqual([
      "V307@7:11: the flow can finish after step 'b' without returning an output; end every path with a 'return' step (a false guard skips step 'b')",
    ]);
    // The step after it is no longer "never run" (V308), and it is what answers when the guard is false.
    const p = node(`${guarded}  - {step: r3, op: return, output: success, values: {y: "3"}}\n`);
    for (const [n, y] of [
      [-1n, 3n],
      [1n, 2n],
      [9n, 1n],
    ] as const) {
      const r = await reference.run(p, inputs({ n }), context(p));
      expect(r.output?.get("y")).toBe(y);
      expect(await disagreements(p, inputs({ n }))).toEqual({});
    }
  });
});
