import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROUNDING_MODES } from "../../src/expr/builtins.js";
import { inputs, node, plain, runAll } from "../helpers/runtimes.js";
import { anyDecimal as anyDecimalOf, moneyDecimal } from "../helpers/decimal-arbitraries.js";

// Decimal arithmetic the direct compiler lowers to scaled integers (+, -, *,
// negation, comparisons, ROUND to constant places in every rounding mode, SUM of
// decimals and arithmetic on its result) gives the reference runtime's answers on
// both tiers (closures and generated code), digit for digit: random scales, signs
// and magnitudes up to 34 digits, integers mixed in, empty and non-empty sums.

const rounds = ROUNDING_MODES.map((m, i) => `      r${i}: "ROUND(a * b + i, ${i % 4}, '${m}')"`).join("\n");
const roundOutputs = ROUNDING_MODES.map((_, i) => `r${i}: decimal`).join(", ");

const arithmetic = node(
  `
node_id: scaled.agree@1.0.0
type: function
inputs:
  a: decimal
  b: decimal
  i: integer
  ds: array<decimal>
outputs:
  success: {sum: decimal, diff: decimal, prod: decimal, neg: decimal, lt: boolean, eq: boolean, total: decimal, more: decimal, big: boolean, ${roundOutputs}}
flow:
  - step: c
    op: compute
    set:
      sum: "a + b * i"
      diff: "a - b - 0.001"
      prod: "a * b * 1.5"
      neg: "-(a - b)"
      lt: "a < b OR a * i <= b"
      eq: "a == b + 0 AND b != 0.5"
${rounds}
      total: "SUM(x IN ds: ROUND(x * a, 3, 'HALF_EVEN'))"
      more: "total + a - i"
      big: "total >= a"
  - step: ret
    op: return
    output: success
    values: {sum: sum, diff: diff, prod: prod, neg: neg, lt: lt, eq: eq, total: total, more: more, big: big, ${ROUNDING_MODES.map((_, i) => `r${i}: r${i}`).join(", ")}}
`,
  "scaled.vsp",
);

const anyDecimal = anyDecimalOf(moneyDecimal(-(10n ** 12n), 10n ** 12n));

// Numbers whose kind is known only loosely: MIN of an integer and a decimal, a SUM
// that is 0n when empty, division, and bindings built from them.
const mixed = node(
  `
node_id: scaled.mixed@1.0.0
type: function
inputs:
  a: decimal
  b: decimal
  i: integer
  ds: array<decimal>
outputs:
  success: {m1: decimal, m2: decimal, q: decimal, e: decimal, t2: decimal, t3: decimal, c: boolean}
flow:
  - step: c
    op: compute
    set:
      m1: "MIN(i, a) + 1"
      m2: "MIN(i, a) * 2.5"
      t1: "SUM(x IN ds: x)"
      e: "t1 + i"
      t2: "t1 - a"
      t3: "ROUND(t2 + t1, 1, 'FLOOR')"
      c: "t1 >= i AND MAX(i, a) != t1"
      q: "(a / (b * b + 1)) * 2"
  - step: ret
    op: return
    output: success
    values: {m1: m1, m2: m2, q: q, e: e, t2: t2, t3: t3, c: c}
`,
  "mixed.vsp",
);

describe("decimals lowered to scaled integers agree with the reference on both tiers", () => {
  it("numbers known only to be integers or decimals (MIN of both, SUM of none, division) agree too", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyDecimal,
        anyDecimal,
        fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
        fc.array(anyDecimal, { maxLength: 3 }),
        async (a, b, i, ds) => {
          const runs = await runAll(mixed, inputs({ a, b, i, ds }));
          const want = plain(runs.reference);
          expect(plain(runs.closures)).toEqual(want);
          expect(plain(runs.generated)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("+, -, *, negation, comparisons, ROUND in every mode and SUM give the reference's digits", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyDecimal,
        anyDecimal,
        fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
        fc.array(anyDecimal, { maxLength: 4 }),
        async (a, b, i, ds) => {
          const runs = await runAll(arithmetic, inputs({ a, b, i, ds }));
          const want = plain(runs.reference);
          expect(want.status).toBe("success");
          expect(plain(runs.closures)).toEqual(want);
          expect(plain(runs.generated)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});
