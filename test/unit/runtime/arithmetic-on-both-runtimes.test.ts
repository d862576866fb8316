import { describe, expect, it } from "vitest";
import { inputs, node, plain, runAll } from "../../helpers/runtimes.js";

// Integers are 64-bit and overflow is an error, never a wrap; decimals are exact.
// Both runtimes must agree on both, to the error code and column.

const calc = (expr: string, type = "integer") =>
  node(
    `
node_id: math.calc@1.0.0
type: function
inputs:
  a: integer
  b: integer
outputs:
  success:
    result: ${type}
flow:
  - step: compute
    op: compute
    set:
      r: "${expr}"
  - step: done
    op: return
    output: success
    values:
      result: "r"
`,
    "calc.vsp",
  );

describe("integer overflow is an error on both runtimes", () => {
  it("a * b beyond 2^63 - 1 fails with R101 at the expression", async () => {
    const runs = await runAll(calc("a * b"), inputs({ a: 2n ** 40n, b: 2n ** 30n }));
    for (const r of Object.values(runs)) {
      expect(r.status).toBe("runtime_error");
      expect(r.failure).toMatchObject({
        code: "R101",
        step: "compute",
        location: { file: "calc.vsp", line: 14, col: 11 },
      });
      expect(r.failure!.message).toBe("integer overflow: 1180591620717411303424 is outside the 64-bit range");
    }
  });

  it("the largest integer is fine, one more is not", async () => {
    const max = 2n ** 63n - 1n;
    const ok = await runAll(calc("a + b"), inputs({ a: max - 1n, b: 1n }));
    for (const r of Object.values(ok)) expect(r.output!.fields.get("result")).toBe(max);
    const over = await runAll(calc("a + b"), inputs({ a: max, b: 1n }));
    for (const r of Object.values(over)) expect(r.failure!.code).toBe("R101");
    const under = await runAll(calc("-a - b"), inputs({ a: max, b: 2n }));
    for (const r of Object.values(under)) expect(r.failure!.code).toBe("R101");
  });

  it("division by zero is R106; integer / integer is an exact decimal", async () => {
    const zero = await runAll(calc("a / b", "decimal"), inputs({ a: 1n, b: 0n }));
    for (const r of Object.values(zero)) expect(r.failure!.code).toBe("R106");
    const third = await runAll(calc("a / b", "decimal"), inputs({ a: 1n, b: 3n }));
    for (const r of Object.values(third))
      expect(plain(r).output).toEqual({ result: "0.3333333333333333333333333333333333" });
  });
});

describe("decimals are exact on both runtimes", () => {
  it("0.1 + 0.2 is exactly 0.3, and compares equal to 0.3", async () => {
    const runs = await runAll(calc("0.1 + 0.2 == 0.3", "boolean"), inputs({ a: 0n, b: 0n }));
    for (const r of Object.values(runs)) expect(r.output!.fields.get("result")).toBe(true);
  });

  it("money arithmetic keeps every cent: ROUND with each rounding mode", async () => {
    const cases: [string, string][] = [
      ["ROUND(2.345, 2)", "2.35"],
      ["ROUND(2.345, 2, 'HALF_EVEN')", "2.34"],
      ["ROUND(-2.345, 2, 'HALF_DOWN')", "-2.34"],
      ["ROUND(2.341, 2, 'UP')", "2.35"],
      ["ROUND(2.349, 2, 'DOWN')", "2.34"],
      ["ROUND(-2.341, 2, 'CEILING')", "-2.34"],
      ["ROUND(-2.341, 2, 'FLOOR')", "-2.35"],
      ["a * 0.07 + b / 4", "2.95"],
      ["123456789012345678.91 + 0.09", "123456789012345679"],
    ];
    for (const [expr, expected] of cases) {
      const runs = await runAll(calc(expr, "decimal"), inputs({ a: 10n, b: 9n }));
      for (const r of Object.values(runs)) expect([expr, plain(r).output]).toEqual([expr, { result: expected }]);
    }
  });

  it("a decimal-typed expression that holds an integer (MIN(1, 2.5), SUM of nothing) still computes", async () => {
    const cases: [string, string][] = [
      ["MIN(a, 2.5) + 0.25", "1.25"],
      ["-MIN(a, 2.5) * 1.5", "-1.5"],
      ["SUM(x IN []: x * 1.5) + 0.5", "0.5"],
      ["MAX(b, 0.5) / 4", "2.25"],
    ];
    for (const [expr, expected] of cases) {
      const runs = await runAll(calc(expr, "decimal"), inputs({ a: 1n, b: 9n }));
      for (const r of Object.values(runs)) expect([expr, plain(r).output]).toEqual([expr, { result: expected }]);
    }
  });
});
