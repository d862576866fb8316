import { ownTable } from "../values/own-keys.js";

// The built-in functions of the expression language, by name. The checker uses this
// table for arity and suggestions; the evaluator and code generators implement them.

export interface BuiltinInfo {
  /** Smallest and largest number of positional arguments. */
  minArgs: number;
  maxArgs: number;
  /** Accepts the `FN(x IN c: e)` binder form. */
  binder: boolean;
  summary: string;
}

const b = (minArgs: number, maxArgs: number, binder: boolean, summary: string): BuiltinInfo => ({
  minArgs,
  maxArgs,
  binder,
  summary,
});

export const BUILTINS = ownTable<BuiltinInfo>({
  // Collections and scalars (upper case, SQL-like).
  SUM: b(1, 1, true, "sum of a numeric collection, or SUM(x IN c: e)"),
  COUNT: b(1, 1, true, "number of elements, or COUNT(x IN c: condition)"),
  MIN: b(1, Infinity, true, "smallest of a collection, of the arguments, or MIN(x IN c: e)"),
  MAX: b(1, Infinity, true, "largest of a collection, of the arguments, or MAX(x IN c: e)"),
  LEN: b(1, 1, false, "length of a string or collection"),
  ABS: b(1, 1, false, "absolute value"),
  ROUND: b(1, 3, false, "ROUND(x, places = 0, mode = 'HALF_UP')"),
  // Explicit conversions between exact numbers and binary64 floats (src/expr/conversions.ts).
  FLOAT: b(1, 1, false, "FLOAT(x): the number as a binary64 float"),
  DECIMAL: b(2, 2, false, "DECIMAL(x, places): the number as a decimal, rounded half-up to places digits"),
  // Postconditions only: the value of an expression when the node was entered.
  old: b(1, 1, false, "the value of an expression at node entry (postconditions only)"),
  // Nondeterminism, served by the ExecutionContext (recorded and replayed).
  now: b(0, 0, false, "the current time from the execution context"),
  random: b(0, 0, false, "a seeded random float in [0, 1) from the execution context"),
  // Tensor functions (lower case), run on the engine by the direct runtime.
  matmul: b(2, 2, false, "matrix product of two rank-2 tensors"),
  relu: b(1, 1, false, "elementwise max(x, 0)"),
  softmax: b(1, 1, false, "softmax over the last axis"),
  sum: b(1, 2, false, "sum of all elements, or over one axis"),
  mean: b(1, 2, false, "mean of all elements, or over one axis"),
  max: b(1, 2, false, "largest element, or largest over one axis"),
  min: b(1, 2, false, "smallest element, or smallest over one axis"),
  sqrt: b(1, 1, false, "elementwise square root"),
  exp: b(1, 1, false, "elementwise exponential"),
  transpose: b(1, 1, false, "transpose of a rank-2 tensor"),
});

export const ROUNDING_MODES = ["HALF_UP", "HALF_EVEN", "HALF_DOWN", "UP", "DOWN", "CEILING", "FLOOR"] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];
