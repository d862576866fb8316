import { Decimal } from "./decimal.js";

// A decimal declared with a `scale` (an input, an output field, a record field)
// prints with that many digits after the point: money is read by people, so a fee
// of 3.2 declared `scale: 2` prints 3.20, in text and JSON. decimal.js keeps no
// trailing zeros, so the scale rides on the copy's prototype: one prototype per
// scale, under Decimal.prototype, holding the scale under a symbol. The copy has
// the same own fields as any decimal (so equality, hashing and structural
// comparisons never see the scale), and arithmetic makes new values without one.
// A prototype rather than a side table: a WeakMap entry costs the garbage collector
// far more than the copy itself, on every run that returns money. A value with more
// digits than its scale prints them all; printing never rounds.

const SCALE = Symbol("display scale");

interface DecimalFields {
  constructor: unknown;
  s: number;
  e: number;
  d: number[] | null;
  [SCALE]?: number;
}

/** The prototype of each scale, by scale (an array: read on every display-scaled decimal made). */
const prototypes: object[] = [];

function prototypeOf(scale: number): object {
  let proto = prototypes[scale];
  if (proto === undefined) {
    proto = Object.create(Decimal.prototype, { [SCALE]: { value: scale } }) as object;
    prototypes[scale] = proto;
  }
  return proto;
}

/** A copy of `d` that prints with at least `scale` digits after the point. */
export function withDisplayScale(d: Decimal, scale: number): Decimal {
  const from = d as unknown as DecimalFields;
  return displayScaled(from.s, from.e, from.d ? from.d.slice() : from.d, scale);
}

/**
 * A decimal made from decimal.js's fields (sign, exponent, digit words; the words are
 * taken, not copied) that prints with at least `scale` digits after the point.
 */
export function displayScaled(s: number, e: number, d: number[] | null, scale: number): Decimal {
  // The fields in the order decimal.js's constructor writes them, so a copy has a decimal's own shape.
  const copy = Object.create(prototypeOf(scale)) as DecimalFields;
  copy.constructor = Decimal;
  copy.s = s;
  copy.e = e;
  copy.d = d;
  return copy as unknown as Decimal;
}

/** The scale `d` prints at, when it was given one. */
export function displayScaleOf(d: Decimal): number | undefined {
  return (d as unknown as DecimalFields)[SCALE];
}

/** The decimal as text: at its declared scale when it has one, else its shortest form. */
export function decimalText(d: Decimal): string {
  const scale = displayScaleOf(d);
  return scale !== undefined && d.isFinite() && d.decimalPlaces() < scale ? d.toFixed(scale) : d.toString();
}
