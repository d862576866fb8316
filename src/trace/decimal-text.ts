import type { Decimal } from "../values/decimal.js";
import { decimalText, displayScaleOf } from "../values/display-scale.js";

// A decimal's text as the trace store writes it (value-codec `$d`), character for
// character what decimalText (src/values/display-scale.ts) gives, written straight
// from decimal.js's fields: sign `s`, exponent `e` (the power of ten of the first
// digit) and digit words `d` (base 1e7, the first without leading zeros, the last
// never 0). decimal.js's toString and toFixed copy, round and re-check the value
// first, about 0.4 µs a decimal; the recorder writes two or three decimals a step,
// so this was a good part of a step's recording cost. Anything this writer does not
// handle (NaN, ±Infinity, exponent notation) is left to decimalText. The property
// test (test/unit/trace/decimal-text-matches-decimal-js.test.ts) holds the two equal.

/** Digits per word of decimal.js's digit array (its LOG_BASE). */
const WORD = 7;
const ZEROS = "0000000";

interface Fields {
  s: number;
  e: number;
  d: number[] | null;
  constructor: { toExpNeg: number; toExpPos: number };
}

/** "0" repeated n times. */
function zeros(n: number): string {
  return n <= WORD ? ZEROS.slice(0, n) : "0".repeat(n);
}

/** decimalText(x), faster. */
export function storedDecimalText(x: Decimal): string {
  const { s, e, d, constructor: config } = x as unknown as Fields;
  // NaN and ±Infinity have no words; past these exponents toString writes exponent notation.
  if (d === null || e <= config.toExpNeg || e >= config.toExpPos) return decimalText(x);
  // The significant digits, trailing zeros dropped (decimal.js's digitsToString).
  const last = d.length - 1;
  let w = d[0]!;
  let digits = "";
  if (last > 0) {
    digits += w;
    for (let i = 1; i < last; i++) {
      const ws = `${d[i]}`;
      digits += ZEROS.slice(ws.length) + ws;
    }
    w = d[last]!;
    if (w === 0) return decimalText(x);
    digits += ZEROS.slice(`${w}`.length);
  }
  if (w !== 0) while (w % 10 === 0) w /= 10;
  digits += w;
  const len = digits.length;
  // The plain notation (decimal.js's finiteToString), and the digits after the point.
  let text: string;
  let places: number;
  if (e < 0) {
    text = `0.${zeros(-e - 1)}${digits}`;
    places = len - e - 1;
  } else if (e + 1 >= len) {
    text = e + 1 > len ? digits + zeros(e + 1 - len) : digits;
    places = 0;
  } else {
    text = `${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
    places = len - e - 1;
  }
  // At its declared scale when it has fewer digits after the point (as toFixed(scale) pads them).
  const scale = displayScaleOf(x);
  if (scale !== undefined && places < scale) text += places === 0 ? `.${zeros(scale)}` : zeros(scale - places);
  // A negative zero prints without its sign.
  return s < 0 && !(d[0] === 0) ? `-${text}` : text;
}
