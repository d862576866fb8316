import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import { fromS, type Sc, toS } from "../../src/runtime/direct/scaled.js";
import {
  addMulRoundU,
  addU,
  addUS,
  cmpU,
  fromU,
  kU,
  mulCmpU,
  mulRoundU,
  mulU,
  negU,
  roundU,
  scU,
  sgnU,
  subU,
  unU,
  upU,
} from "../../src/runtime/direct/scaled-units.js";
import { ROUNDING } from "../../src/expr/evaluate.js";
import { ROUNDING_MODES } from "../../src/expr/builtins.js";
import { displayScaleOf } from "../../src/values/display-scale.js";
import { anyDecimal, decimalFields as fields, moneyDecimal, wideDecimal } from "../helpers/decimal-arbitraries.js";

// Decimals whose scale the generated code knows, held as numbers of units
// (src/runtime/direct/scaled-units.ts), give decimal.js's answers bit for bit: every
// operation, on operands given as numbers of units at a scale at least their own or as
// scaled values (which carry their own scale, as a value past the number range does),
// at a result scale at least the operands', gives the digits, exponent and sign (a
// negative zero included) decimal.js gives, in every rounding mode; over random scales,
// signs and magnitudes up to 34 digits, and across the 2^53 line where numbers give way.

/** An operand as generated code may hold it: its units at scale k, or its scaled value (k then says nothing). */
interface Operand {
  v: unknown;
  k: number;
}

/** `d` as a number of units at its own scale plus `extra` when that is a safe integer, else as its Sc. */
function operand(d: Decimal, extra: number, asUnits: boolean): Operand {
  const s = toS(d);
  if (asUnits && s.w === null && typeof s.m === "number") {
    const n = s.m * 10 ** extra;
    if (Number.isSafeInteger(n) || Object.is(n, -0)) return { v: n, k: s.k + extra };
  }
  return { v: s, k: s.k + extra };
}

/** The scale generated code knows for an operand: its units' scale, nothing (0) for a scaled value. */
const known = (o: Operand) => (typeof o.v === "number" ? o.k : 0);

/** The value an operation gave, as a Decimal: units at the scale the code gives for it, or its Sc. */
const value = (v: unknown, k: number): Decimal => fields(fromU(v, k)) as unknown as Decimal;

const money = moneyDecimal(-(10n ** 13n), 10n ** 13n);
/** Money mostly (the number paths), wide decimals and 2^53's neighbours (the fallbacks), zeros of both signs. */
const decimal: fc.Arbitrary<Decimal> = fc.oneof(
  { arbitrary: anyDecimal(money, 4), weight: 4 },
  {
    arbitrary: fc
      .tuple(fc.bigInt({ min: 2n ** 53n - 20n, max: 2n ** 53n + 20n }), fc.integer({ min: 0, max: 6 }), fc.boolean())
      .map(([m, k, neg]) => new Decimal(`${neg ? "-" : ""}${m}e-${k}`)),
    weight: 1,
  },
  { arbitrary: wideDecimal, weight: 1 },
);
const held = (d: Decimal) =>
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([extra, asUnits]) => operand(d, extra, asUnits));
const arg = decimal.chain((d) => held(d).map((o) => ({ d, o })));
const mode = fc.constantFrom(...ROUNDING_MODES);
const run = { numRuns: 3000 };

describe("decimals held as numbers of units give decimal.js's answers", () => {
  it("+ and − at any result scale at least the operands' are decimal.js's", () => {
    fc.assert(
      fc.property(arg, arg, fc.integer({ min: 0, max: 3 }), ({ d: a, o: x }, { d: b, o: y }, extra) => {
        // The code's scale covers the operands held as units; a scaled value's own scale may exceed it.
        const k = Math.max(known(x), known(y)) + extra;
        expect(value(addU(x.v, x.k, y.v, y.k, k), k)).toEqual(fields(a.plus(b)));
        expect(value(subU(x.v, x.k, y.v, y.k, k), k)).toEqual(fields(a.minus(b)));
        // At the operands' own scales, as an Sc (beside an operand whose scale the code does not know).
        expect(fields(fromS(addUS(x.v, x.k, y.v, y.k, false)))).toEqual(fields(a.plus(b)));
        expect(fields(fromS(addUS(x.v, x.k, y.v, y.k, true)))).toEqual(fields(a.minus(b)));
      }),
      run,
    );
  });

  it("× and negation are decimal.js's", () => {
    fc.assert(
      fc.property(arg, arg, fc.integer({ min: 0, max: 2 }), ({ d: a, o: x }, { d: b, o: y }, extra) => {
        const k = known(x) + known(y) + extra;
        expect(value(mulU(x.v, x.k, y.v, y.k, k), k)).toEqual(fields(a.times(b)));
        expect(value(negU(x.v, x.k), x.k)).toEqual(fields(a.neg()));
      }),
      run,
    );
  });

  it("ROUND, and ROUND of a product in one operation, round as decimal.js does in every mode", () => {
    fc.assert(
      fc.property(arg, arg, fc.integer({ min: 0, max: 30 }), mode, ({ d: a, o: x }, { d: b, o: y }, places, m) => {
        const r = ROUNDING[m];
        expect(value(roundU(x.v, x.k, places, r), places)).toEqual(fields(a.toDecimalPlaces(places, r)));
        expect(value(mulRoundU(x.v, x.k, y.v, y.k, places, r), places)).toEqual(
          fields(a.times(b).toDecimalPlaces(places, r)),
        );
      }),
      run,
    );
    for (const m of ROUNDING_MODES)
      for (const text of ["2.5", "-2.5", "3.5", "-3.5", "0.004", "-0.004", "-0.005", "0.015", "-0", "9.995"])
        for (const places of [0, 1, 2]) {
          const a = new Decimal(text);
          const x = operand(a, 1, true);
          expect(value(roundU(x.v, x.k, places, ROUNDING[m]), places), `${text} ${m} ${places}`).toEqual(
            fields(a.toDecimalPlaces(places, ROUNDING[m])),
          );
        }
  });

  it("a SUM's next partial sum of a rounded product in one operation (addMulRoundU) is decimal.js's, in every mode", () => {
    fc.assert(
      fc.property(
        arg,
        arg,
        arg,
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 2 }),
        mode,
        ({ d: acc, o: s }, { d: a, o: x }, { d: b, o: y }, places, extra, m) => {
          const r = ROUNDING[m];
          // The sum so far is held at the sum's scale, as generated code holds it.
          const k = Math.max(known(s), places) + extra;
          expect(value(addMulRoundU(upU(s.v, s.k, k), k, x.v, x.k, y.v, y.k, places, r), k)).toEqual(
            fields(acc.plus(a.times(b).toDecimalPlaces(places, r))),
          );
        },
      ),
      run,
    );
  });

  it("comparisons, sign tests and a product compared in one operation order as decimal.js does", () => {
    fc.assert(
      fc.property(arg, arg, arg, ({ d: a, o: x }, { d: b, o: y }, { d: c, o: z }) => {
        expect(cmpU(x.v, x.k, y.v, y.k)).toBe(a.cmp(b));
        expect(sgnU(x.v, x.k)).toBe(a.cmp(0));
        expect(mulCmpU(x.v, x.k, y.v, y.k, z.v, z.k)).toBe(a.times(b).cmp(c));
      }),
      run,
    );
  });

  it("conversions: a number of units read back is its decimal (at a display scale too), an empty SUM's 0n stays 0n", () => {
    fc.assert(
      fc.property(
        arg,
        fc.integer({ min: 0, max: 3 }),
        fc.option(fc.integer({ min: 0, max: 6 })),
        ({ d, o }, up, scale) => {
          expect(fields(unU(o.v, o.k) as Decimal)).toEqual(fields(d));
          expect(fields(fromS(kU(o.v, o.k)))).toEqual(fields(d));
          expect(fields(fromS(scU(o.v, o.k) as Sc))).toEqual(fields(d));
          expect(value(upU(o.v, o.k, o.k + up), o.k + up)).toEqual(fields(d));
          const shown = fromU(o.v, o.k, scale ?? undefined);
          expect(fields(shown)).toEqual(fields(d));
          expect(displayScaleOf(shown)).toBe(scale ?? undefined);
        },
      ),
      run,
    );
    expect(unU(0n, 2)).toBe(0n);
    expect(scU(0n, 2)).toBe(0n);
    expect(fields(fromS(kU(0n, 2)))).toEqual(fields(new Decimal(0)));
    expect(value(addU(0n, 2, 125, 2, 2), 2)).toEqual(fields(new Decimal("1.25")));
  });
});
