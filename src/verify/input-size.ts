import { Decimal } from "../values/decimal.js";
import { Tensor, Timestamp, VMap, VRecord, VSet, type Value } from "../values/values.js";

// How big an input set is, for saying that a shrunk counterexample is smaller than
// the first failing input: every value costs 1, plus its magnitude's digits for
// numbers, its length for strings and bytes, and the size of what it contains.
// It only has to agree with fast-check's shrinkers about what "smaller" means:
// fewer elements, shorter strings, numbers nearer zero.

export function inputSize(inputs: ReadonlyMap<string, Value>): number {
  let total = 0;
  for (const v of inputs.values()) total += valueSize(v);
  return total;
}

export function valueSize(v: Value): number {
  if (v === null || typeof v === "boolean") return 1;
  if (typeof v === "string") return 1 + v.length;
  if (typeof v === "bigint") return 1 + (v < 0n ? -v : v).toString().length - (v === 0n ? 1 : 0);
  if (typeof v === "number") return 1 + digits(Math.abs(v));
  if (Decimal.isDecimal(v))
    return 1 + digits((v as Decimal).abs().toNumber()) + Math.max(0, (v as Decimal).decimalPlaces());
  if (v instanceof Timestamp) return 1;
  if (v instanceof Uint8Array) return 1 + v.length;
  if (Array.isArray(v)) return 1 + sum(v, valueSize);
  if (v instanceof VSet) return 1 + sum(v.values(), valueSize);
  if (v instanceof VMap) return 1 + sum([...v.entries.values()], ([k, x]) => valueSize(k) + valueSize(x));
  if (v instanceof VRecord) return 1 + sum([...v.fields.values()], valueSize);
  if (v instanceof Tensor) return 1 + Array.from(v.data).reduce((a, x) => a + 1 + digits(Math.abs(x)), 0);
  return 1;
}

/** Digits before the point, 0 for |x| < 1: 0.5 and 7 are small, 9999.99 is not. */
function digits(x: number): number {
  return x < 1 ? 0 : Math.floor(Math.log10(x)) + 1;
}

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  let total = 0;
  for (const x of xs) total += f(x);
  return total;
}
