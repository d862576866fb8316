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
  const dec = (x: bigint | Decimal) => (typeof x === "bigint" ? new Decimal(x.toString()) : x);
  return dec(a).cmp(dec(b));
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
