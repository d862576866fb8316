// Decimal answers held to values computed outside this project (Python's decimal
// module: a context of 34 digits rounding half-up for + - * /, an exact remainder
// for %, quantize with the matching rounding for ROUND), so a mistake both runtimes
// share is caught too: the reference, the closures tier and the generated tier
// (scaled integers, the fused ROUND of a product plus a term) must each give them.
// The vectors cover every ROUND mode on ties and near-ties of either sign, 34-digit
// rounding of +, - and * (carries into a new digit included), repeating quotients
// and remainders with a negative dividend or divisor or a huge quotient.
import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/values/decimal.js";
import type { Value } from "../../../src/values/values.js";
import { inputs, node, runAll } from "../../helpers/runtimes.js";

// [expression, a, b, c, the answer]
const VECTORS: [string, string, string, string, string][] = [
  ["ROUND(a * b + c, 2, 'HALF_UP')", "0.125", "1", "0", "0.13"],
  ["ROUND(a * b + c, 2, 'HALF_EVEN')", "0.125", "1", "0", "0.12"],
  ["ROUND(a * b + c, 2, 'HALF_DOWN')", "0.125", "1", "0", "0.12"],
  ["ROUND(a * b + c, 2, 'UP')", "0.125", "1", "0", "0.13"],
  ["ROUND(a * b + c, 2, 'DOWN')", "0.125", "1", "0", "0.12"],
  ["ROUND(a * b + c, 2, 'CEILING')", "0.125", "1", "0", "0.13"],
  ["ROUND(a * b + c, 2, 'FLOOR')", "0.125", "1", "0", "0.12"],
  ["ROUND(a * b + c, 2, 'HALF_UP')", "-0.125", "1", "0", "-0.13"],
  ["ROUND(a * b + c, 2, 'HALF_EVEN')", "-0.125", "1", "0", "-0.12"],
  ["ROUND(a * b + c, 2, 'HALF_DOWN')", "-0.125", "1", "0", "-0.12"],
  ["ROUND(a * b + c, 2, 'UP')", "-0.125", "1", "0", "-0.13"],
  ["ROUND(a * b + c, 2, 'DOWN')", "-0.125", "1", "0", "-0.12"],
  ["ROUND(a * b + c, 2, 'CEILING')", "-0.125", "1", "0", "-0.12"],
  ["ROUND(a * b + c, 2, 'FLOOR')", "-0.125", "1", "0", "-0.13"],
  ["ROUND(a * b + c, 2, 'HALF_UP')", "2.675", "1", "0", "2.68"],
  ["ROUND(a * b + c, 2, 'HALF_EVEN')", "2.675", "1", "0", "2.68"],
  ["ROUND(a * b + c, 2, 'HALF_DOWN')", "2.675", "1", "0", "2.67"],
  ["ROUND(a * b + c, 2, 'UP')", "2.675", "1", "0", "2.68"],
  ["ROUND(a * b + c, 2, 'DOWN')", "2.675", "1", "0", "2.67"],
  ["ROUND(a * b + c, 2, 'CEILING')", "2.675", "1", "0", "2.68"],
  ["ROUND(a * b + c, 2, 'FLOOR')", "2.675", "1", "0", "2.67"],
  ["ROUND(a * b + c, 3, 'HALF_UP')", "-0.0005", "1", "0.001", "0.001"],
  ["ROUND(a * b + c, 3, 'HALF_EVEN')", "-0.0005", "1", "0.001", "0.000"],
  ["ROUND(a * b + c, 3, 'HALF_DOWN')", "-0.0005", "1", "0.001", "0.000"],
  ["ROUND(a * b + c, 3, 'UP')", "-0.0005", "1", "0.001", "0.001"],
  ["ROUND(a * b + c, 3, 'DOWN')", "-0.0005", "1", "0.001", "0.000"],
  ["ROUND(a * b + c, 3, 'CEILING')", "-0.0005", "1", "0.001", "0.001"],
  ["ROUND(a * b + c, 3, 'FLOOR')", "-0.0005", "1", "0.001", "0.000"],
  ["ROUND(a * b + c, 2, 'HALF_UP')", "12345678901234567890.125", "-1", "0", "-12345678901234567890.13"],
  ["ROUND(a * b + c, 2, 'HALF_EVEN')", "12345678901234567890.125", "-1", "0", "-12345678901234567890.12"],
  ["ROUND(a * b + c, 2, 'HALF_DOWN')", "12345678901234567890.125", "-1", "0", "-12345678901234567890.12"],
  ["ROUND(a * b + c, 2, 'UP')", "12345678901234567890.125", "-1", "0", "-12345678901234567890.13"],
  ["ROUND(a * b + c, 2, 'DOWN')", "12345678901234567890.125", "-1", "0", "-12345678901234567890.12"],
  ["ROUND(a * b + c, 2, 'CEILING')", "12345678901234567890.125", "-1", "0", "-12345678901234567890.12"],
  ["ROUND(a * b + c, 2, 'FLOOR')", "12345678901234567890.125", "-1", "0", "-12345678901234567890.13"],
  ["ROUND(a * b + c, 2, 'HALF_UP')", "1.005", "3", "-0.0001", "3.01"],
  ["ROUND(a * b + c, 2, 'HALF_EVEN')", "1.005", "3", "-0.0001", "3.01"],
  ["ROUND(a * b + c, 2, 'HALF_DOWN')", "1.005", "3", "-0.0001", "3.01"],
  ["ROUND(a * b + c, 2, 'UP')", "1.005", "3", "-0.0001", "3.02"],
  ["ROUND(a * b + c, 2, 'DOWN')", "1.005", "3", "-0.0001", "3.01"],
  ["ROUND(a * b + c, 2, 'CEILING')", "1.005", "3", "-0.0001", "3.02"],
  ["ROUND(a * b + c, 2, 'FLOOR')", "1.005", "3", "-0.0001", "3.01"],
  ["ROUND(a * b + c, 2, 'HALF_UP')", "99999999.995", "1", "0", "100000000.00"],
  ["ROUND(a * b + c, 2, 'HALF_EVEN')", "99999999.995", "1", "0", "100000000.00"],
  ["ROUND(a * b + c, 2, 'HALF_DOWN')", "99999999.995", "1", "0", "99999999.99"],
  ["ROUND(a * b + c, 2, 'UP')", "99999999.995", "1", "0", "100000000.00"],
  ["ROUND(a * b + c, 2, 'DOWN')", "99999999.995", "1", "0", "99999999.99"],
  ["ROUND(a * b + c, 2, 'CEILING')", "99999999.995", "1", "0", "100000000.00"],
  ["ROUND(a * b + c, 2, 'FLOOR')", "99999999.995", "1", "0", "99999999.99"],
  ["ROUND(a * b + c, 1, 'HALF_UP')", "-7.77", "0.5", "0.0", "-3.9"],
  ["ROUND(a * b + c, 1, 'HALF_EVEN')", "-7.77", "0.5", "0.0", "-3.9"],
  ["ROUND(a * b + c, 1, 'HALF_DOWN')", "-7.77", "0.5", "0.0", "-3.9"],
  ["ROUND(a * b + c, 1, 'UP')", "-7.77", "0.5", "0.0", "-3.9"],
  ["ROUND(a * b + c, 1, 'DOWN')", "-7.77", "0.5", "0.0", "-3.8"],
  ["ROUND(a * b + c, 1, 'CEILING')", "-7.77", "0.5", "0.0", "-3.8"],
  ["ROUND(a * b + c, 1, 'FLOOR')", "-7.77", "0.5", "0.0", "-3.9"],
  ["a / b", "1", "3", "0", "0.3333333333333333333333333333333333"],
  ["a / b", "-2", "3", "0", "-0.6666666666666666666666666666666667"],
  ["a / b", "1", "7", "0", "0.1428571428571428571428571428571429"],
  ["a / b", "123456789.123456789", "0.0003", "0", "411522630411.52263"],
  ["a % b", "-2.5", "2", "0", "-0.5"],
  ["a % b", "7.25", "-0.5", "0", "0.25"],
  ["a % b", "1e40", "7", "0", "4"],
  [
    "a * b",
    "12345678901234567890.123456789",
    "98765432109876543210.98765",
    "0",
    "1.219326311370217952261850273990551E+39",
  ],
  ["a + b", "9999999999999999999999999999999999", "0.5", "0", "1.000000000000000000000000000000000E+34"],
  ["a - b", "0.000000000000000000000000000000000001", "1", "0", "-1.000000000000000000000000000000000"],
  ["a * b + c", "90071992547409.93", "100.01", "-0.07", "9008099974666467.0293"],
  ["(a + b) * c", "0.1", "0.2", "3", "0.9"],
  ["a * b * c", "1.1", "1.1", "1.1", "1.331"],
  ["a - b * c", "1e20", "3.333333333333333333", "3", "99999999999999999990.00000000000000"],
];

const nodes = new Map<string, ReturnType<typeof node>>();
const nodeFor = (expr: string) => {
  let p = nodes.get(expr);
  if (!p) {
    p = node(
      `node_id: hand.computed@1.0.0
type: function
inputs: {a: decimal, b: decimal, c: decimal}
outputs: {success: {r: decimal}}
flow:
  - {step: s, op: compute, set: {x: ${JSON.stringify(expr)}}}
  - {step: ret, op: return, output: success, values: {r: x}}
`,
      "hand.vsp",
    );
    nodes.set(expr, p);
  }
  return p;
};

describe("decimal answers match values computed by hand", () => {
  for (const [expr, a, b, c, want] of VECTORS) {
    it(`${expr} with a=${a}, b=${b}, c=${c} is ${want} on every path`, async () => {
      const given = inputs({ a: new Decimal(a), b: new Decimal(b), c: new Decimal(c) } as Record<string, Value>);
      const runs = await runAll(nodeFor(expr), given);
      for (const run of Object.values(runs)) {
        const got = run.output?.fields.get("r") as Decimal | undefined;
        expect(got?.toString() ?? run.failure).toBe(new Decimal(want).toString());
      }
    });
  }
});
