// docs/vesper-ir.md 9.8: "null in arithmetic is R103", and the error table reserves
// R102 (a value of the wrong kind) for what is "only reachable through `any`". A
// null reaches a well-typed expression through an optional input or field left out,
// so every operation that needs a value and gets that null fails with R103 — on
// every run path alike. The class: any operand position of any operation that reads
// a value (negation, ABS, ROUND and its places, FLOAT, DECIMAL, arithmetic, ordering,
// AND/OR/NOT, LEN, COUNT, SUM/MIN/MAX, indexing and what is indexed, IN, quantifiers,
// tensor functions), the null on either side, with random other operands. Operations
// that accept a null (==, !=, IN of a list, a short-circuited side) are the control:
// they must still answer, not fail.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveInputs } from "../../src/runtime/prepared.js";
import type { Value } from "../../src/values/values.js";
import { disagreements, everyWayToRun } from "../helpers/every-way-to-run.js";
import { node } from "../helpers/runtimes.js";

/** An optional input's type, and expressions over it (x, left out) with `k` a random operand of the same type. */
const CASES: { type: string; k: fc.Arbitrary<string>; fails: string[]; answers: string[] }[] = [
  {
    type: "integer",
    k: fc.bigInt({ min: -1000n, max: 1000n }).map(String),
    fails: [
      "-x",
      "ABS(x)",
      "ROUND(x, 2)",
      "ROUND(2.5, x)",
      "DECIMAL(1.25, x)",
      "FLOAT(x)",
      "DECIMAL(x, 2)",
      "x + k",
      "k - x",
      "x * k",
      "k / x",
      "x % k",
      "x < k",
      "k >= x",
      "MIN(x, k)",
      "MAX(k, x)",
      "SUM([k, x])",
      "[k, k][x]",
      "x + 0.5",
      "x * 1.5",
    ],
    answers: ["x == k", "k != x", "x IN [k, 1]", "k == k OR x > k"],
  },
  {
    type: "decimal",
    k: fc.integer({ min: -99999, max: 99999 }).map((n) => (n / 100).toFixed(2)),
    fails: [
      "-x",
      "ABS(x)",
      "ROUND(x, 2)",
      "ROUND(x, 1, 'HALF_EVEN')",
      "x * k",
      "k + x",
      "x <= k",
      "MAX([x, k])",
      "SUM([x])",
      "FLOAT(x)",
    ],
    answers: ["x == k", "x IN [k]"],
  },
  {
    type: "float",
    k: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => n.toExponential()),
    fails: ["-x", "ABS(x)", "x + k", "k < x", "DECIMAL(x, 3)", "sqrt(x)", "ROUND(x, 1)"],
    answers: ["x != k"],
  },
  {
    type: "string",
    k: fc.stringMatching(/^[a-z]{1,6}$/).map((s) => `'${s}'`),
    fails: ["LEN(x)", "x[0]", "k IN x", "x IN k", "x < k", "x + k"],
    answers: ["x == k", "x IN [k]"],
  },
  {
    type: "boolean",
    k: fc.boolean().map(String),
    fails: ["NOT x", "x AND k", "x OR k", "(k AND false) OR x", "(k OR true) AND x"],
    answers: ["x == k", "(k OR true) OR x", "(k AND false) AND x"],
  },
  {
    type: "array<integer>",
    k: fc.bigInt({ min: -50n, max: 50n }).map(String),
    fails: [
      "LEN(x)",
      "COUNT(x)",
      "SUM(x)",
      "MIN(x)",
      "x[0]",
      "k IN x",
      "FORALL i IN x: i > k",
      "EXISTS i IN x: i == k",
      "SUM(i IN x: i * k)",
      "COUNT(i IN x: i > k)",
    ],
    answers: ["x == [k]"],
  },
];

const nodeOf = (type: string, expr: string) =>
  node(
    `
node_id: nulls.probe@1.0.0
type: function
inputs:
  x: {type: "${type}", required: false}
outputs: {success: {same: boolean}}
flow:
  - {step: use, op: compute, set: {r: ${JSON.stringify(expr)}}}
  - {step: done, op: return, output: success, values: {same: "r == r"}}
`,
    "nulls.vsp",
  );

const picked = fc.constantFrom(...CASES).chain((c) =>
  fc.record({
    type: fc.constant(c.type),
    expr: fc.constantFrom(...c.fails.map((f) => ({ f, fails: true })), ...c.answers.map((f) => ({ f, fails: false }))),
    k: c.k,
  }),
);

describe("null where a value is needed", () => {
  it("is R103 on every run path, for every operation that reads the value; == and short-circuits still answer", async () => {
    await fc.assert(
      fc.asyncProperty(picked, async ({ type, expr, k }) => {
        const p = nodeOf(type, expr.f.replaceAll(/\bk\b/g, k));
        const inputs = resolveInputs(p, new Map<string, Value>());
        expect(inputs.get("x")).toBeNull();
        expect(await disagreements(p, inputs)).toEqual({});
        const r = (await everyWayToRun(p, inputs))["reference.run"]!.result;
        if (expr.fails) expect(r.failure, expr.f).toMatchObject({ code: "R103" });
        else expect(r.status, expr.f).toBe("success");
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it("keeps R102 for a value of the wrong kind, reachable through any", async () => {
    const p = node(
      `
node_id: nulls.any@1.0.0
type: function
inputs: {v: integer}
outputs: {success: {r: integer}}
security: {capabilities_required: [storage.kv.read, storage.kv.write]}
flow:
  - {step: put, op: call, tool: sim.kv.put, args: {key: "'k'", value: "v"}}
  - {step: get, op: call, tool: sim.kv.get, args: {key: "'k'"}, bind: res}
  - {step: c, op: compute, set: {x: "-res.found"}}
  - {step: ret, op: return, output: success, values: {r: 1}}
`,
      "any.vsp",
    );
    const inputs = resolveInputs(p, new Map<string, Value>([["v", 3n]]));
    expect(await disagreements(p, inputs)).toEqual({});
    const r = (await everyWayToRun(p, inputs))["reference.run"]!.result;
    expect(r.failure).toMatchObject({ code: "R102", message: "cannot negate true" });
  });
});
