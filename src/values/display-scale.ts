import { Decimal } from "./decimal.js";

// A decimal declared with a `scale` (an input, an output field, a record field)
// prints with that many digits after the point: money is read by people, so a fee
// of 3.2 declared `scale: 2` prints 3.20, in text and JSON. decimal.js keeps no
// trailing zeros, so the scale rides beside the value in a side table: arithmetic
// makes new values without one, and equality and hashing never see it. A value
// with more digits than its scale prints them all; printing never rounds.

const scales = new WeakMap<Decimal, number>();

/** A copy of `d` that prints with at least `scale` digits after the point. */
export function withDisplayScale(d: Decimal, scale: number): Decimal {
  const copy = new Decimal(d);
  scales.set(copy, scale);
  return copy;
}

/** The decimal as text: at its declared scale when it has one, else its shortest form. */
export function decimalText(d: Decimal): string {
  const scale = scales.get(d);
  return scale !== undefined && d.isFinite() && d.decimalPlaces() < scale ? d.toFixed(scale) : d.toString();
}
