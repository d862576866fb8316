import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/values/decimal.js";
import { decimalText, withDisplayScale } from "../../../src/values/display-scale.js";
import { storedDecimalText } from "../../../src/trace/decimal-text.js";
import { encodeValue } from "../../../src/trace/value-codec.js";

// The recorder writes a decimal's text from decimal.js's fields (src/trace/decimal-text.ts)
// instead of through toString/toFixed: for every decimal, declared scale or not, the
// text must be decimalText's, character for character, or a stored trace would read
// back (and hash) differently. Decimals come from text over a wide exponent range
// (both sides of exponent notation), from arithmetic (long digit words, rounding at
// 34 digits) and as the special values.

const digitText = fc
  .tuple(
    fc.constantFrom("", "-"),
    fc.stringMatching(/^[0-9]{1,40}$/),
    fc.option(fc.stringMatching(/^[0-9]{1,40}$/), { nil: undefined }),
    fc.option(fc.integer({ min: -60, max: 60 }), { nil: undefined }),
  )
  .map(
    ([sign, whole, fraction, exp]) =>
      `${sign}${whole}${fraction ? `.${fraction}` : ""}${exp === undefined ? "" : `e${exp}`}`,
  );

const fromText = digitText.map((t) => new Decimal(t));
const fromArithmetic = fc
  .tuple(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.integer({ min: 1, max: 10_000 }), fc.nat(12))
  .map(([a, b, places]) => new Decimal(a).div(b).toDecimalPlaces(places));
const special = fc
  .constantFrom(
    "0",
    "-0",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e39",
    "1e40",
    "1e-39",
    "1e-40",
    "1e-41",
    "0.1",
    "10000000",
    "-10000000.5",
  )
  .map((t) => new Decimal(t));
const anyDecimal = fc.oneof(
  fromText,
  fromArithmetic,
  special,
  fromArithmetic.map((d) => d.times(10_000_000)),
);

describe("storedDecimalText", () => {
  it("writes every decimal as decimalText does", () => {
    fc.assert(
      fc.property(anyDecimal, (d) => {
        expect(storedDecimalText(d)).toBe(decimalText(d));
      }),
      { numRuns: 5000 },
    );
  });

  it("writes every decimal at a declared scale as decimalText does (trailing zeros padded, never rounded)", () => {
    fc.assert(
      fc.property(anyDecimal, fc.nat(45), (d, scale) => {
        const scaled = withDisplayScale(d, scale);
        expect(storedDecimalText(scaled)).toBe(decimalText(scaled));
      }),
      { numRuns: 5000 },
    );
  });

  it("is what the value codec stores", () => {
    expect(encodeValue(withDisplayScale(new Decimal("3.2"), 2))).toEqual({ $d: "3.20" });
    expect(encodeValue(withDisplayScale(new Decimal("-0"), 2))).toEqual({ $d: "0.00" });
    expect(encodeValue(new Decimal("123456789.000000001"))).toEqual({ $d: "123456789.000000001" });
  });
});
