import type { Span } from "./ast.js";
import { EvalError, wrongKind } from "./eval-error.js";
import { Decimal } from "../values/decimal.js";
import { formatValue, type Value } from "../values/values.js";

// FLOAT(x) and DECIMAL(x, places): the explicit conversions between exact numbers
// and binary64 floats, shared by both runtimes so they convert identically.
//   FLOAT(x)           an integer or decimal becomes the nearest binary64 float
//                      (round half to even, as IEEE 754 converts); a float is unchanged.
//   DECIMAL(x, places) a float becomes the decimal its shortest round-trip digits
//                      spell (the digits printed for it: 0.1 is 0.1, not
//                      0.1000000000000000055…), rounded half-up to `places`
//                      digits after the point; an integer or a decimal is rounded
//                      the same way. NaN and ±Infinity have no decimal value (R110).
// null is R103 for both, as in arithmetic.

export function floatOf(v: Value, span: Span): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (Decimal.isDecimal(v)) return (v as Decimal).toNumber();
  if (v === null) throw new EvalError("R103", "FLOAT() of null", span);
  throw wrongKind(`FLOAT() needs a number, got ${formatValue(v)}`, span, v);
}

export function decimalOf(v: Value, places: Value | undefined, span: Span): Decimal {
  const p = roundPlaces(places, span, "DECIMAL");
  if (v === null) throw new EvalError("R103", "DECIMAL() of null", span);
  if (typeof v === "number") {
    if (!Number.isFinite(v))
      throw new EvalError("R110", `DECIMAL() of ${v}: a float that is not finite has no decimal value`, span);
    return new Decimal(v).toDecimalPlaces(p, Decimal.ROUND_HALF_UP);
  }
  if (typeof v === "bigint") return new Decimal(v.toString()).toDecimalPlaces(p, Decimal.ROUND_HALF_UP);
  if (Decimal.isDecimal(v)) return (v as Decimal).toDecimalPlaces(p, Decimal.ROUND_HALF_UP);
  throw wrongKind(`DECIMAL() needs a number, got ${formatValue(v)}`, span, v);
}

/** The places of ROUND or DECIMAL: a whole number from 0 to 10^9 (decimal.js's limit), else R102 (R103 for null). */
export function roundPlaces(b: Value | undefined, span: Span, fn = "ROUND"): number {
  if (b === undefined) return 0;
  const places = typeof b === "bigint" ? Number(b) : NaN;
  if (!(Number.isInteger(places) && places >= 0 && places <= 1e9)) {
    throw wrongKind(
      `${fn}() needs a whole number of decimal places from 0 to 1000000000, got ${formatValue(b)}`,
      span,
      b,
    );
  }
  return places;
}
