import { Decimal, type Rounding } from "../../values/decimal.js";
import { displayScaled, withDisplayScale } from "../../values/display-scale.js";

// Decimal arithmetic on scaled integers, for the direct runtime's compiled code.
// A value is m × 10^-k: m is a JS number while it is exactly representable
// (|m| ≤ 2^53 − 1; a negative zero is −0, as decimal.js keeps the sign of zero) and
// a bigint beyond; k ≥ 0 is its scale. +, −, × and comparisons are exact integer
// operations; ROUND to a number of places is integer division with the rounding
// mode applied to the remainder. The answers are decimal.js's (the reference
// runtime's oracle, 34 significant digits, HALF_UP): an exact result of at most 34
// significant digits is what decimal.js returns, and a longer one is computed by
// decimal.js itself from the same operands, as is every value too wide to scale
// (an exponent past ±SCALE_LIMIT, or not finite).
//
// Converting to and from decimal.js reads and writes its documented instance
// fields: d (base 1e7 digit words, most significant first, no trailing zero word),
// e (the base-10 exponent of the first digit) and s (the sign). The property test
// test/property/scaled-decimals-match-decimal-js.property.test.ts holds both
// conversions and every operation to decimal.js's answers.

export class Sc {
  constructor(
    readonly m: number | bigint,
    readonly k: number,
    /** A value too wide to scale, as decimal.js holds it; null for every scaled value. */
    readonly w: Decimal | null,
  ) {}
}

/** Exponents past this many digits either way stay in decimal.js (no realistic amount comes near). */
const SCALE_LIMIT = 200;
export const MAX = Number.MAX_SAFE_INTEGER;
const BMAX = BigInt(MAX);
/** 10^34: results at or past it may need decimal.js's rounding to 34 significant digits. */
const B34 = 10n ** 34n;
const POW: number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
/**
 * 10^0 … 10^9 in an array of small integers: POW holds 10^22, so its elements are doubles, and a remainder by
 * one of them is a floating-point remainder (a call) even where both operands are small integers.
 */
const SPOW: number[] = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];
const BPOW: bigint[] = [];
const bpow = (i: number): bigint => (BPOW[i] ??= 10n ** BigInt(i));

const ZERO = new Sc(0, 0, null);
const NEG_ZERO = new Sc(-0, 0, null);
const wide = (d: Decimal) => new Sc(0, 0, d);
export const isNeg0 = (m: number | bigint) => m === 0 && Object.is(m, -0);

// ---- conversions ------------------------------------------------------------------

interface DecimalFields {
  d: number[] | null;
  e: number;
  s: number;
}

function wordDigits(w: number): number {
  return w < 1e4 ? (w < 10 ? 1 : w < 100 ? 2 : w < 1000 ? 3 : 4) : w < 1e5 ? 5 : w < 1e6 ? 6 : 7;
}

/** A decimal.js value as a scaled integer. */
export function toS(x: Decimal): Sc {
  const { d, e, s } = x as unknown as DecimalFields;
  if (!d) return wide(x);
  if (d[0] === 0) return s < 0 ? NEG_ZERO : ZERO;
  const n = d.length;
  // The exponent of the last digit the words hold.
  let exp = e - (wordDigits(d[0]!) + 7 * (n - 1)) + 1;
  if (exp > SCALE_LIMIT || exp < -SCALE_LIMIT) return wide(x);
  let m: number | bigint;
  if (n === 1) m = d[0]!;
  else if (n === 2) m = d[0]! * 1e7 + d[1]!;
  else if (n === 3 && d[0]! < 90) m = (d[0]! * 1e7 + d[1]!) * 1e7 + d[2]!;
  else {
    let b = BigInt(d[0]!);
    for (let i = 1; i < n; i++) b = b * 10_000_000n + BigInt(d[i]!);
    m = b;
  }
  // The last word is padded with zeros to seven digits: drop them from the scale.
  if (typeof m === "number") {
    if (exp < 0) {
      // Trailing zeros after the point (the last word is padded to seven digits), at most six.
      const w = d[n - 1]!;
      let z = w % 1000 === 0 ? (w % 100000 === 0 ? (w % 1000000 === 0 ? 6 : 5) : w % 10000 === 0 ? 4 : 3) : 0;
      if (z === 0) z = w % 10 === 0 ? (w % 100 === 0 ? 2 : 1) : 0;
      if (z > -exp) z = -exp;
      if (z > 0) {
        m /= POW[z]!;
        exp += z;
      }
    }
    if (exp > 0) {
      const scaled = exp < 23 ? m * POW[exp]! : Infinity;
      m = scaled <= MAX ? scaled : BigInt(m) * bpow(exp);
    }
  } else {
    while (exp < 0 && m % 10n === 0n) {
      m /= 10n;
      exp++;
    }
    if (exp > 0) m *= bpow(exp);
  }
  return new Sc(s < 0 ? -m : m, exp < 0 ? -exp : 0, null);
}

/** The scaled forms of the small integers (quantities, counts), made once: an Sc is never changed. */
const SMALL_INT = 1024;
const SMALL: Sc[] = Array.from({ length: 2 * SMALL_INT + 1 }, (_, i) =>
  i === SMALL_INT ? ZERO : new Sc(i - SMALL_INT, 0, null),
);

/** An integer value (a bigint) as a scaled integer. */
export function intS(v: bigint): Sc {
  // Number() rounds monotonically and 2^53 is a double: |n| ≤ 2^53 − 1 exactly when |v| is (no bigint compares).
  const n = Number(v);
  if (n >= -MAX && n <= MAX) return n >= -SMALL_INT && n <= SMALL_INT ? SMALL[n + SMALL_INT]! : new Sc(n, 0, null);
  return new Sc(v, 0, null);
}

function makeDecimal(s: number, e: number, d: number[], scale: number | undefined): Decimal {
  if (scale !== undefined) return displayScaled(s, e, d, scale);
  const x = new Decimal(0) as unknown as DecimalFields;
  x.s = s;
  x.e = e;
  x.d = d;
  return x as unknown as Decimal;
}

/** Scratch for fromS's digit words, least significant first (fromS is synchronous and never re-entered). */
const WORDS: number[] = new Array(8).fill(0);

/**
 * A scaled integer as a decimal.js value (what slots, outputs and events hold); with
 * `scale`, one that prints with that many places (display-scale.ts), made in one go.
 */
export function fromS(a: Sc, scale?: number): Decimal {
  if (a.w !== null) return scale === undefined ? a.w : withDisplayScale(a.w, scale);
  return fromMK(a.m, a.k, scale);
}

/** fromS of the scaled value m × 10^-k, with no Sc made for it (scaled-units.ts holds numbers of units). */
export function fromMK(m: number | bigint, k: number, scale?: number): Decimal {
  if (m === 0 || m === 0n) return makeDecimal(isNeg0(m) ? -1 : 1, 0, [0], scale);
  if (typeof m === "number" && k <= 7 && m < 1e14 && m > -1e14) return fromSmall(m, k, scale);
  // Digits appended so that the scale becomes a multiple of 7: words then split at the point.
  const shift = k % 7 === 0 ? 0 : 7 - (k % 7);
  let sign: number;
  let d: number[];
  let e: number;
  if (typeof m === "number") {
    // Words in the scratch array (at most four for |m| < 2^53, shifted), then copied once, most significant first.
    sign = m < 0 ? -1 : 1;
    let rest = m < 0 ? -m : m;
    const q = POW[7 - shift]!;
    const low = rest % q;
    WORDS[0] = low * POW[shift]!;
    let n = 1;
    rest = (rest - low) / q;
    while (rest > 0) {
      const w = rest % 1e7;
      WORDS[n++] = w;
      rest = (rest - w) / 1e7;
    }
    e = wordDigits(WORDS[n - 1]!) - 1 + 7 * (n - 1) - (k + shift);
    let lowest = 0;
    while (WORDS[lowest] === 0) lowest++;
    // A literal of small integers: a packed array of Smis of its exact length, as decimal.js builds its own
    // (a holey or double array would make every read of a decimal polymorphic).
    const W = WORDS;
    switch (n - lowest) {
      case 1:
        d = [W[n - 1]! | 0];
        break;
      case 2:
        d = [W[n - 1]! | 0, W[n - 2]! | 0];
        break;
      case 3:
        d = [W[n - 1]! | 0, W[n - 2]! | 0, W[n - 3]! | 0];
        break;
      default:
        d = [];
        for (let i = n - 1; i >= lowest; i--) d.push(W[i]! | 0);
    }
  } else {
    const words: number[] = [];
    sign = m < 0n ? -1 : 1;
    let rest = m < 0n ? -m : m;
    const q = bpow(7 - shift);
    words.push(Number(rest % q) * POW[shift]!);
    rest /= q;
    while (rest > 0n) {
      words.push(Number(rest % 10_000_000n));
      rest /= 10_000_000n;
    }
    e = wordDigits(words[words.length - 1]!) - 1 + 7 * (words.length - 1) - (k + shift);
    let lowest = 0;
    while (words[lowest] === 0) lowest++;
    d = [];
    for (let i = words.length - 1; i >= lowest; i--) d.push(words[i]! | 0);
  }
  return makeDecimal(sign, e, d, scale);
}

/**
 * fromS of a non-zero number |m| < 10^14 at scale k ≤ 7 (every amount of money): at
 * most two words before the point and one after, worked out directly. The words:
 * the integer part's (< 10^14: one or two), then the fraction's, padded to seven
 * digits; trailing zero words dropped; e is the exponent of the first digit.
 */
function fromSmall(m: number, k: number, scale: number | undefined): Decimal {
  const sign = m < 0 ? -1 : 1;
  const a = m < 0 ? -m : m;
  const p = SPOW[k]!;
  const fraction = a % p;
  const whole = (a - fraction) / p;
  const f = fraction * SPOW[7 - k]!;
  let d: number[];
  let e: number;
  if (whole === 0) {
    d = [f | 0];
    e = wordDigits(f) - 8;
  } else if (whole < 1e7) {
    d = f === 0 ? [whole | 0] : [whole | 0, f | 0];
    e = wordDigits(whole) - 1;
  } else {
    const low = whole % 1e7;
    const high = (whole - low) / 1e7;
    d = f !== 0 ? [high | 0, low | 0, f | 0] : low !== 0 ? [high | 0, low | 0] : [high | 0];
    e = wordDigits(high) + 6;
  }
  return makeDecimal(sign, e, d, scale);
}

// ---- arithmetic -------------------------------------------------------------------

/** A bigint result as a scaled value: a number when it fits, or decimal.js when it has more than 34 digits. */
function big(m: bigint, k: number, redo: () => Decimal): Sc {
  if (m >= -BMAX && m <= BMAX) return new Sc(Number(m), k, null);
  if (m < B34 && m > -B34) return new Sc(m, k, null);
  const text = (m < 0n ? -m : m).toString();
  let zeros = 0;
  while (text.charCodeAt(text.length - 1 - zeros) === 48) zeros++;
  return text.length - zeros > 34 ? toS(redo()) : new Sc(m, k, null);
}

/** m × 10^by as a number when exact, else undefined. */
export function up(m: number, by: number): number | undefined {
  if (by === 0) return m;
  if (by > 22) return undefined;
  const r = m * POW[by]!;
  return r <= MAX && r >= -MAX ? r : undefined;
}

const bigOf = (m: number | bigint): bigint => (typeof m === "bigint" ? m : BigInt(m));

export function addS(a: Sc, b: Sc): Sc {
  if (a.w !== null || b.w !== null) return toS(fromS(a).plus(fromS(b)));
  const k = a.k > b.k ? a.k : b.k;
  if (typeof a.m === "number" && typeof b.m === "number") {
    const x = up(a.m, k - a.k);
    const y = up(b.m, k - b.k);
    if (x !== undefined && y !== undefined) {
      const r = x + y;
      if (r <= MAX && r >= -MAX) return new Sc(r, k, null);
    }
  }
  const r = bigOf(a.m) * bpow(k - a.k) + bigOf(b.m) * bpow(k - b.k);
  return r === 0n ? ZERO : big(r, k, () => fromS(a).plus(fromS(b)));
}

export function negS(a: Sc): Sc {
  if (a.w !== null) return wide(a.w.neg());
  return new Sc(-a.m, a.k, null);
}

export function subS(a: Sc, b: Sc): Sc {
  if (a.w !== null || b.w !== null) return toS(fromS(a).minus(fromS(b)));
  // x − y is x + (−y) for integers held as numbers, signed zeros included (IEEE 754), so no negated copy is made.
  if (typeof a.m === "number" && typeof b.m === "number") {
    const k = a.k > b.k ? a.k : b.k;
    const x = up(a.m, k - a.k);
    const y = up(b.m, k - b.k);
    if (x !== undefined && y !== undefined) {
      const r = x - y;
      if (r <= MAX && r >= -MAX) return new Sc(r, k, null);
    }
  }
  return addS(a, negS(b));
}

export function mulS(a: Sc, b: Sc): Sc {
  if (a.w !== null || b.w !== null) return toS(fromS(a).times(fromS(b)));
  const am = a.m;
  const bm = b.m;
  if (am === 0 || bm === 0 || am === 0n || bm === 0n) {
    const negative = (am < 0 || isNeg0(am)) !== (bm < 0 || isNeg0(bm));
    return negative ? NEG_ZERO : ZERO;
  }
  const k = a.k + b.k;
  if (typeof am === "number" && typeof bm === "number") {
    const r = am * bm;
    if (r <= MAX && r >= -MAX) return new Sc(r, k, null);
  }
  return big(bigOf(am) * bigOf(bm), k, () => fromS(a).times(fromS(b)));
}

/** -1, 0 or 1. */
export function cmpS(a: Sc, b: Sc): number {
  if (a.w !== null || b.w !== null) return fromS(a).cmp(fromS(b));
  const k = a.k > b.k ? a.k : b.k;
  if (typeof a.m === "number" && typeof b.m === "number") {
    const x = up(a.m, k - a.k);
    const y = up(b.m, k - b.k);
    if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = bigOf(a.m) * bpow(k - a.k);
  const y = bigOf(b.m) * bpow(k - b.k);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const eqS = (a: Sc, b: Sc): boolean => cmpS(a, b) === 0;

const DECIMAL_ZERO = new Decimal(0);

/** cmpS(a, 0): the sign, with no scales to line up (a negative zero is 0, as decimal.js compares it). */
export function sgnS(a: Sc): number {
  if (a.w !== null) return a.w.cmp(DECIMAL_ZERO);
  const m = a.m;
  return m > 0 ? 1 : m < 0 ? -1 : 0;
}

/**
 * cmpS(mulS(a, b), c) without the product's own Sc when the product and c are numbers
 * whose scales line up exactly; every other case is those two operations.
 */
export function mulCmpS(a: Sc, b: Sc, c: Sc): number {
  const am = a.m;
  const bm = b.m;
  const cm = c.m;
  if (a.w === null && b.w === null && c.w === null && typeof am === "number" && typeof bm === "number") {
    const r = am * bm;
    if (r <= MAX && r >= -MAX && typeof cm === "number") {
      const rk = a.k + b.k;
      const k = rk > c.k ? rk : c.k;
      const x = up(r, k - rk);
      const y = up(cm, k - c.k);
      if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
    }
  }
  return cmpS(mulS(a, b), c);
}

/**
 * toDecimalPlaces(places, rounding): `rounding` is decimal.js's mode number
 * (0 UP, 1 DOWN, 2 CEIL, 3 FLOOR, 4 HALF_UP, 5 HALF_DOWN, 6 HALF_EVEN).
 */
export function roundS(a: Sc, places: number, rounding: number): Sc {
  if (a.w !== null) return toS(a.w.toDecimalPlaces(places, rounding as Rounding));
  const drop = a.k - places;
  if (drop <= 0) return a;
  const m = a.m;
  if (typeof m === "number" && drop <= 22) return roundNumber(m, drop, places, rounding);
  const bm = bigOf(m);
  const p = bpow(drop);
  const r = bm % p;
  let q = bm / p;
  if (r !== 0n) {
    const twice = 2n * (r < 0n ? -r : r);
    if (away(rounding, bm < 0n, twice > p ? 1 : twice === p ? 0 : -1, q % 2n !== 0n)) q += bm < 0n ? -1n : 1n;
  }
  if (q === 0n) return bm < 0n ? new Sc(-0, places, null) : new Sc(0, places, null);
  return big(q, places, () => fromS(a).toDecimalPlaces(places, rounding as Rounding));
}

/** m / 10^drop (0 < drop ≤ 22) rounded to an integer by `rounding`; a zero quotient is +0 whatever m's sign. */
export function roundedQuotient(m: number, drop: number, rounding: number): number {
  const p = drop <= 9 ? SPOW[drop]! : POW[drop]!;
  const r = m % p;
  let q = (m - r) / p;
  if (r !== 0) {
    const twice = 2 * (r < 0 ? -r : r);
    if (away(rounding, m < 0, twice > p ? 1 : twice === p ? 0 : -1, q % 2 !== 0)) q += m < 0 ? -1 : 1;
  }
  return q;
}

/** roundS of a number m × 10^-(places + drop), 0 < drop ≤ 22. */
function roundNumber(m: number, drop: number, places: number, rounding: number): Sc {
  const q = roundedQuotient(m, drop, rounding);
  return new Sc(q === 0 && (m < 0 || isNeg0(m)) ? -0 : q, places, null);
}

/**
 * roundS(mulS(a, b), places, rounding) without the product's own Sc when the product is
 * a non-zero number; every other case is those two operations.
 */
export function mulRoundS(a: Sc, b: Sc, places: number, rounding: number): Sc {
  const am = a.m;
  const bm = b.m;
  if (a.w === null && b.w === null && typeof am === "number" && typeof bm === "number") {
    const r = am * bm;
    if (r !== 0 && r <= MAX && r >= -MAX) {
      const k = a.k + b.k;
      const drop = k - places;
      if (drop <= 0) return new Sc(r, k, null);
      if (drop <= 22) return roundNumber(r, drop, places, rounding);
    }
  }
  return roundS(mulS(a, b), places, rounding);
}

/**
 * addS(acc, mulRoundS(a, b, places, rounding)): a SUM of rounded products, with no
 * scaled value made for the rounded term while everything is a number that fits;
 * every other case is those two operations.
 */
export function addMulRoundS(acc: Sc, a: Sc, b: Sc, places: number, rounding: number): Sc {
  const am = a.m;
  const bm = b.m;
  const cm = acc.m;
  if (acc.w === null && a.w === null && b.w === null && typeof am === "number" && typeof bm === "number") {
    const r = am * bm;
    const drop = a.k + b.k - places;
    if (typeof cm === "number" && r !== 0 && r <= MAX && r >= -MAX && drop > 0 && drop <= 22) {
      // roundNumber's quotient, its zero signed as the product's sign, then addS's number case.
      let q = roundedQuotient(r, drop, rounding);
      if (q === 0 && r < 0) q = -0;
      const k = acc.k > places ? acc.k : places;
      const x = up(cm, k - acc.k);
      const y = up(q, k - places);
      if (x !== undefined && y !== undefined) {
        const sum = x + y;
        if (sum <= MAX && sum >= -MAX) return new Sc(sum, k, null);
      }
    }
  }
  return addS(acc, mulRoundS(a, b, places, rounding));
}

/** Whether a truncated, inexact quotient moves one unit away from zero; `half` compares the remainder with one half. */
function away(rounding: number, negative: boolean, half: number, odd: boolean): boolean {
  switch (rounding) {
    case 0: // UP
      return true;
    case 1: // DOWN
      return false;
    case 2: // CEIL
      return !negative;
    case 3: // FLOOR
      return negative;
    case 4: // HALF_UP
      return half >= 0;
    case 5: // HALF_DOWN
      return half > 0;
    default: // HALF_EVEN
      return half > 0 || (half === 0 && odd);
  }
}
