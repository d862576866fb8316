// docs/vesper-ir.md 9.1: an expression nests at most 200 levels, and each prefix
// operator, call and operator of a chain is one level, as each pair of parentheses
// is; the name or literal they wrap is not a level. So 200 of any of them run, and
// 201 are refused with V405 (the limit was one lower for all but parentheses).
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
