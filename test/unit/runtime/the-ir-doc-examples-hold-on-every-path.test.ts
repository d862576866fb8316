// The answers docs/vesper-ir.md (section 9.8) states, written as a user would write
// them from the doc, on every path a run can take (the reference run and stepped,
// the closures tier and the generated tier run, stepped and observed): values with
// their kinds (n: integer, f: float, d: decimal), failures with the doc's codes
// and example messages.
import { describe, expect, it } from "vitest";
import { resolveInputs } from "../../../src/runtime/prepared.js";
import type { RunResult } from "../../../src/runtime/protocol.js";
import { Decimal } from "../../../src/values/decimal.js";
import { Tensor, VSet, type Value } from "../../../src/values/values.js";
import { disagreements, everyWayToRun } from "../../helpers/every-way-to-run.js";
import { node } from "../../helpers/runtimes.js";

const calc = (expr: string, outType: string) =>
  node(
    `node_id: doc.example@1.0.0
type: function
inputs:
  f: float
  g: float
  o: {type: decimal, required: false}
  es: array<integer>
  fset: set<float>
  tv: "tensor<float64, [n]>"
outputs:
  success:
    r: {type: "${outType}"}
flow:
  - {step: c, op: compute, set: {x: ${JSON.stringify(expr)}}}
  - {step: ret, op: return, output: success, values: {r: x}}
`,
    "doc.vsp",
  );

const shown = (r: RunResult): string => {
  if (!r.output) return `${r.failure?.code} ${r.failure?.message}`;
  const v = r.output.fields.get("r");
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "number") return `${Object.is(v, -0) ? "-0" : v}f`;
  if (Decimal.isDecimal(v)) return `${(v as Decimal).toString()}d`;
  return String(v);
};

const empty = new Tensor([0], new Float64Array(0));
const EXAMPLES: [string, string, Record<string, Value>, string][] = [
  ["-7 % 2", "integer", {}, "-1n"],
  ["-2.5 % 2", "decimal", {}, "-0.5d"],
  ["1 / 3", "decimal", {}, "0.3333333333333333333333333333333333d"],
  ["7 / 2", "decimal", {}, "3.5d"],
  ["2.50 == 2.5", "boolean", {}, "true"],
  ["1 == 1.0", "boolean", {}, "true"],
  ["MIN(1, 2.5) + 0", "decimal", {}, "1d"],
  // 7.10: a returned value is stored in its field's type (an integer into a decimal or a float field).
  ["MIN(1, 2.5)", "decimal", {}, "1d"],
  ["7", "float", {}, "7f"],
  ["LEN('😀')", "integer", {}, "1n"],
  ["'😀'[1] == '\\ude00'", "boolean", {}, "true"],
  ["'😀' < '\\uffff'", "boolean", {}, "true"],
  ["DECIMAL(f, 2)", "decimal", { f: 2.675 }, "2.68d"],
  ["DECIMAL(f, 20)", "decimal", { f: 0.1 }, "0.1d"],
  [
    "DECIMAL(f, 2)",
    "decimal",
    { f: Number.NaN },
    "R110 DECIMAL() of NaN: a float that is not finite has no decimal value",
  ],
  ["FLOAT(9007199254740993)", "float", {}, "9007199254740992f"],
  ["f IN [f]", "boolean", { f: Number.NaN }, "false"],
  ["f != f", "boolean", { f: Number.NaN }, "true"],
  ["f IN fset", "boolean", { f: Number.NaN, fset: new VSet([Number.NaN]) }, "true"],
  ["MIN(f, g)", "float", { f: Number.NaN, g: 1 }, "NaNf"],
  ["MIN(g, f)", "float", { f: Number.NaN, g: 1 }, "1f"],
  ["f == g", "boolean", { f: -0, g: 0 }, "true"],
  ["f / 0", "float", { f: 1 }, "Infinityf"],
  ["max(tv)", "float", { tv: empty }, "-Infinityf"],
  ["min(tv)", "float", { tv: empty }, "Infinityf"],
  ["mean(tv)", "float", { tv: empty }, "NaNf"],
  ["SUM(x IN es: x)", "integer", {}, "0n"],
  ["SUM([])", "integer", {}, "0n"],
  ["MIN(es)", "integer", {}, "R108 MIN() of an empty collection"],
  ["ROUND(-2.5)", "decimal", {}, "-3d"],
  ["ROUND(2.5, 0, 'HALF_EVEN')", "decimal", {}, "2d"],
  ["ROUND(-2.5, 0, 'HALF_DOWN')", "decimal", {}, "-2d"],
  ["ROUND(-2.1, 0, 'UP')", "decimal", {}, "-3d"],
  ["ROUND(-2.9, 0, 'DOWN')", "decimal", {}, "-2d"],
  ["ROUND(-2.1, 0, 'CEILING')", "decimal", {}, "-2d"],
  ["ROUND(-2.1, 0, 'FLOOR')", "decimal", {}, "-3d"],
  ["ROUND(7, 2)", "integer", {}, "7n"],
  ["-9223372036854775808", "integer", {}, "R101 integer overflow: 9223372036854775808 is outside the 64-bit range"],
  ["-9223372036854775807 - 1", "integer", {}, "-9223372036854775808n"],
  [
    "ROUND(1.25, 0 - 1)",
    "decimal",
    {},
    "R102 ROUND() needs a whole number of decimal places from 0 to 1000000000, got -1",
  ],
  ["o + 1", "decimal", {}, "R103 cannot apply '+' to null"],
  ["DECIMAL(o, 2)", "decimal", {}, "R103 DECIMAL() of null"],
  ["FLOAT(o)", "float", {}, "R103 FLOAT() of null"],
  ["-o", "decimal", {}, "R103 cannot negate null"],
  ["ROUND(o, 2)", "decimal", {}, "R103 expected a number, got null"],
  ["o < 1", "boolean", {}, "R103 cannot order null and 1"],
  ["ROUND(f, 2)", "float", { f: 2.675 }, "2.68f"],
  ["o", "decimal", { o: new Decimal(`${"1234567890".repeat(4)}.5`) }, `${"1234567890".repeat(4)}.5d`],
  [
    "o + 0",
    "decimal",
    { o: new Decimal(`${"1234567890".repeat(4)}.5`) },
    `1234567890123456789012345678901235${"0".repeat(6)}d`,
  ],
  ["o * 10", "decimal", { o: new Decimal("1.5e-41") }, "1.5e-40d"],
  ["'abc'[3]", "string", {}, "R104 index 3 is out of range for length 3"],
  ["1 / 0", "decimal", {}, "R106 division by zero"],
  ["1.0 % 0", "decimal", {}, "R106 division by zero"],
];

describe("the IR doc's examples", () => {
  for (const [expr, type, given, want] of EXAMPLES) {
    it(`${expr} ${Object.keys(given).length ? `with ${Object.keys(given).join(", ")} ` : ""}is ${want}`, async () => {
      const p = calc(expr, type);
      const values = resolveInputs(
        p,
        new Map(Object.entries({ f: 1.5, g: 2.5, es: [], fset: new VSet([]), tv: empty, ...given })),
      );
      const all = await everyWayToRun(p, values);
      expect(shown(all["reference.run"]!.result as unknown as RunResult)).toBe(want);
      expect(await disagreements(p, values)).toEqual({});
    });
  }
});
