import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { context, inputs, node, plain, runAll } from "../helpers/runtimes.js";
import { anyDecimal as anyDecimalOf, moneyDecimal } from "../helpers/decimal-arbitraries.js";

// Generated code tests a decimal against zero by its sign (sgnS; == 0 and != 0 too) and compares a
// product without making it (mulCmpS), in steps, input constraints, preconditions
// and postconditions alike. The answers and failures must be the reference's over
// random scales, signs (negative zero included) and magnitudes to 34 digits, with
// products past 2^53 and past 34 digits.

const p = node(
  `
node_id: sign.tests@1.0.0
type: function
inputs:
  a: {type: decimal, constraints: ["a * a >= 0"]}
  b: decimal
  i: integer
outputs:
  success: {pos: boolean, neg: boolean, zero: boolean, le: boolean, gt: boolean, eq: boolean, r: decimal, z0: boolean, nz: boolean, zi: boolean}
contracts:
  preconditions:
    - "b * i <= a * a OR b >= 0 OR b < 0"
  postconditions:
    - "output.r * 2 >= 0 OR output.r < 0"
flow:
  - step: check
    op: validate
    check: "a * b <= 100000000000000000000000000000000000000.0 OR i < 0"
    error: {code: TOO_BIG, message: "too big"}
  - step: tests
    op: compute
    set:
      pos: "a > 0"
      neg: "b < 0.000"
      zero: "a * b == 0"
      le: "a * b <= i"
      gt: "a * i > b"
      eq: "a * b == b * a"
      r: "a - b"
      z0: "0.000 == a"
      nz: "b != 0"
      zi: "a * i == 0.0"
  - step: done
    op: return
    output: success
    values: {pos: pos, neg: neg, zero: zero, le: le, gt: gt, eq: eq, r: r, z0: z0, nz: nz, zi: zi}
`,
  "sign-tests.vsp",
);

const anyDecimal = anyDecimalOf(moneyDecimal(-(10n ** 12n), 10n ** 12n));

describe("sign tests and compared products on the generated tier", () => {
  it("give the reference's answers and failures", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(anyDecimal, anyDecimal, fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), async (a, b, i) => {
        const runs = await runAll(p, inputs({ a, b, i }));
        const want = plain(runs.reference);
        seen.add(want.status);
        expect(plain(runs.closures)).toEqual(want);
        expect(plain(runs.generated)).toEqual(want);
      }),
      { numRuns: 400 },
    );
    // Most runs get through to the output (a few wide products stop at the validate step).
    expect(seen.has("success")).toBe(true);
  });

  it("are what the hot plain run uses", async () => {
    const direct = new DirectRuntime({ hotThreshold: 0 });
    const r = plain(await direct.run(p, inputs({ a: new Decimal("-0"), b: new Decimal("2.5"), i: 3n }), context(p)));
    expect(r, JSON.stringify(r)).toMatchObject({
      output: { pos: false, neg: false, zero: true, le: true, gt: false, eq: true, z0: true, nz: true, zi: true },
    });
    expect(direct.cached(p)?.source).toContain("O.sgnS(");
    expect(direct.cached(p)?.source).toContain("O.mulCmpS(");
    // ==/!= against zero (either side) are sign tests: only "a * b == b * a" is an equality, once per copy of its step.
    expect(direct.cached(p)?.source?.match(/O\.eqS\(/g)?.length).toBe(3);
  });
});
