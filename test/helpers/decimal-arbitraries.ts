// The decimals the direct runtime's exactness property tests draw: any decimal.js
// value of up to 34 significant digits at a scale from −5 to 30 (either sign), and
// money-like amounts (an integer of bounded size at scale 0–4), mixed with zero,
// negative zero and one half. Shared so every lowering test covers the same edges;
// with them, `decimalFields`, what those tests compare answers by.
import fc from "fast-check";
import { Decimal } from "../../src/values/decimal.js";

/** Up to 34 significant digits, scale −5..30, either sign. */
export const wideDecimal: fc.Arbitrary<Decimal> = fc
  .tuple(
    fc.integer({ min: 1, max: 34 }).chain((n) => fc.bigInt({ min: 0n, max: 10n ** BigInt(n) - 1n })),
    fc.integer({ min: -5, max: 30 }),
    fc.boolean(),
  )
  .map(([digits, scale, negative]) => new Decimal(`${negative ? "-" : ""}${digits}e${-scale}`));

/** An integer in [min, max] at a scale of 0–4. */
export const moneyDecimal = (min: bigint, max: bigint): fc.Arbitrary<Decimal> =>
  fc.tuple(fc.bigInt({ min, max }), fc.integer({ min: 0, max: 4 })).map(([m, k]) => new Decimal(`${m}e-${k}`));

const edges = fc.constantFrom(new Decimal(0), new Decimal(-0), new Decimal("0.5"));

/** Money, wide decimals and the edges, money drawn `moneyWeight` times as often as an edge. */
export const anyDecimal = (money: fc.Arbitrary<Decimal>, moneyWeight = 1): fc.Arbitrary<Decimal> =>
  fc.oneof(
    { arbitrary: money, weight: moneyWeight },
    { arbitrary: wideDecimal, weight: moneyWeight === 1 ? 1 : 2 },
    { arbitrary: edges, weight: 1 },
  );

/** Every field decimal.js holds: equal fields are the same value in the same representation. */
export const decimalFields = (d: Decimal) => {
  const x = d as unknown as { s: number; e: number; d: number[] | null };
  return { s: x.s, e: x.e, d: x.d ? [...x.d] : null };
};
