import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_EXPRESSION_DEPTH } from "../../src/expr/depth.js";
import { validateSource } from "../../src/ir/validate.js";
import { inputs, node, plain, runAll } from "../helpers/runtimes.js";

// Any depth of nesting is either run correctly by the parser, the checker, both
// runtimes and the generated tier, or refused with V405 at the place it gets too
// deep — never a stack overflow. Each construct nests one level per repetition;
// `allowed` is the largest repetition count within MAX_EXPRESSION_DEPTH.

const L = MAX_EXPRESSION_DEPTH;
interface Construct {
  name: string;
  text: (n: number) => string;
  allowed: number;
  /** The value of the expression for x = 3, b = true. */
  value: (n: number) => bigint | boolean;
  type: "integer" | "boolean";
}

const constructs: Construct[] = [
  {
    name: "parentheses",
    text: (n) => `${"(".repeat(n)}x${")".repeat(n)}`,
    allowed: L,
    value: () => 3n,
    type: "integer",
  },
  { name: "NOT", text: (n) => `${"NOT ".repeat(n)}b`, allowed: L, value: (n) => n % 2 === 0, type: "boolean" },
  {
    name: "unary minus",
    text: (n) => `${"-".repeat(n)}x`,
    allowed: L,
    value: (n) => (n % 2 === 0 ? 3n : -3n),
    type: "integer",
  },
  {
    name: "a + chain",
    text: (n) => Array(n).fill("x").join(" + "),
    allowed: L + 1,
    value: (n) => 3n * BigInt(n),
    type: "integer",
  },
  {
    name: "calls",
    text: (n) => `${"ABS(".repeat(n)}x${")".repeat(n)}`,
    allowed: L,
    value: () => 3n,
    type: "integer",
  },
  {
    name: "lists",
    text: (n) => `LEN(${"[".repeat(n)}x${"]".repeat(n)})`,
    allowed: L - 1,
    value: () => 1n,
    type: "integer",
  },
];

function nodeFor(expr: string, type: string): string {
  return `node_id: deep.nest@1.0.0
type: function
inputs:
  x: {type: integer}
  b: {type: boolean}
outputs:
  success: {r: ${type}}
flow:
  - step: c
    op: compute
    set:
      r: "${expr}"
  - step: ret
    op: return
    output: success
    values: {r: r}
`;
}

describe(`expressions nest up to ${L} levels and are refused past them with V405`, () => {
  for (const c of constructs) {
    it(`${c.name}: runs on every runtime up to the limit, V405 past it`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.integer({ min: 1, max: c.allowed + 5 }), fc.integer({ min: c.allowed - 2, max: 6000 })),
          async (n) => {
            const text = nodeFor(c.text(n), c.type);
            const result = validateSource("deep.vsp", text);
            const errors = result.diagnostics.filter((d) => d.severity === "error");
            if (n > c.allowed) {
              expect(errors.map((d) => d.code)).toEqual(["V405"]);
              expect(errors[0]!.line).toBe(12);
              expect(errors[0]!.message).toContain(`more than ${L} levels deep`);
              return;
            }
            expect(errors).toEqual([]);
            const runs = await runAll(node(text, "deep.vsp"), inputs({ x: 3n, b: true }));
            for (const r of Object.values(runs))
              expect(String((plain(r).output as { r: unknown }).r)).toBe(String(c.value(n)));
          },
        ),
        { numRuns: 25 },
      );
    });
  }

  it("the refusal points at the bracket that goes one level too deep", () => {
    const text = nodeFor(`x + ${"(".repeat(L + 1)}x${")".repeat(L + 1)}`, "integer");
    const [d] = validateSource("deep.vsp", text).diagnostics;
    // Line 12 is `      r: "x + (((…"`: the value starts at column 11, the brackets at 15.
    expect(d).toMatchObject({ code: "V405", line: 12, col: 15 + L });
  });
});

describe("other nesting in a .vsp file is refused clearly, never with an internal error", () => {
  const withInput = (type: string) => `node_id: deep.type@1.0.0
type: function
inputs:
  x: {type: "${type}"}
outputs:
  success: {r: integer}
flow:
  - step: ret
    op: return
    output: success
    values: {r: "1"}
`;

  it("a type nested past 200 levels is V201 at the '<' that goes too deep", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), (n) => {
        const type = `${"array<".repeat(n)}integer${">".repeat(n)}`;
        const errors = validateSource("t.vsp", withInput(type)).diagnostics.filter((d) => d.severity === "error");
        if (n <= 200) expect(errors).toEqual([]);
        else expect(errors.map((d) => [d.code, d.line, d.col])).toEqual([["V201", 4, 14 + 6 * 200 + 5]]);
      }),
      { numRuns: 30 },
    );
  });

  it("YAML nested thousands deep is V100 saying so", () => {
    const sample = `${"[".repeat(20_000)}1${"]".repeat(20_000)}`;
    const text = `${withInput("integer")}samples:\n  s: {x: ${sample}}\n`;
    const [d] = validateSource("y.vsp", text).diagnostics;
    expect(d).toMatchObject({ code: "V100" });
    expect(d!.message).toContain("nests too deeply");
  });
});
