// docs/vesper-ir.md 9.1: an expression nests at most 200 levels, and each prefix
// operator, call and operator of a chain is one level, as each pair of parentheses
// is; the name or literal they wrap is not a level. So 200 of any of them run, and
// 201 are refused with V405 (the limit was one lower for all but parentheses), and
// parentheses add to the operators inside them (they were counted apart).
import { describe, expect, it } from "vitest";
import { MAX_EXPRESSION_DEPTH as L } from "../../../src/expr/depth.js";
import { validateSource } from "../../../src/ir/validate.js";
import { inputs, node, plain, runAll } from "../../helpers/runtimes.js";

const nodeFor = (expr: string, type: string) => `node_id: deep.exact@1.0.0
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

const levels: [string, (n: number) => string, string, string][] = [
  ["parentheses", (n) => `${"(".repeat(n)}x${")".repeat(n)}`, "integer", "3"],
  ["prefix minus signs", (n) => `${"- ".repeat(n)}x`, "integer", "3"],
  ["NOTs", (n) => `${"NOT ".repeat(n)}b`, "boolean", "true"],
  ["calls", (n) => `${"ABS(".repeat(n)}x${")".repeat(n)}`, "integer", "3"],
  [
    "chained operators",
    (n) =>
      Array(n + 1)
        .fill("x")
        .join(" + "),
    "integer",
    String(3 * (L + 1)),
  ],
];

describe(`${L} levels of any construct run; ${L + 1} are refused`, () => {
  for (const [name, text, type, value] of levels) {
    it(`${L} ${name} run on every runtime`, async () => {
      const src = nodeFor(text(L), type);
      expect(validateSource("deep.vsp", src).diagnostics).toEqual([]);
      const runs = await runAll(node(src, "deep.vsp"), inputs({ x: 3n, b: true }));
      for (const r of Object.values(runs)) {
        expect(r.status).toBe("success");
        expect(String((plain(r).output as { r: unknown }).r)).toBe(value);
      }
    });
    it(`${L + 1} ${name} are V405`, () => {
      const codes = validateSource("deep.vsp", nodeFor(text(L + 1), type)).diagnostics.map((d) => d.code);
      expect(codes).toEqual(["V405"]);
    });
  }
});

describe("parentheses and operators add up to one depth", () => {
  const wrapped = (parens: number, ops: number) =>
    `${"(".repeat(parens)}${Array(ops + 1)
      .fill("x")
      .join(" + ")}${")".repeat(parens)}`;

  it("100 parentheses around a chain of 100 operators (200 levels) run", async () => {
    const src = nodeFor(wrapped(100, 100), "integer");
    expect(validateSource("deep.vsp", src).diagnostics).toEqual([]);
    for (const r of Object.values(await runAll(node(src, "deep.vsp"), inputs({ x: 3n, b: true }))))
      expect(String((plain(r).output as { r: unknown }).r)).toBe("303");
  });

  it.each([
    [101, 100],
    [150, 100],
    [200, 1],
  ])("%i parentheses around a chain of %i operators are V405", (parens, ops) => {
    const codes = validateSource("deep.vsp", nodeFor(wrapped(parens, ops), "integer")).diagnostics.map((d) => d.code);
    expect(codes).toEqual(["V405"]);
  });

  it("a right-nested chain counts each operator and each pair of parentheses", () => {
    // x + (x + (... (x))): n operators and n pairs of parentheses, 2n levels.
    const chain = (n: number) =>
      `${Array(n + 1)
        .fill("x")
        .join(" + (")}${")".repeat(n)}`;
    expect(validateSource("deep.vsp", nodeFor(chain(100), "integer")).diagnostics).toEqual([]);
    expect(validateSource("deep.vsp", nodeFor(chain(101), "integer")).diagnostics.map((d) => d.code)).toEqual(["V405"]);
  });
});
