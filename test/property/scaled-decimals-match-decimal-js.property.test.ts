import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import {
  addMulRoundS,
  addS,
  cmpS,
  eqS,
  fromS,
  intS,
  mulCmpS,
  mulRoundS,
  mulS,
  negS,
  roundS,
  Sc,
  sgnS,
  subS,
  toS,
} from "../../src/runtime/direct/scaled.js";
import { ROUNDING } from "../../src/expr/evaluate.js";
import { displayScaleOf } from "../../src/values/display-scale.js";
import { decimalFields as fields } from "../helpers/decimal-arbitraries.js";
import { ROUNDING_MODES } from "../../src/expr/builtins.js";

// The direct runtime's scaled-integer decimals (src/runtime/direct/scaled.ts) give
// decimal.js's answers bit for bit: the same digits, exponent and sign (a negative
// zero included) for +, −, ×, negation and ROUND in every rounding mode the IR has,
// the same order for comparisons, over random scales, signs and magnitudes up to 34
// digits and past them, and across the 2^53 line where numbers give way to bigints.

const digitsOf = (n: number) => fc.bigInt({ min: 0n, max: 10n ** BigInt(n) - 1n }).map((b) => (b === 0n ? 1n : b));

/** Decimals of 1–40 significant digits, scales from -10 to 40, either sign, zeros of both signs. */
const decimal: fc.Arbitrary<Decimal> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 40 }).chain(digitsOf), fc.integer({ min: -10, max: 40 }), fc.boolean())
    .map(([digits, scale, negative]) => {
      const d = new Decimal(`${negative ? "-" : ""}${digits}e${-scale}`);
      return d;
    }),
  // Money-like: up to 15 digits, 0–4 places.
  fc
    .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 4 }))
    .map(([m, k]) => new Decimal(`${m}e-${k}`)),
  // Around 2^53, where the scaled digits stop being exact numbers.
  fc
    .tuple(fc.bigInt({ min: 2n ** 53n - 50n, max: 2n ** 53n + 50n }), fc.integer({ min: 0, max: 8 }), fc.boolean())
    .map(([m, k, neg]) => new Decimal(`${neg ? "-" : ""}${m}e-${k}`)),
  fc.constantFrom(new Decimal(0), new Decimal(-0), new Decimal("0.5"), new Decimal("-0.5"), new Decimal("1e-30")),
);

const mode = fc.constantFrom(...ROUNDING_MODES);
const run = { numRuns: 3000 };

describe("scaled-integer decimals give decimal.js's answers", () => {
  it("a decimal survives the trip to scaled integers and back unchanged", () => {
    fc.assert(
      fc.property(decimal, (a) => {
        expect(fields(fromS(toS(a)))).toEqual(fields(a));
      }),
      run,
    );
  });

  it("a scaled number of up to 15 digits at a scale up to 8 becomes decimal.js's value, at any display scale", () => {
    // fromS's short path (|m| < 10^14, scale ≤ 7) and the general one on either side of it.
    const m = fc.oneof(
      fc.integer({ min: -(10 ** 15), max: 10 ** 15 }),
      fc.integer({ min: -999, max: 999 }),
      fc.constantFrom(1e14 - 1, -(1e14 - 1), 1e14, 1e7, 1e7 - 1, 10 ** 13 * 7, 1e7 * 1e6 + 5, 1, -1, -0, 0),
    );
    fc.assert(
      fc.property(m, fc.integer({ min: 0, max: 8 }), fc.option(fc.integer({ min: 0, max: 9 })), (mm, k, scale) => {
        const want = new Decimal(`${Object.is(mm, -0) ? "-0" : mm}e-${k}`);
        const got = fromS(new Sc(mm, k, null), scale ?? undefined);
        expect(fields(got)).toEqual(fields(want));
        expect(displayScaleOf(got)).toBe(scale ?? undefined);
        expect(got.toString()).toBe(want.toString());
      }),
      run,
    );
  });

  it("+, − and × are decimal.js's, rounded to 34 digits when the exact result is longer", () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const x = toS(a);
        const y = toS(b);
        expect(fields(fromS(addS(x, y)))).toEqual(fields(a.plus(b)));
        expect(fields(fromS(subS(x, y)))).toEqual(fields(a.minus(b)));
        expect(fields(fromS(mulS(x, y)))).toEqual(fields(a.times(b)));
      }),
      run,
    );
  });

  it("comparisons and negation agree", () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(cmpS(toS(a), toS(b))).toBe(a.cmp(b));
        expect(eqS(toS(a), toS(b))).toBe(a.eq(b));
        expect(fields(fromS(negS(toS(a))))).toEqual(fields(a.neg()));
      }),
      run,
    );
  });

  it("a sign test (sgnS) and a product compared in one operation (mulCmpS) order as decimal.js does", () => {
    fc.assert(
      fc.property(decimal, decimal, decimal, (a, b, c) => {
        expect(sgnS(toS(a))).toBe(a.cmp(0));
        expect(mulCmpS(toS(a), toS(b), toS(c))).toBe(a.times(b).cmp(c));
        expect(mulCmpS(toS(a), toS(b), toS(a))).toBe(a.times(b).cmp(a));
      }),
      run,
    );
    for (const x of ["0", "-0", "1e-30", "-1e-30", "1e500", "-1e500"])
      expect(sgnS(toS(new Decimal(x)))).toBe(new Decimal(x).cmp(0));
    expect(mulCmpS(toS(new Decimal("0.5")), intS(3n), toS(new Decimal("1.50")))).toBe(0);
  });

  it("ROUND to any number of places rounds as decimal.js does in every rounding mode", () => {
    fc.assert(
      fc.property(decimal, fc.integer({ min: 0, max: 45 }), mode, (a, places, m) => {
        const want = a.toDecimalPlaces(places, ROUNDING[m]);
        expect(fields(fromS(roundS(toS(a), places, ROUNDING[m])))).toEqual(fields(want));
      }),
      run,
    );
  });

  it("ROUND of a product in one operation (mulRoundS) is decimal.js's product rounded, in every mode", () => {
    fc.assert(
      fc.property(decimal, decimal, fc.integer({ min: 0, max: 45 }), mode, (a, b, places, m) => {
        const want = a.times(b).toDecimalPlaces(places, ROUNDING[m]);
        expect(fields(fromS(mulRoundS(toS(a), toS(b), places, ROUNDING[m])))).toEqual(fields(want));
      }),
      run,
    );
    for (const m of ROUNDING_MODES)
      for (const [x, y] of [
        ["0.25", "10"],
        ["-0.25", "10"],
        ["0.5", "-0.01"],
        ["-0.001", "3"],
        ["0", "-2.5"],
      ])
        for (const places of [0, 1, 2])
          expect(fields(fromS(mulRoundS(toS(new Decimal(x)), toS(new Decimal(y)), places, ROUNDING[m])))).toEqual(
            fields(new Decimal(x).times(y).toDecimalPlaces(places, ROUNDING[m])),
          );
  });

  it("a SUM's next partial sum of a rounded product in one operation (addMulRoundS) is addS of mulRoundS, in every mode", () => {
    // Amounts of money hit its number path; the wide decimals its fallback.
    const money = fc
      .tuple(
        fc.oneof(fc.integer({ min: -(10 ** 9), max: 10 ** 9 }), fc.integer({ min: -5, max: 5 })),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
      )
      .map(([m, k, neg0]) => new Decimal(m === 0 && neg0 ? "-0" : `${m}e-${k}`));
    const value = fc.oneof(money, money, decimal);
    fc.assert(
      fc.property(value, value, value, fc.integer({ min: 0, max: 8 }), mode, (acc, a, b, places, m) => {
        const two = addS(toS(acc), mulRoundS(toS(a), toS(b), places, ROUNDING[m]));
        const one = addMulRoundS(toS(acc), toS(a), toS(b), places, ROUNDING[m]);
        expect(Object.is(one.m, two.m) && one.k === two.k).toBe(true);
        expect(fields(fromS(one))).toEqual(fields(acc.plus(a.times(b).toDecimalPlaces(places, ROUNDING[m]))));
      }),
      run,
    );
  });

  it("ties and negative zeros: each mode on ±x.5 and on values that round to zero", () => {
    for (const m of ROUNDING_MODES) {
      for (const text of ["2.5", "-2.5", "3.5", "-3.5", "0.004", "-0.004", "-0.005", "0.015", "-0", "9.995"]) {
        const a = new Decimal(text);
        for (const places of [0, 1, 2]) {
          expect(fields(fromS(roundS(toS(a), places, ROUNDING[m]))), `${text} ${m} ${places}`).toEqual(
            fields(a.toDecimalPlaces(places, ROUNDING[m])),
          );
        }
      }
    }
  });

  it("an integer is a number exactly while it is a safe integer, at 2^53 and around it too", () => {
    const edge = 2n ** 53n;
    const near = fc.tuple(fc.constantFrom(edge, -edge, 2n ** 63n, -(2n ** 63n), 0n), fc.integer({ min: -3, max: 3 }));
    fc.assert(
      fc.property(
        fc.oneof(
          near.map(([e, d]) => e + BigInt(d)),
          fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
        ),
        (i) => {
          const s = intS(i);
          const safe = i >= -(edge - 1n) && i <= edge - 1n;
          expect(typeof s.m, String(i)).toBe(safe ? "number" : "bigint");
          expect(BigInt(s.m), String(i)).toBe(i);
          expect(fields(fromS(s))).toEqual(fields(new Decimal(i.toString())));
        },
      ),
      run,
    );
  });

  it("integer operands mix with decimals as decimal.js's conversion of them does", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), decimal, (i, b) => {
        const a = new Decimal(i.toString());
        expect(fields(fromS(intS(i)))).toEqual(fields(a));
        expect(fields(fromS(mulS(intS(i), toS(b))))).toEqual(fields(a.times(b)));
        expect(fields(fromS(addS(intS(i), toS(b))))).toEqual(fields(a.plus(b)));
        expect(cmpS(intS(i), toS(b))).toBe(a.cmp(b));
      }),
      run,
    );
  });

  it("a value too wide to scale is handed to decimal.js", () => {
    const huge = new Decimal("1e500");
    const tiny = new Decimal("-3e-500");
    expect(fields(fromS(addS(toS(huge), toS(tiny))))).toEqual(fields(huge.plus(tiny)));
    expect(fields(fromS(mulS(toS(huge), toS(tiny))))).toEqual(fields(huge.times(tiny)));
    expect(cmpS(toS(tiny), toS(huge))).toBe(-1);
    expect(fields(fromS(roundS(toS(tiny), 2, ROUNDING.FLOOR)))).toEqual(fields(tiny.toDecimalPlaces(2, 3)));
  });
});
