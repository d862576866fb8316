import { Decimal as DecimalJs } from "decimal.js";

/**
 * The one Decimal constructor every part of Vesper uses: 34 significant digits
 * (IEEE 754 decimal128's precision) so money never passes through binary floats,
 * and the exponent range wide enough that no realistic amount overflows.
 */
export const Decimal = DecimalJs.clone({
  precision: 34,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = DecimalJs;
export type Rounding = DecimalJs.Rounding;

/** Decimal number text as files and services write it: 12, -0.50, .5, 1e-3. */
export const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
