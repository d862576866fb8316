import {
  addS,
  cmpS,
  fromMK,
  fromS,
  intS,
  isNeg0,
  MAX,
  mulCmpS,
  mulRoundS,
  mulS,
  negS,
  roundedQuotient,
  roundS,
  Sc,
  sgnS,
  subS,
  toS,
  up,
} from "./scaled.js";
import type { Decimal } from "../../values/decimal.js";
import type { Value } from "../../values/values.js";

// Decimals whose scale the generated code knows (codegen.ts's static-scale lowering):
// a plain run holds such a value as a bare JS number n of units, standing for
// n × 10^-k, where k is written into the code beside every use (a ROUND's places, a
// constant's scale, a sum or difference of those, a binding assigned only such
// values). Each operation here takes its operands as (v, k) pairs: v is a number of
// units at scale k, or a scaled value (an Sc, whose own scale counts, k ignored), or
// the integer 0n an empty SUM gives. The result is a number of units at the scale the
// code gives for it while every operand is a number that fits and the exact result
// is a number within ±(2^53 − 1) at that scale; otherwise it is the Sc that scaled.ts
// gives for the same operands. Numbers never leave generated code: every value read
// as a Decimal goes through unU/fromU. The answers are scaled.ts's, which are
// decimal.js's (integer arithmetic on numbers is exact within the range, and IEEE
// keeps a zero's sign as decimal.js does): test/property/static-scale-units-match-
// decimal-js.property.test.ts holds every operation to decimal.js.

/** A number-held operand's units; NaN for anything else (a bigint Sc, a wide value, 0n), which fails every range test. */
function unitsOf(v: unknown): number {
  if (typeof v === "number") return v;
  return v instanceof Sc && v.w === null && typeof v.m === "number" ? v.m : Number.NaN;
}

/** The scale of an operand's units: the code's own for a number, an Sc's own otherwise. */
function scaleOf(v: unknown, k: number): number {
  return typeof v === "number" ? k : v instanceof Sc ? v.k : 0;
}

/** An operand as the scaled value it stands for. */
export function kU(v: unknown, k: number): Sc {
  if (typeof v === "number") return new Sc(v, k, null);
  if (v instanceof Sc) return v;
  if (typeof v === "bigint") return intS(v);
  return toS(v as Decimal);
}

/** A number of units as its Sc, anything else as it is (a value copied to a slot that holds no units). */
export function scU(v: unknown, k: number): unknown {
  return typeof v === "number" ? new Sc(v, k, null) : v;
}

/** The operand at scale `to` (≥ k), a number when it fits (a slot assigned values of several scales). */
export function upU(v: unknown, k: number, to: number): unknown {
  if (typeof v !== "number") return v;
  const r = up(v, to - k);
  return r === undefined ? new Sc(v, k, null) : r;
}

/** The operand as a Value (a Decimal for a number of units; an Sc as fromS makes it; anything else as it is). */
export function unU(v: unknown, k: number): Value {
  if (typeof v === "number") return fromMK(v, k);
  return v instanceof Sc ? fromS(v) : (v as Value);
}

/** The operand as a Decimal printing at `scale` (a generated output's field), or undefined when it is neither form. */
export function fromU(v: unknown, k: number, scale?: number): Decimal {
  return typeof v === "number" ? fromMK(v, k, scale) : fromS(v as Sc, scale);
}

/** x and y lined up at scale k (both at most k): their sum or difference, or NaN when either is not a number there. */
function lined(x: number, kx: number, y: number, ky: number, k: number, minus: boolean): number {
  if (kx > k || ky > k) return Number.NaN;
  const a = kx === k ? x : up(x, k - kx);
  const b = ky === k ? y : up(y, k - ky);
  if (a === undefined || b === undefined) return Number.NaN;
  return minus ? a - b : a + b;
}

/** a + b, at scale k (both operands' scales at most k). */
export function addU(a: unknown, ka: number, b: unknown, kb: number, k: number): number | Sc {
  const r = lined(unitsOf(a), scaleOf(a, ka), unitsOf(b), scaleOf(b, kb), k, false);
  if (r <= MAX && r >= -MAX) return r;
  return addS(kU(a, ka), kU(b, kb));
}

/** a − b, at scale k (x − y on integers held as numbers is subS's own number case, signed zeros included). */
export function subU(a: unknown, ka: number, b: unknown, kb: number, k: number): number | Sc {
  const r = lined(unitsOf(a), scaleOf(a, ka), unitsOf(b), scaleOf(b, kb), k, true);
  if (r <= MAX && r >= -MAX) return r;
  return subS(kU(a, ka), kU(b, kb));
}

/**
 * a + b (or a − b) as a scaled value at the larger of the operands' own scales: for an
 * operand of unknown scale (a product of inputs) beside one of known scale, with no Sc
 * made for the known one.
 */
export function addUS(a: unknown, ka: number, b: unknown, kb: number, minus: boolean): Sc {
  const x = unitsOf(a);
  const y = unitsOf(b);
  const kx = scaleOf(a, ka);
  const ky = scaleOf(b, kb);
  const k = kx > ky ? kx : ky;
  const r = lined(x, kx, y, ky, k, minus);
  if (r <= MAX && r >= -MAX) return new Sc(r, k, null);
  return minus ? subS(kU(a, ka), kU(b, kb)) : addS(kU(a, ka), kU(b, kb));
}

export function negU(a: unknown, ka: number): number | Sc {
  return typeof a === "number" ? -a : negS(kU(a, ka));
}

/** a × b, at scale k (at least the sum of the operands' scales). */
export function mulU(a: unknown, ka: number, b: unknown, kb: number, k: number): number | Sc {
  // The product of two exact integers is exact while it is within the range; IEEE signs a zero product as mulS
  // does (negative exactly when the signs differ).
  const r = unitsOf(a) * unitsOf(b);
  const rk = scaleOf(a, ka) + scaleOf(b, kb);
  if (r <= MAX && r >= -MAX && rk <= k) {
    const x = up(r, k - rk);
    if (x !== undefined) return x;
  }
  return mulS(kU(a, ka), kU(b, kb));
}

/** m × 10^-mk rounded to `places` by `rounding`, as units at `places`; undefined when that is not a number. */
function roundUnits(m: number, mk: number, places: number, rounding: number): number | undefined {
  const drop = mk - places;
  if (drop === 0) return m;
  if (drop < 0) return up(m, -drop);
  if (drop > 22) return undefined;
  const q = roundedQuotient(m, drop, rounding);
  // A zero quotient keeps the sign of what was rounded (roundS's roundNumber).
  return q === 0 && (m < 0 || isNeg0(m)) ? -0 : q;
}

/** ROUND(a, places, rounding), at scale `places`. */
export function roundU(a: unknown, ka: number, places: number, rounding: number): number | Sc {
  const m = unitsOf(a);
  if (!Number.isNaN(m)) {
    const r = roundUnits(m, scaleOf(a, ka), places, rounding);
    if (r !== undefined) return r;
  }
  return roundS(kU(a, ka), places, rounding);
}

/** ROUND(a × b, places, rounding), at scale `places`, with nothing made for the product. */
export function mulRoundU(
  a: unknown,
  ka: number,
  b: unknown,
  kb: number,
  places: number,
  rounding: number,
): number | Sc {
  const r = unitsOf(a) * unitsOf(b);
  if (r <= MAX && r >= -MAX) {
    const q = roundUnits(r, scaleOf(a, ka) + scaleOf(b, kb), places, rounding);
    if (q !== undefined) return q;
  }
  return mulRoundS(kU(a, ka), kU(b, kb), places, rounding);
}

/**
 * addU(acc, k, mulRoundU(a, ka, b, kb, places, rounding), places, k): a SUM of rounded
 * products into units at scale k (≥ places), in one operation while everything is a
 * number that fits; every other case is those two operations.
 */
export function addMulRoundU(
  acc: unknown,
  k: number,
  a: unknown,
  ka: number,
  b: unknown,
  kb: number,
  places: number,
  rounding: number,
): number | Sc {
  const r = unitsOf(a) * unitsOf(b);
  if (typeof acc === "number" && r <= MAX && r >= -MAX) {
    const q = roundUnits(r, scaleOf(a, ka) + scaleOf(b, kb), places, rounding);
    if (q !== undefined) {
      const sum = acc + (places === k ? q : up(q, k - places)!);
      if (sum <= MAX && sum >= -MAX) return sum;
    }
  }
  return addU(acc, k, mulRoundU(a, ka, b, kb, places, rounding), places, k);
}

/** x (at scale kx) against y (at ky): -1, 0 or 1; NaN when they do not line up as numbers. */
function order(x: number, kx: number, y: number, ky: number): number {
  const k = kx > ky ? kx : ky;
  const a = up(x, k - kx);
  const b = up(y, k - ky);
  if (a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** -1, 0 or 1. */
export function cmpU(a: unknown, ka: number, b: unknown, kb: number): number {
  const c = order(unitsOf(a), scaleOf(a, ka), unitsOf(b), scaleOf(b, kb));
  return Number.isNaN(c) ? cmpS(kU(a, ka), kU(b, kb)) : c;
}

/** cmpU(a, 0): the sign (a negative zero is 0). */
export function sgnU(a: unknown, ka: number): number {
  if (typeof a === "number") return a > 0 ? 1 : a < 0 ? -1 : 0;
  return sgnS(kU(a, ka));
}

/** cmpU(a × b, c), with nothing made for the product. */
export function mulCmpU(a: unknown, ka: number, b: unknown, kb: number, c: unknown, kc: number): number {
  const r = unitsOf(a) * unitsOf(b);
  if (r <= MAX && r >= -MAX) {
    const o = order(r, scaleOf(a, ka) + scaleOf(b, kb), unitsOf(c), scaleOf(c, kc));
    if (!Number.isNaN(o)) return o;
  }
  return mulCmpS(kU(a, ka), kU(b, kb), kU(c, kc));
}
