// The comparator answers the common agreeing leaves (equal integers, strings,
// booleans, finite decimals; the same object on both sides) without building their
// canonical keys. This checks the shortcut against the definition it replaces: two
// exactly compared values agree exactly when their kinds and keyOf() agree, across
// kinds, signs, zeros written as -0, scales, non-finite decimals and mixed
// integer/decimal pairs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareValues, type DiffEntry } from "../../src/exec/comparator.js";
import { Decimal } from "../../src/values/decimal.js";
import { keyOf, type Value } from "../../src/values/values.js";

const decimal = fc.oneof(
  fc
    .tuple(fc.bigInt({ min: -(10n ** 36n), max: 10n ** 36n }), fc.integer({ min: -3, max: 40 }))
    .map(([n, s]) => new Decimal(`${n}e${-s}`)),
  fc.constantFrom(new Decimal(0), new Decimal(-0), new Decimal("-0.000"), new Decimal("1.50"), new Decimal(1.5)),
  fc.constantFrom(new Decimal(Number.NaN), new Decimal(Number.POSITIVE_INFINITY), new Decimal("-Infinity")),
);
const small = fc.bigInt({ min: -20n, max: 20n });
const exact: fc.Arbitrary<Value> = fc.oneof(
  small,
  small.map((n) => new Decimal(n.toString())),
  decimal,
  fc.constantFrom("a", "b", "", "n:1", "USD"),
  fc.boolean(),
  fc.constant(null),
);

const kind = (v: Value) => (v === null ? "null" : typeof v === "bigint" || Decimal.isDecimal(v) ? "number" : typeof v);
const agrees = (e: Value, a: Value) => {
  const out: DiffEntry[] = [];
  compareValues(e, a, "output.x", { tolerance: 1e-6, noisy: [] }, out);
  return out.length === 0;
};

describe("the comparator's shortcut for agreeing leaves", () => {
  it("agrees exactly when the kinds and canonical keys agree", () => {
    fc.assert(
      fc.property(exact, exact, (e, a) => {
        expect(agrees(e, a)).toBe(kind(e) === kind(a) && keyOf(e) === keyOf(a));
      }),
      { numRuns: 5000 },
    );
  });

  it("a value agrees with a copy of itself and with itself", () => {
    fc.assert(
      fc.property(decimal, (d) => {
        expect(agrees(d, new Decimal(d))).toBe(true);
        expect(agrees(d, d)).toBe(true);
      }),
    );
  });
});
