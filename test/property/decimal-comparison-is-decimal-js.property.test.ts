import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import { withDisplayScale } from "../../src/values/display-scale.js";
import { compareDecimals, compareNumbers } from "../../src/values/ordering.js";
import { anyDecimal, moneyDecimal, wideDecimal } from "../helpers/decimal-arbitraries.js";

// compareDecimals (src/values/ordering.ts) is decimal.js's comparedTo, read off the
// instances' fields instead of through the copy comparedTo makes of its argument. Both
// runtimes order every pair of decimals with it (MIN, MAX, <, ==, …), so it must give
// comparedTo's answer for every pair: either sign, any exponent, zeros of either sign,
// NaN, ±Infinity, equal values written at other scales, display-scaled copies, and
// pairs that share a prefix of digit words.

const special = fc.constantFrom(
  new Decimal(Number.NaN),
  new Decimal(Number.POSITIVE_INFINITY),
  new Decimal(Number.NEGATIVE_INFINITY),
  new Decimal(0),
  new Decimal(-0),
);
/** A value and the same value (or a neighbour) written otherwise: more digit words, a display scale. */
const near = (d: Decimal) =>
  !d.isFinite()
    ? fc.constantFrom(d, d.neg(), new Decimal(0))
    : fc.oneof(
        fc.constant(d),
        fc.constant(new Decimal(d.toFixed(d.decimalPlaces() + 3))),
        fc.integer({ min: 0, max: 6 }).map((k) => withDisplayScale(d, k)),
        fc.constantFrom(1, -1).map((e) => d.plus(new Decimal(`${e}e-${d.decimalPlaces() + 9}`))),
        fc.constant(d.neg()),
      );
const decimal = fc.oneof(anyDecimal(moneyDecimal(-(10n ** 12n), 10n ** 12n), 3), wideDecimal, special);
const pair = fc.oneof(
  fc.tuple(decimal, decimal),
  decimal.chain((d) => near(d).map((e) => [d, e] as const)),
);

const sign = (n: number) => (Number.isNaN(n) ? "NaN" : Math.sign(n));

describe("compareDecimals", () => {
  it("is decimal.js's comparedTo for every pair", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(sign(compareDecimals(a, b))).toBe(sign(a.comparedTo(b)));
        expect(sign(compareNumbers(a, b))).toBe(sign(a.comparedTo(b)));
      }),
      { numRuns: 3000 },
    );
  });
});
