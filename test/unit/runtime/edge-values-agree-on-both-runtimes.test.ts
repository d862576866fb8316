import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/values/decimal.js";
import type { Value } from "../../../src/values/values.js";
import { inputs, node, plain, runAll } from "../../helpers/runtimes.js";

// Values whose checked type does not tell the whole story: absent optional inputs
// (null), MIN/MAX that keep an integer in a decimal or float expression, SUM of
// nothing, NaN. The direct runtime must fail or compute exactly as the reference
// does, with the same code at the same column.

const calc = (expr: string, outType: string) =>
  node(
    `
node_id: edge.calc@1.0.0
type: function
inputs:
  n: {type: integer, required: false}
  s: {type: string, required: false}
  b: {type: boolean, required: false}
  d: {type: decimal, required: false}
  f: {type: float, required: false}
  i: {type: integer, required: false}
  fs: {type: "array<float>", required: false}
  xs: {type: "array<integer>", required: false}
outputs:
  success:
    r: {type: ${outType}, required: false}
flow:
  - step: c
    op: compute
    set:
      x: "${expr}"
  - step: ret
    op: return
    output: success
    values:
      r: "x"
`,
    "edge.vsp",
  );

const MAX = 2n ** 63n - 1n;
const cases: [string, string, Record<string, Value>][] = [
  ["n + 1", "integer", {}],
  ["n * 2", "integer", {}],
  ["n % 2", "integer", {}],
  ["n / 2", "decimal", {}],
  ["n < 1", "boolean", {}],
  ["-n", "integer", {}],
  ["s + 'a'", "string", {}],
  ["s < 'b'", "boolean", {}],
  ["NOT b", "boolean", {}],
  ["b AND true", "boolean", {}],
  ["d == 1.5", "boolean", {}],
  ["d + 1.5", "decimal", {}],
  ["f + 1", "float", {}],
  ["SUM(v IN [1, null]: v)", "integer", {}],
  ["n == null", "boolean", {}],
  ["s != 'x'", "boolean", {}],
  ["MIN(f, 1) / 0", "float", { f: 5 }],
  ["SUM(v IN fs: v) / 0", "float", { fs: [] }],
  ["SUM(fs) % 0", "float", { fs: [] }],
  ["MIN(f, i) + 1", "float", { f: 1e300, i: MAX }],
  ["MIN(i, 2.5) * 9223372036854775807", "decimal", { i: 2n }],
  ["SUM(v IN xs: MIN(v, 1e30))", "decimal", { xs: [MAX, 1n] }],
  ["-MIN(i, 2.5)", "decimal", { i: -(2n ** 63n) }],
  ["MIN(i, 2.5) + 0.5", "decimal", { i: 1n }],
  ["f / 0.0 >= f", "boolean", { f: 0 }],
  ["f / 0.0 <= f", "boolean", { f: 0 }],
  ["f / 0.0 < f", "boolean", { f: 0 }],
  ["ROUND(d, n)", "decimal", { d: new Decimal("1.25") }],
  ["ROUND(d, i)", "decimal", { d: new Decimal("1.25"), i: 2n }],
  ["ROUND(d, 9000000000000)", "decimal", { d: new Decimal("1.25") }],
];

describe("edge values agree on both runtimes, failures included", () => {
  for (const [expr, type, given] of cases) {
    it(`${expr} with ${JSON.stringify(Object.keys(given))}`, async () => {
      const runs = await runAll(calc(expr, type), inputs(given));
      expect(plain(runs.closures)).toEqual(plain(runs.reference));
      expect(plain(runs.generated)).toEqual(plain(runs.reference));
    });
  }

  it("an optional input that is absent fails as the reference says: R103 for arithmetic on null", async () => {
    const runs = await runAll(calc("n + 1", "integer"), inputs({}));
    for (const r of Object.values(runs))
      expect(r.failure).toMatchObject({ code: "R103", location: { line: 20, col: 11 } });
  });
});

describe("entry checks see what the spec says they see", () => {
  it("an input constraint may read `input`; a record constraint reads an absent optional field as null", async () => {
    const p = node(`
node_id: edge.entry@1.0.0
type: function
types:
  Range:
    fields:
      lo: integer
      hi: {type: integer, required: false}
    constraints: ["hi == null OR hi > lo"]
inputs:
  n: {type: integer, constraints: ["input.n >= 0"]}
  r: Range
outputs:
  success:
    ok: boolean
flow:
  - step: ret
    op: return
    output: success
    values:
      ok: "true"
samples:
  open:
    n: 1
    r: {lo: 1}
`);
    const { sampleInputs } = await import("../../../src/runtime/prepared.js");
    const runs = await runAll(p, sampleInputs(p));
    for (const r of Object.values(runs)) expect(plain(r)).toMatchObject({ status: "success", output: { ok: true } });
    const bad = sampleInputs(p);
    bad.set("n", -1n);
    for (const r of Object.values(await runAll(p, bad)))
      expect(r.failure).toMatchObject({ code: "C004", contract: { text: "input.n >= 0" } });
  });

  it("an error while capturing old() points into the postcondition", async () => {
    const p = node(
      `
node_id: edge.old@1.0.0
type: function
inputs:
  n: integer
outputs:
  success:
    ok: boolean
contracts:
  postconditions:
    - "old(10 / n) > 0"
flow:
  - step: ret
    op: return
    output: success
    values:
      ok: "true"
`,
      "old.vsp",
    );
    for (const r of Object.values(await runAll(p, inputs({ n: 0n })))) {
      expect(r.failure).toMatchObject({ code: "R106", location: { file: "old.vsp", line: 11, col: 12 } });
    }
  });
});

describe("fallbacks the validator does not type-check fail as the reference does", () => {
  for (const [fallback, code] of [
    ["FOO(1)", "R109"],
    ["AVG(q IN [1, 5, 3]: q)", "R109"],
    ["old(n)", null],
  ] as const) {
    it(`validate fallback ${fallback}`, async () => {
      const p = node(`
node_id: edge.fallback@1.0.0
type: function
inputs:
  n: integer
outputs:
  success:
    ok: boolean
  error:
    code: enum[BAD]
flow:
  - step: check
    op: validate
    check: "1 / n > 0"
    error: {code: BAD}
    error_handling:
      fallback:
        set: {x: "${fallback}"}
  - step: ret
    op: return
    output: success
    values:
      ok: "true"
`);
      const runs = await runAll(p, inputs({ n: 0n }));
      expect(plain(runs.closures)).toEqual(plain(runs.reference));
      expect(plain(runs.generated)).toEqual(plain(runs.reference));
      expect(runs.reference.failure?.code ?? null).toBe(code);
    });
  }
});
