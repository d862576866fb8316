import type { AggregateExpr, Expr, ExprOf, QuantifierExpr, Span } from "./ast.js";
import type { RoundingMode } from "./builtins.js";
import { Decimal, type Rounding } from "../values/decimal.js";
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
} from "../values/values.js";
import { compareNumbers, isNumber, valuesEqualIeee } from "../values/ordering.js";
import * as K from "../values/reference-kernels.js";
import { ownTable } from "../values/own-keys.js";
import { EvalError, wrongKind } from "./eval-error.js";
import { decimalOf, floatOf, roundPlaces } from "./conversions.js";

export { EvalError } from "./eval-error.js";
export { roundPlaces } from "./conversions.js";

// The reference evaluator: a tree walk over a checked expression, written for
// obvious correctness. Decimals stay exact, integers are 64-bit and overflow is
// an error, tensors are float64. The direct runtime compiles the same semantics.

export interface EvalEnv {
  lookup(name: string): Value | undefined;
  /** Values captured at node entry for each `old(e)` call (postconditions only). */
  old?(expr: Expr): Value;
  /** The door to nondeterminism: clock and seeded random numbers. */
  now?(): Timestamp;
  random?(): number;
}

export function evaluate(expr: Expr, env: EvalEnv): Value {
  return new Evaluator(env).eval(expr, NO_LOCALS);
}

/** The variables bound by the enclosing aggregates and quantifiers, innermost first. */
interface Locals {
  has(name: string): boolean;
  get(name: string): Value | undefined;
}

const NO_LOCALS: Locals = { has: () => false, get: () => undefined };

/** One bound variable in front of the enclosing ones (it shadows an outer one of the same name). */
class BoundVariable implements Locals {
  constructor(
    private readonly outer: Locals,
    private readonly name: string,
    readonly value: Value,
  ) {}
  has(name: string): boolean {
    return name === this.name || this.outer.has(name);
  }
  get(name: string): Value | undefined {
    return name === this.name ? this.value : this.outer.get(name);
  }
}

/**
 * Literal values, parsed once per literal node rather than on every evaluation.
 * Sharing one instance is safe: decimals and bigints are immutable.
 */
const literals = new WeakMap<Expr, Value>();

/** Decimals of the integers -1024..1024 (at n + 1024), made when first needed: a decimal meets an integer without a parse. */
const SMALL_INTEGER = 1024;
const smallIntegerDecimals: (Decimal | undefined)[] = new Array(2 * SMALL_INTEGER + 1);
/** Larger integers met lately (a literal bound like 100000, compared on every run), at most RECENT_INTEGERS of them. */
const RECENT_INTEGERS = 4096;
const recentIntegerDecimals = new Map<bigint, Decimal>();

/** Vesper rounding modes as decimal.js constants (shared with the direct runtime). */
export const ROUNDING: Record<RoundingMode, Rounding> = {
  HALF_UP: Decimal.ROUND_HALF_UP,
  HALF_EVEN: Decimal.ROUND_HALF_EVEN,
  HALF_DOWN: Decimal.ROUND_HALF_DOWN,
  UP: Decimal.ROUND_UP,
  DOWN: Decimal.ROUND_DOWN,
  CEILING: Decimal.ROUND_CEIL,
  FLOOR: Decimal.ROUND_FLOOR,
};

class Evaluator {
  constructor(private readonly env: EvalEnv) {}

  eval(expr: Expr, locals: Locals): Value {
    switch (expr.kind) {
      case "integer":
      case "decimal": {
        let v = literals.get(expr);
        if (v === undefined) {
          v = expr.kind === "integer" ? this.checkInt(BigInt(expr.text), expr.span) : new Decimal(expr.text);
          literals.set(expr, v);
        }
        return v;
      }
      case "string":
        return expr.value;
      case "boolean":
        return expr.value;
      case "null":
        return null;
      case "list":
        return expr.items.map((item) => this.eval(item, locals));
      case "name": {
        if (locals.has(expr.name)) return locals.get(expr.name)!;
        const v = this.env.lookup(expr.name);
        if (v === undefined) throw new EvalError("R100", `'${expr.name}' has no value here`, expr.span);
        return v;
      }
      case "member":
        return this.member(expr, locals);
      case "index":
        return this.index(expr, locals);
      case "unary": {
        const v = this.eval(expr.operand, locals);
        if (expr.op === "NOT") return !this.bool(v, expr.operand.span);
        return this.negate(v, expr.span);
      }
      case "binary":
        return this.binary(expr, locals);
      case "call":
        return this.call(expr, locals);
      case "aggregate":
        return this.aggregate(expr, locals);
      case "quantifier":
        return this.quantifier(expr, locals);
    }
  }

  private checkInt(v: bigint, span: Span): bigint {
    if (v < INT64_MIN || v > INT64_MAX) {
      throw new EvalError("R101", `integer overflow: ${v} is outside the 64-bit range`, span);
    }
    return v;
  }

  private bool(v: Value, span: Span): boolean {
    if (typeof v !== "boolean") throw wrongKind(`expected a boolean, got ${formatValue(v)}`, span, v);
    return v;
  }

  private member(expr: ExprOf<"member">, locals: Locals): Value {
    const object = this.eval(expr.object, locals);
    if (object instanceof VRecord) {
      const v = object.fields.get(expr.property);
      return v === undefined ? null : v;
    }
    throw wrongKind(`cannot read '${expr.property}' of ${formatValue(object)}`, expr.propertySpan, object);
  }

  private index(expr: ExprOf<"index">, locals: Locals): Value {
    const object = this.eval(expr.object, locals);
    const index = this.eval(expr.index, locals);
    if (index === null) throw new EvalError("R103", "cannot index with null", expr.index.span);
    if (object instanceof VMap) {
      const v = object.get(index);
      if (v === undefined) throw new EvalError("R104", `key ${formatValue(index)} is not in the map`, expr.index.span);
      return v;
    }
    // An array, string or tensor is indexed by an integer only: anything else (reachable
    // through `any`) is a value of the wrong kind, R102, not an index out of range.
    if (typeof index !== "bigint" && (Array.isArray(object) || typeof object === "string" || object instanceof Tensor))
      throw wrongKind(`expected an integer index, got ${formatValue(index)}`, expr.index.span, index);
    const i = typeof index === "bigint" ? Number(index) : NaN;
    if (Array.isArray(object) || typeof object === "string") {
      if (!(i >= 0 && i < object.length)) {
        throw new EvalError(
          "R104",
          `index ${formatValue(index)} is out of range for length ${object.length}`,
          expr.index.span,
        );
      }
      return object[i]!;
    }
    if (object instanceof Tensor) {
      try {
        return K.indexTensor(object, i);
      } catch (e) {
        throw new EvalError("R104", (e as Error).message, expr.index.span);
      }
    }
    throw wrongKind(`cannot index ${formatValue(object)}`, expr.object.span, object);
  }

  private negate(v: Value, span: Span): Value {
    if (typeof v === "bigint") return this.checkInt(-v, span);
    if (typeof v === "number") return -v;
    if (Decimal.isDecimal(v)) return (v as Decimal).neg();
    if (v instanceof Tensor) return K.map(v, (x) => -x);
    throw wrongKind(`cannot negate ${formatValue(v)}`, span, v);
  }

  private binary(expr: ExprOf<"binary">, locals: Locals): Value {
    // AND and OR short-circuit: the right side is not evaluated when the left decides.
    if (expr.op === "AND")
      return (
        this.bool(this.eval(expr.left, locals), expr.left.span) &&
        this.bool(this.eval(expr.right, locals), expr.right.span)
      );
    if (expr.op === "OR")
      return (
        this.bool(this.eval(expr.left, locals), expr.left.span) ||
        this.bool(this.eval(expr.right, locals), expr.right.span)
      );
    const a = this.eval(expr.left, locals);
    const b = this.eval(expr.right, locals);
    switch (expr.op) {
      case "==":
        return equals(a, b);
      case "!=":
        return !equals(a, b);
      case "<":
        return compare(a, b, expr.span) < 0;
      case "<=":
        return compare(a, b, expr.span) <= 0;
      case ">":
        return compare(a, b, expr.span) > 0;
      case ">=":
        return compare(a, b, expr.span) >= 0;
      case "IN":
        return contains(b, a, expr.right.span);
      case "NOT IN":
        return !contains(b, a, expr.right.span);
      case "CONTAINS":
        return contains(a, b, expr.left.span);
      default:
        return this.arithmetic(expr.op, a, b, expr.span);
    }
  }

  private arithmetic(op: "+" | "-" | "*" | "/" | "%", a: Value, b: Value, span: Span): Value {
    if (a === null || b === null) throw new EvalError("R103", `cannot apply '${op}' to null`, span);
    if (op === "+" && typeof a === "string" && typeof b === "string") return a + b; // enums are strings too
    if (a instanceof Tensor || b instanceof Tensor) {
      const x = toTensorOperand(a, span);
      const y = toTensorOperand(b, span);
      try {
        return K.elementwise(x, y, FLOAT_OPS[op]);
      } catch (e) {
        throw new EvalError("R105", (e as Error).message, span);
      }
    }
    if (typeof a === "bigint" && typeof b === "bigint") {
      if ((op === "/" || op === "%") && b === 0n) throw new EvalError("R106", "division by zero", span);
      if (op === "/") return new Decimal(a.toString()).div(b.toString());
      return this.checkInt(op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a % b, span);
    }
    if (typeof a === "number" || typeof b === "number") {
      return FLOAT_OPS[op](toFloat(a, span), toFloat(b, span));
    }
    const x = toDecimal(a, span);
    const y = toDecimal(b, span);
    if ((op === "/" || op === "%") && y.isZero()) throw new EvalError("R106", "division by zero", span);
    return op === "+"
      ? x.plus(y)
      : op === "-"
        ? x.minus(y)
        : op === "*"
          ? x.times(y)
          : op === "/"
            ? x.div(y)
            : x.mod(y);
  }

  private call(expr: ExprOf<"call">, locals: Locals): Value {
    if (expr.callee === "old") {
      if (!this.env.old) throw new EvalError("R107", "old() has no entry values here", expr.span);
      return this.env.old(expr.args[0]!);
    }
    if (expr.callee === "now") {
      if (!this.env.now) throw new EvalError("R107", "now() needs an execution context", expr.span);
      return this.env.now();
    }
    if (expr.callee === "random") {
      if (!this.env.random) throw new EvalError("R107", "random() needs an execution context", expr.span);
      return this.env.random();
    }
    const args = expr.args.map((a) => this.eval(a, locals));
    const [a, b] = args as [Value, Value | undefined];
    const span = expr.span;
    switch (expr.callee) {
      case "LEN":
      case "COUNT":
        return BigInt(typeof a === "string" ? codePoints(a) : collectionItems(a, span).length);
      case "SUM":
        return this.sum(collectionItems(a, span), span);
      case "MIN":
      case "MAX":
        return extreme(expr.callee, args.length === 1 ? collectionItems(a, span) : args, span);
      case "ABS":
        if (typeof a === "bigint") return this.checkInt(a < 0n ? -a : a, span);
        if (typeof a === "number") return Math.abs(a);
        if (a instanceof Tensor) return K.map(a, Math.abs);
        return toDecimal(a, span).abs();
      case "ROUND": {
        const places = roundPlaces(b, span);
        const mode = ROUNDING[(args[2] as RoundingMode | undefined) ?? "HALF_UP"];
        if (typeof a === "bigint") return a;
        if (typeof a === "number") return new Decimal(a).toDecimalPlaces(places, mode).toNumber();
        return toDecimal(a, span).toDecimalPlaces(places, mode);
      }
      case "FLOAT":
        return floatOf(a, span);
      case "DECIMAL":
        return decimalOf(a, b, span);
      default:
        return this.tensorCall(expr.callee, args, span);
    }
  }

  /** SUM and SUM(x IN c: e): exact addition through the same rules as `+`; empty is 0. */
  private sum(values: Value[], span: Span): Value {
    return values.reduce((acc: Value, v) => this.arithmetic("+", acc, v, span), 0n);
  }

  private tensorCall(name: string, args: Value[], span: Span): Value {
    const [a, b] = args;
    try {
      switch (name) {
        case "sqrt":
          return typeof a === "number" ? Math.sqrt(a) : K.map(tensorArg(a, name, span), Math.sqrt);
        case "exp":
          return typeof a === "number" ? Math.exp(a) : K.map(tensorArg(a, name, span), Math.exp);
        case "relu":
          return K.map(tensorArg(a, name, span), relu);
        case "softmax":
          return K.softmax(tensorArg(a, name, span));
        case "transpose":
          return K.transpose(tensorArg(a, name, span));
        case "matmul":
          return K.matmul(tensorArg(a, name, span), tensorArg(b, name, span));
      }
      const reducer = TENSOR_REDUCERS[name];
      if (reducer) return K.reduce(tensorArg(a, name, span), b === undefined ? undefined : Number(b), reducer);
    } catch (e) {
      if (e instanceof EvalError) throw e;
      throw new EvalError("R105", (e as Error).message, span);
    }
    throw new EvalError("R109", `unknown function '${name}'`, span);
  }

  private items(expr: AggregateExpr | QuantifierExpr, locals: Locals): Value[] {
    return collectionItems(this.eval(expr.collection, locals), expr.collection.span);
  }

  private aggregate(expr: AggregateExpr, locals: Locals): Value {
    // Every body is evaluated before any is counted or added, as the definition reads.
    const items = this.items(expr, locals);
    const values = new Array<Value>(items.length);
    for (let i = 0; i < items.length; i++)
      values[i] = this.eval(expr.body, new BoundVariable(locals, expr.variable, items[i]!));
    switch (expr.fn) {
      case "COUNT":
        return BigInt(values.filter((v) => this.bool(v, expr.body.span)).length);
      case "SUM":
        return this.sum(values, expr.span);
      case "MIN":
      case "MAX":
        return extreme(expr.fn, values, expr.span);
      default:
        throw new EvalError("R109", `'${expr.fn}' is not an aggregate`, expr.calleeSpan);
    }
  }

  private quantifier(expr: QuantifierExpr, locals: Locals): Value {
    // Stops at the first item that decides: later bodies are not evaluated.
    for (const item of this.items(expr, locals)) {
      const holds = this.bool(this.eval(expr.body, new BoundVariable(locals, expr.variable, item)), expr.body.span);
      if (expr.quantifier === "FORALL" && !holds) return false;
      if (expr.quantifier === "EXISTS" && holds) return true;
    }
    return expr.quantifier === "FORALL";
  }
}

/** relu of one element: a negative element (or -0) becomes 0; NaN stays NaN, as in NumPy and TensorFlow. */
const relu = (x: number): number => (x <= 0 ? 0 : x);

/** Tensor reductions over all elements or one axis, by function name. */
const TENSOR_REDUCERS = ownTable<(values: number[]) => number>({
  sum: K.sumOf,
  mean: K.meanOf,
  max: K.maxOf,
  min: K.minOf,
});

/** MIN and MAX, over a collection, a binder or their arguments. */
function extreme(fn: string, values: Value[], span: Span): Value {
  if (values.length === 0) throw new EvalError("R108", `${fn}() of an empty collection`, span);
  const sign = fn === "MIN" ? -1 : 1;
  return values.reduce((best, v) => (compare(v, best, span) * sign > 0 ? v : best));
}

const FLOAT_OPS: Record<"+" | "-" | "*" | "/" | "%", (x: number, y: number) => number> = {
  "+": (x, y) => x + y,
  "-": (x, y) => x - y,
  "*": (x, y) => x * y,
  "/": (x, y) => x / y,
  "%": (x, y) => x % y,
};

function toDecimal(v: Value, span: Span): Decimal {
  if (Decimal.isDecimal(v)) return v as Decimal;
  if (typeof v === "bigint") return integerDecimal(v);
  if (typeof v === "number") return new Decimal(v);
  throw wrongKind(`expected a number, got ${formatValue(v)}`, span, v);
}

function toFloat(v: Value, span: Span): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (Decimal.isDecimal(v)) return (v as Decimal).toNumber();
  throw wrongKind(`expected a number, got ${formatValue(v)}`, span, v);
}

function toTensorOperand(v: Value, span: Span): Tensor | number {
  return v instanceof Tensor ? v : toFloat(v, span);
}

function tensorArg(v: Value | undefined, fn: string, span: Span): Tensor {
  if (v instanceof Tensor) return v;
  throw wrongKind(`${fn}() needs a tensor, got ${v === undefined ? "nothing" : formatValue(v)}`, span, v);
}

/** `==`: IEEE 754 for floats (NaN equals nothing), exact otherwise (src/values/ordering.ts). */
function equals(a: Value, b: Value): boolean {
  return isNumber(a) && isNumber(b) ? numberOrder(a, b) === 0 : valuesEqualIeee(a, b);
}

/**
 * compareNumbers (src/values/ordering.ts), with a decimal against an integer ordered
 * without parsing the integer each time: the same answer.
 */
function numberOrder(a: bigint | number | Decimal, b: bigint | number | Decimal): number {
  if (typeof b === "bigint" && typeof a === "object") return a.cmp(integerDecimal(b));
  if (typeof a === "bigint" && typeof b === "object") return integerDecimal(a).cmp(b);
  return compareNumbers(a, b);
}

/** -1, 0 or 1; NaN for an unordered pair of numbers, which makes every ordering false. */
function compare(a: Value, b: Value, span: Span): number {
  if (isNumber(a) && isNumber(b)) return numberOrder(a, b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Timestamp && b instanceof Timestamp) return Math.sign(a.epochMs - b.epochMs);
  throw wrongKind(`cannot order ${formatValue(a)} and ${formatValue(b)}`, span, a, b);
}

function integerDecimal(n: bigint): Decimal {
  if (n >= -1024n && n <= 1024n) return (smallIntegerDecimals[Number(n) + SMALL_INTEGER] ??= new Decimal(n.toString()));
  let d = recentIntegerDecimals.get(n);
  if (d === undefined) {
    if (recentIntegerDecimals.size >= RECENT_INTEGERS) recentIntegerDecimals.clear();
    d = new Decimal(n.toString());
    recentIntegerDecimals.set(n, d);
  }
  return d;
}

/** A string's length as LEN counts it: in code points (an emoji is 1), without splitting the string. */
function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function collectionItems(v: Value, span: Span): Value[] {
  if (Array.isArray(v)) return v;
  if (v instanceof VSet) return v.values();
  if (v instanceof VMap) return v.keys();
  throw wrongKind(`expected a collection, got ${formatValue(v)}`, span, v);
}

function contains(container: Value, item: Value, span: Span): boolean {
  if (typeof container === "string") {
    if (typeof item !== "string") throw wrongKind(`cannot look for ${formatValue(item)} in a string`, span, item);
    return container.includes(item);
  }
  if (container instanceof VSet) return container.has(item);
  if (container instanceof VMap) return container.has(item);
  return collectionItems(container, span).some((v) => equals(v, item));
}
