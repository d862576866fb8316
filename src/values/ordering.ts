import { Decimal } from "./decimal.js";
import { keyOf, Tensor, VMap, VRecord, VSet, type Value } from "./values.js";

// Equality and ordering of numbers as the IR defines them, shared by both runtimes
// so they cannot drift apart: integers and decimals compare exactly; when either
// side is a float both are compared as IEEE 754 binary64, so NaN is unordered —
// every comparison with it is false except `!=` (NaN != NaN is true), and
// -0 == 0. Structural equality (arrays, records, tensors, …) is element by element,
// so a NaN anywhere inside makes two values unequal.

export function isNumber(v: Value): v is bigint | number | Decimal {
  return typeof v === "bigint" || typeof v === "number" || Decimal.isDecimal(v);
}

/** -1, 0 or 1 by value; NaN when the pair is unordered (a float NaN on either side). */
export function compareNumbers(a: bigint | number | Decimal, b: bigint | number | Decimal): number {
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "number" || typeof b === "number") {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
  }
  if (typeof a !== "bigint" && typeof b !== "bigint") return compareDecimals(a, b);
  const dec = (x: bigint | Decimal) => (typeof x === "bigint" ? new Decimal(x.toString()) : x);
  return dec(a).cmp(dec(b));
}

/**
 * decimal.js's comparedTo of two instances, step for step, without the copy of its
 * argument it makes first (`new Decimal(y)`: for an instance, a copy of its fields,
 * clamped to the default exponent range of ±9e15, which no value here comes near).
 * Reads the documented instance fields as src/runtime/direct/scaled.ts does: d (base
 * 1e7 digit words, null for NaN and ±Infinity), e (exponent), s (sign, NaN for NaN).
 * test/property/decimal-comparison-is-decimal-js.property.test.ts holds it to comparedTo.
 */
export function compareDecimals(x: Decimal, y: Decimal): number {
  const xd = x.d;
  const yd = y.d;
  const xs = x.s;
  const ys = y.s;
  // NaN or ±Infinity on either side.
  if (!xd || !yd) return !xs || !ys ? Number.NaN : xs !== ys ? xs : xd === yd ? 0 : !xd !== xs < 0 ? 1 : -1;
  // Zero on either side.
  if (!xd[0] || !yd[0]) return xd[0] ? xs : yd[0] ? -ys : 0;
  if (xs !== ys) return xs;
  if (x.e !== y.e) return x.e > y.e !== xs < 0 ? 1 : -1;
  const xn = xd.length;
  const yn = yd.length;
  for (let i = 0, n = xn < yn ? xn : yn; i < n; i++) {
    if (xd[i] !== yd[i]) return xd[i]! > yd[i]! !== xs < 0 ? 1 : -1;
  }
  return xn === yn ? 0 : xn > yn !== xs < 0 ? 1 : -1;
}

/** `a == b` in the expression language. */
export function valuesEqualIeee(a: Value, b: Value): boolean {
  if (isNumber(a) && isNumber(b)) return compareNumbers(a, b) === 0;
  return keyOf(a) === keyOf(b) && !containsNaN(a);
}

/** Whether a float NaN sits anywhere inside the value (keyOf alone would call NaN equal to NaN). */
function containsNaN(v: Value): boolean {
  if (typeof v === "number") return Number.isNaN(v);
  if (v === null || typeof v !== "object") return false;
  if (Array.isArray(v)) return v.some(containsNaN);
  if (v instanceof Tensor) return v.data.some((x: number) => Number.isNaN(x));
  if (v instanceof VRecord) return [...v.fields.values()].some(containsNaN);
  if (v instanceof VMap) return [...v.entries.values()].some(([k, val]) => containsNaN(k) || containsNaN(val));
  if (v instanceof VSet) return v.values().some(containsNaN);
  return false;
}
