import { addS, fromS, intS, Sc, toS } from "./scaled.js";
import { Decimal } from "../../values/decimal.js";
import {
  INT64_MAX,
  INT64_MIN,
  Tensor,
  Timestamp,
  VMap,
  VRecord,
  VSet,
  formatValue,
  type Value,
} from "../../values/values.js";
import type { Engine, ElementwiseOp, ReduceOp, UnaryOp } from "../../engine/engine.js";
import { EvalError, ROUNDING, roundPlaces } from "../../expr/evaluate.js";
import { wrongKind } from "../../expr/eval-error.js";
import type { RoundingMode } from "../../expr/builtins.js";
import * as K from "../../values/reference-kernels.js";
import { compareNumbers, isNumber, valuesEqualIeee } from "../../values/ordering.js";
import type { Span } from "../../expr/ast.js";

// The direct runtime's operations, called by both tiers (closures and generated
// code). The compiler picks a typed operation wherever the checker proved the
// types (addI for two integers, a.plus(b) for decimals, + for floats) and falls
// back to the dynamic `arith`/`eq`/`cmp` only where a type is `any`. Errors carry
// the same codes as the reference evaluator so the comparator can match them.

// ---- integers (bigint, 64-bit, overflow is an error) ----------------------------

export function ck(v: bigint, span: Span): bigint {
  if (v > INT64_MAX || v < INT64_MIN)
    throw new EvalError("R101", `integer overflow: ${v} is outside the 64-bit range`, span);
  return v;
}
export const addI = (a: bigint, b: bigint, span: Span): bigint => ck(a + b, span);
export const subI = (a: bigint, b: bigint, span: Span): bigint => ck(a - b, span);
export const mulI = (a: bigint, b: bigint, span: Span): bigint => ck(a * b, span);
export function modI(a: bigint, b: bigint, span: Span): bigint {
  if (b === 0n) throw new EvalError("R106", "division by zero", span);
  return a % b;
}
/** Integer `/` is exact division: a decimal. */
export function divI(a: bigint, b: bigint, span: Span): Decimal {
  if (b === 0n) throw new EvalError("R106", "division by zero", span);
  return new Decimal(a.toString()).div(b.toString());
}
export const negI = (a: bigint, span: Span): bigint => ck(-a, span);

// ---- decimals -------------------------------------------------------------------

const ZERO_S = intS(0n);

/** Decimals of the small integers, built once: integer operands of decimal arithmetic are mostly small. */
const SMALL = new Map<bigint, Decimal>();

export function D(v: Value, span: Span): Decimal {
  if (typeof v === "bigint") {
    if (v > 1024n || v < -1024n) return new Decimal(v.toString());
    let d = SMALL.get(v);
    if (!d) SMALL.set(v, (d = new Decimal(v.toString())));
    return d;
  }
  if (v instanceof Decimal) return v;
  if (typeof v === "number") return new Decimal(v);
  throw wrongKind(`expected a number, got ${formatValue(v)}`, span, v);
}
export function divD(a: Decimal, b: Decimal, span: Span): Decimal {
  if (b.isZero()) throw new EvalError("R106", "division by zero", span);
  return a.div(b);
}
export function modD(a: Decimal, b: Decimal, span: Span): Decimal {
  if (b.isZero()) throw new EvalError("R106", "division by zero", span);
  return a.mod(b);
}

// ---- decimals as scaled integers (scaled.ts) ------------------------------------------

export {
  addMulRoundS,
  addS,
  cmpS,
  eqS,
  fromS,
  mulCmpS,
  mulRoundS,
  mulS,
  negS,
  roundS,
  sgnS,
  subS,
} from "./scaled.js";

// Decimals of a scale the generated code knows, held as numbers of units (scaled-units.ts).
export {
  addMulRoundU,
  addU,
  addUS,
  cmpU,
  fromU,
  kU,
  mulCmpU,
  mulRoundU,
  mulU,
  negU,
  roundU,
  scU,
  sgnU,
  subU,
  unU,
  upU,
} from "./scaled-units.js";

/**
 * An integer or decimal operand of scaled arithmetic (a float is converted as D() does).
 * A value already scaled (a slot of the plain generated run, codegen.ts) is itself.
 */
export function S(v: Value | Sc, span: Span): Sc {
  if (v instanceof Sc) return v;
  if (v instanceof Decimal) return toS(v);
  if (typeof v === "bigint") return intS(v);
  return toS(D(v, span));
}

/**
 * An input's shadow for the plain generated run (shadows.ts): what S would make of a
 * Decimal or an integer, made once; any other value as it is, so S(sh(v), span) is S(v, span).
 */
export function sh(v: Value): Value | Sc {
  if (v instanceof Decimal) return toS(v);
  if (typeof v === "bigint") return intS(v);
  return v;
}

/**
 * The shadow of an integer record field (shadows.ts): a safe integer as a JS number of
 * units at scale 0 (scaled-units.ts), anything else as sh makes it.
 */
export function shI(v: Value): Value | Sc | number {
  if (typeof v === "bigint") {
    const n = Number(v);
    if (n >= -Number.MAX_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER) return n;
  }
  return sh(v);
}

/** Plain code's read of an integer field's shadow as an operand of scaled-units.ts: its number, else S of it. */
export function SI(v: Value | Sc | number, span: Span): Sc | number {
  return typeof v === "number" ? v : S(v as Value | Sc, span);
}

/**
 * Whether an operand of a MIN or MAX pick (codegen-extreme.ts) is in scaled form: an Sc, or with a scale k ≥ 0
 * a number of units at k (scaled-units.ts). Anything else (a null, a Value a scaled slot holds) is not.
 */
export const isU = (v: unknown, k: number): boolean => v instanceof Sc || (k >= 0 && typeof v === "number");

/** A slot of the plain generated run as the value it stands for: a scaled value as its Decimal, anything else as is. */
export function unS(v: Value | Sc): Value {
  return v instanceof Sc ? fromS(v) : v;
}

/** SUM of scaled decimals, folded from 0 in order as the reference folds; 0n for none, as the reference gives. */
export function sumS(values: Sc[]): Value {
  return unS(sumSS(values));
}

/** sumS left scaled (for a slot of the plain generated run): the sum as a scaled value, 0n for none. */
export function sumSS(values: Sc[]): Sc | bigint {
  if (values.length === 0) return 0n;
  let acc = ZERO_S;
  for (const v of values) acc = addS(acc, v);
  return acc;
}

// ---- floats ---------------------------------------------------------------------

export function F(v: Value, span: Span): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Decimal) return v.toNumber();
  throw wrongKind(`expected a number, got ${formatValue(v)}`, span, v);
}

// ---- the dynamic fallback for values typed `any` -----------------------------------

/** `x op y` for two floats: the IR's + - * / % on doubles (arith's and arithK's float case). */
function floatArith(op: string, x: number, y: number): number {
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return x / y;
    default:
      return x % y;
  }
}

export function arith(op: string, a: Value, b: Value, span: Span, engine: Engine): Value {
  if (a === null || b === null) throw new EvalError("R103", `cannot apply '${op}' to null`, span);
  if (op === "+" && typeof a === "string" && typeof b === "string") return a + b;
  if (a instanceof Tensor || b instanceof Tensor) return tensorArith(engine, op, a, b, span);
  if (typeof a === "bigint" && typeof b === "bigint") {
    switch (op) {
      case "+":
        return addI(a, b, span);
      case "-":
        return subI(a, b, span);
      case "*":
        return mulI(a, b, span);
      case "/":
        return divI(a, b, span);
      default:
        return modI(a, b, span);
    }
  }
  if (typeof a === "number" || typeof b === "number") return floatArith(op, F(a, span), F(b, span));
  const x = D(a, span);
  const y = D(b, span);
  switch (op) {
    case "+":
      return x.plus(y);
    case "-":
      return x.minus(y);
    case "*":
      return x.times(y);
    case "/":
      return divD(x, y, span);
    default:
      return modD(x, y, span);
  }
}

export function neg(a: Value, span: Span, engine: Engine): Value {
  if (typeof a === "bigint") return negI(a, span);
  if (typeof a === "number") return -a;
  if (a instanceof Decimal) return a.neg();
  if (a instanceof Tensor) return tensor(span, () => engine.unary("neg", a));
  throw wrongKind(`cannot negate ${formatValue(a)}`, span, a);
}

/** `==` (src/values/ordering.ts): IEEE 754 for floats, exact otherwise. */
export function eq(a: Value, b: Value): boolean {
  if (typeof a === "string" || typeof a === "boolean" || a === null) return a === b;
  return valuesEqualIeee(a, b);
}

/** -1, 0 or 1; NaN for an unordered pair of numbers (a NaN), which makes every ordering false. */
export function cmp(a: Value, b: Value, span: Span): number {
  if (isNumber(a) && isNumber(b)) return compareNumbers(a, b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Timestamp && b instanceof Timestamp) return Math.sign(a.epochMs - b.epochMs);
  throw wrongKind(`cannot order ${formatValue(a)} and ${formatValue(b)}`, span, a, b);
}

export function bool(v: Value, span: Span): boolean {
  if (v === true || v === false) return v;
  throw wrongKind(`expected a boolean, got ${formatValue(v)}`, span, v);
}

// ---- access -----------------------------------------------------------------------

export function bound(v: Value | undefined, name: string, span: Span): Value {
  if (v === undefined) throw new EvalError("R100", `'${name}' has no value here`, span);
  return v;
}

export function get(o: Value, property: string, span: Span): Value {
  if (o instanceof VRecord) {
    // `get`, not `fields.get`: a name-list record (a call's result, an output) is read without building its Map.
    const v = o.get(property);
    return v === undefined ? null : v;
  }
  throw wrongKind(`cannot read '${property}' of ${formatValue(o)}`, span, o);
}

export function at(o: Value, index: Value, span: Span, objectSpan: Span): Value {
  if (index === null) throw new EvalError("R103", "cannot index with null", span);
  if (o instanceof VMap) {
    const v = o.get(index);
    if (v === undefined) throw new EvalError("R104", `key ${formatValue(index)} is not in the map`, span);
    return v;
  }
  // An array, string or tensor is indexed by an integer only: anything else (reachable
  // through `any`) is a value of the wrong kind, R102, not an index out of range.
  if (typeof index !== "bigint" && (Array.isArray(o) || typeof o === "string" || o instanceof Tensor))
    throw wrongKind(`expected an integer index, got ${formatValue(index)}`, span, index);
  const i = typeof index === "bigint" ? Number(index) : NaN;
  if (Array.isArray(o) || typeof o === "string") {
    if (!(i >= 0 && i < o.length))
      throw new EvalError("R104", `index ${formatValue(index)} is out of range for length ${o.length}`, span);
    return o[i]!;
  }
  if (o instanceof Tensor) {
    try {
      return K.indexTensor(o, i);
    } catch (e) {
      throw new EvalError("R104", (e as Error).message, span);
    }
  }
  throw wrongKind(`cannot index ${formatValue(o)}`, objectSpan, o);
}

export function items(v: Value, span: Span, allowString = false): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof VSet) return v.values();
  if (v instanceof VMap) return v.keys();
  if (allowString && typeof v === "string") return [...v];
  throw wrongKind(`expected a collection, got ${formatValue(v)}`, span, v);
}

export function contains(container: Value, item: Value, span: Span): boolean {
  if (typeof container === "string") {
    if (typeof item !== "string") throw wrongKind(`cannot look for ${formatValue(item)} in a string`, span, item);
    return container.includes(item);
  }
  if (container instanceof VSet || container instanceof VMap) return container.has(item);
  for (const v of items(container, span)) if (eq(v, item)) return true;
  return false;
}

// ---- built-ins ----------------------------------------------------------------------

/**
 * SUM of values the checker proved all decimal (or all integer): folds from the first
 * value with the typed operation. The reference folds from integer 0; 0 + x equals x,
 * so the results are the same numbers.
 */
export function sumTyped(values: Value[], kind: string, span: Span, engine: Engine): Value {
  if (values.length === 0) return 0n;
  if (kind === "decimal") {
    let acc = D(values[0]!, span);
    for (let i = 1; i < values.length; i++) acc = acc.plus(D(values[i]!, span));
    return acc;
  }
  if (kind === "integer") {
    let acc = 0n;
    for (const v of values) acc = addI(acc, v as bigint, span);
    return acc;
  }
  return sum(values, span, engine);
}

export function sum(values: Value[], span: Span, engine: Engine): Value {
  let acc: Value = 0n;
  for (const v of values) acc = arith("+", acc, v, span, engine);
  return acc;
}

export function extreme(fn: "MIN" | "MAX", values: Value[], span: Span): Value {
  if (values.length === 0) throw new EvalError("R108", `${fn}() of an empty collection`, span);
  let best = values[0]!;
  for (let i = 1; i < values.length; i++) {
    const c = cmp(values[i]!, best, span);
    if (fn === "MIN" ? c < 0 : c > 0) best = values[i]!;
  }
  return best;
}

/** One fold of MAX over numbers: `extreme` keeps `best` unless cmp(v, best) > 0, which for numbers is `v > best` (false for a NaN). */
export const maxF = (best: number, v: number): number => (v > best ? v : best);
/** One fold of MIN over numbers, as maxF. */
export const minF = (best: number, v: number): number => (v < best ? v : best);

// FLOAT and DECIMAL: the same conversions as the reference's, by the same code.
export { decimalOf, floatOf } from "../../expr/conversions.js";

export function abs(a: Value, span: Span, engine: Engine): Value {
  if (typeof a === "bigint") return ck(a < 0n ? -a : a, span);
  if (typeof a === "number") return Math.abs(a);
  if (a instanceof Tensor) return tensor(span, () => engine.unary("abs", a));
  return D(a, span).abs();
}

export function round(a: Value, places: Value | undefined, mode: Value | undefined, span: Span): Value {
  const p = roundPlaces(places, span);
  const m = ROUNDING[(mode as RoundingMode | undefined) ?? "HALF_UP"];
  if (typeof a === "bigint") return a;
  if (typeof a === "number") return new Decimal(a).toDecimalPlaces(p, m).toNumber();
  return D(a, span).toDecimalPlaces(p, m);
}

// ---- tensors, on the engine ------------------------------------------------------------

const ELEMENTWISE: Record<string, ElementwiseOp> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod" };

/** Runs an engine call, reporting shape problems as R105 at the expression. */
export function tensor<T>(span: Span, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw tensorFault(e, span);
  }
}

/** What an engine call's failure becomes: an EvalError as it is, anything else (a shape problem) R105 at `span`. */
function tensorFault(e: unknown, span: Span): EvalError {
  return e instanceof EvalError ? e : new EvalError("R105", (e as Error).message, span);
}

// tensorArith and tensorFn catch as tensor() does, written out: a closure per call was a measurable
// part of a tensor step's cost.
export function tensorArith(engine: Engine, op: string, a: Value, b: Value, span: Span): Tensor {
  const x = a instanceof Tensor ? a : F(a, span);
  const y = b instanceof Tensor ? b : F(b, span);
  try {
    return engine.elementwise(ELEMENTWISE[op]!, x, y);
  } catch (e) {
    throw tensorFault(e, span);
  }
}

function tensorArg(v: Value | undefined, fn: string, span: Span): Tensor {
  if (v instanceof Tensor) return v;
  throw wrongKind(`${fn}() needs a tensor, got ${v === undefined ? "nothing" : formatValue(v)}`, span, v);
}

export function tensorFn(engine: Engine, fn: string, a: Value, b: Value | undefined, span: Span): Value {
  if ((fn === "sqrt" || fn === "exp") && typeof a === "number") return fn === "sqrt" ? Math.sqrt(a) : Math.exp(a);
  const t = tensorArg(a, fn, span);
  try {
    switch (fn) {
      case "sqrt":
      case "exp":
      case "relu":
        return engine.unary(fn as UnaryOp, t);
      case "softmax":
        return engine.softmax(t);
      case "transpose":
        return engine.transpose(t);
      case "matmul":
        return engine.matmul(t, tensorArg(b, fn, span));
      default:
        return engine.reduce(fn as ReduceOp, t, b === undefined ? undefined : Number(b));
    }
  } catch (e) {
    throw tensorFault(e, span);
  }
}

/**
 * `o[i][j]` with j an integer literal: the element of a rank-2 tensor read in place,
 * without the row tensor `at(o, i)` makes; anything else is exactly at(at(o, i), j).
 */
export function at2(o: Value, i: Value, j: bigint, iSpan: Span, oSpan: Span, jSpan: Span, rowSpan: Span): Value {
  if (o instanceof Tensor && o.shape.length === 2 && typeof i === "bigint") {
    const rows = o.shape[0]!;
    const cols = o.shape[1]!;
    const r = Number(i);
    const c = Number(j);
    if (r >= 0 && r < rows && c >= 0 && c < cols) return o.data[r * cols + c]!;
  }
  return at(at(o, i, iSpan, oSpan), j, jSpan, rowSpan);
}

/** cmp(a, k) for a constant decimal or integer k whose float value `kf` is made once: a float compares as compareNumbers does. */
export function cmpK(a: Value, kf: number, k: Value, span: Span): number {
  if (typeof a === "number") return a < kf ? -1 : a > kf ? 1 : a === kf ? 0 : Number.NaN;
  return cmp(a, k, span);
}

/** arith(op, a, k) for a constant decimal k whose float value `kf` is made once: a float meets it as F(k), as arith does. */
export function arithK(op: string, a: Value, kf: number, k: Value, span: Span, engine: Engine): Value {
  if (typeof a === "number") return floatArith(op, a, kf);
  return arith(op, a, k, span, engine);
}

/** The lengths 0–255 as integers, made once: a length is a bigint, and BigInt(n) allocates one each time. */
const LENGTHS = Array.from({ length: 256 }, (_, i) => BigInt(i));

export function len(v: Value, span: Span): bigint {
  const n = typeof v === "string" ? codePoints(v) : (Array.isArray(v) ? v : items(v, span)).length;
  return n < 256 ? LENGTHS[n]! : BigInt(n);
}

/**
 * LEN(v) compared with n (a non-negative safe integer): -1, 0 or 1, failing as len does.
 * A string of length l has between ceil(l / 2) and l code points, so its code points
 * are counted only when n lies in that range.
 */
export function lenCmp(v: Value, span: Span, n: number): number {
  let c: number;
  if (typeof v === "string") {
    const l = v.length;
    if (l < n) return -1;
    if (l - (l >> 1) > n) return 1;
    c = codePoints(v);
  } else c = (Array.isArray(v) ? v : items(v, span)).length;
  return c < n ? -1 : c > n ? 1 : 0;
}

/** A string's length in code points, as spreading it counts them (a lone surrogate is one), with no array made. */
export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
/** A count as an integer (a bigint), without allocating for counts below 256. */
export const nat = (n: number): bigint => (n < 256 ? LENGTHS[n]! : BigInt(n));
export const sumOf = (v: Value, span: Span, engine: Engine): Value => sum(items(v, span), span, engine);
export const extremeOf = (fn: "MIN" | "MAX", v: Value, span: Span): Value => extreme(fn, items(v, span), span);
export const not = (v: Value, span: Span): boolean => !bool(v, span);

/** A scaled decimal, as closures hold it. */
export type ScaledValue = Sc;

/** The Decimal methods compiled code calls directly. */
export type DecimalValue = Decimal;

/** A call to a function that does not exist (only reachable in an unchecked fallback). */
export function unknownFunction(name: string, _args: Value[], span: Span): never {
  throw new EvalError("R109", `unknown function '${name}'`, span);
}

/** A binder form of something that is not an aggregate, once its body has been evaluated. */
export function notAggregate(fn: string, _values: Value, span: Span): never {
  throw new EvalError("R109", `'${fn}' is not an aggregate`, span);
}
