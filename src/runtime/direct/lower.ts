import { ENGINE, type Constant, type InlineOp, type Op, type OpName } from "./op-tree.js";
import type { NumKind, Provenance } from "./proven.js";
import { children } from "../../expr/depth.js";
import { intS, toS } from "./scaled.js";
import { ROUNDING } from "../../expr/evaluate.js";
import { ROUNDING_MODES, type RoundingMode } from "../../expr/builtins.js";
import { Decimal } from "../../values/decimal.js";
import { INT64_MAX, INT64_MIN } from "../../values/values.js";
import type { AggregateExpr, Expr, ExprOf, QuantifierExpr, Span } from "../../expr/ast.js";
import { T, type VType } from "../../values/types.js";

// Compiler pass 2: a checked expression becomes a typed operation tree. Wherever
// the checker proved both operand types the pass picks a specialised operation
// (bigint arithmetic with an overflow check, plain float operators, === on
// strings); only `any` operands use the dynamic operations. Decimal arithmetic
// (+, -, *, negation, ROUND to constant places, comparisons) whose operands are
// known to be integers or decimals is lowered to scaled integers (scaled.ts): the
// operands are read once (S), the whole expression computes on scaled values, and
// one Decimal is made where a value leaves it (fromS). Literals are built once here
// instead of on every evaluation.

/** Compiler pass 1: every name a node can read gets a fixed index in one slots array. */
export class SlotTable {
  readonly names: string[] = [];
  private readonly byName = new Map<string, number>();

  slot(name: string): number {
    let i = this.byName.get(name);
    if (i === undefined) {
      i = this.names.push(name) - 1;
      this.byName.set(name, i);
    }
    return i;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** A slot of its own for a FORALL/EXISTS/aggregate variable. */
  fresh(name: string): number {
    return this.names.push(name) - 1;
  }
}

const c = (value: Constant): Op => ({ k: "const", value });
const AGGREGATES = new Set(["SUM", "COUNT", "MIN", "MAX"]);
const TENSOR_FUNCTIONS = new Set([
  "matmul",
  "relu",
  "softmax",
  "sum",
  "mean",
  "max",
  "min",
  "sqrt",
  "exp",
  "transpose",
]);

const call = (fn: OpName, ...args: Op[]): Op => ({ k: "call", fn, args });
const inline = (op: InlineOp, ...args: Op[]): Op => ({ k: "inline", op, args });

/** Loop variables in scope: their slot, and whether their values are proven (proven.ts). */
type Scope = ReadonlyMap<string, { slot: number; proven: boolean }>;

/**
 * How an operand can enter scaled arithmetic: "dec" is always a Decimal, "int" always
 * a bigint, "num" either (SUM of decimals is 0n when empty); undefined: it cannot.
 */
type NumClass = NumKind;

export class Lowerer {
  constructor(
    private readonly types: Map<Expr, VType>,
    private readonly slots: SlotTable,
    private readonly oldExprs: readonly Expr[],
    /** Slots that always hold a value (inputs), so reads need no unbound check. */
    private readonly alwaysBound: ReadonlySet<number>,
    private readonly provenance: Provenance,
    /** Set on a speculative lowering (lower()): slots the guard has found holding numbers. */
    private readonly numbers?: ReadonlySet<number>,
  ) {}

  private get speculative(): boolean {
    return this.numbers !== undefined;
  }

  private proven(e: Expr, scope: Scope): boolean {
    return this.provenance.proven(e, binders(scope));
  }

  private readonly classes = new Map<Expr, NumClass>();
  /** Operations that always give a JavaScript number (float arithmetic on numbers, maxF/minF). */
  private readonly givesNumber = new WeakSet<Op>();

  private isNumber(o: Op): boolean {
    return (
      (o.k === "const" && typeof o.value === "number") ||
      (o.k === "slot" && !!this.numbers?.has(o.index)) ||
      this.givesNumber.has(o)
    );
  }

  private numClass(e: Expr, scope: Scope): NumClass {
    if (this.classes.has(e)) return this.classes.get(e);
    let cls: NumClass;
    if (this.scalable(e, scope)) cls = "dec";
    else if (e.kind === "call" && e.callee === "old" && this.oldExprs.includes(e.args[0]!) && !readsOutput(e.args[0]!))
      // old(e) holds e's value at entry: what e is, its captured value is.
      cls = this.numClass(e.args[0]!, scope);
    else cls = this.provenance.numKind(e, binders(scope));
    this.classes.set(e, cls);
    return cls;
  }

  /** Decimal arithmetic that lowers to scaled integers; it always gives a Decimal. */
  private scalable(e: Expr, scope: Scope): boolean {
    if (e.kind === "binary" && (e.op === "+" || e.op === "-" || e.op === "*")) {
      if (this.type(e).kind !== "decimal") return false;
      const a = this.numClass(e.left, scope);
      const b = this.numClass(e.right, scope);
      return a !== undefined && b !== undefined && (a === "dec" || b === "dec");
    }
    if (e.kind === "unary" && e.op === "-") return this.numClass(e.operand, scope) === "dec";
    if (e.kind === "call" && e.callee === "ROUND")
      return roundArgs(e) !== undefined && this.numClass(e.args[0]!, scope) === "dec";
    return false;
  }

  /** An expression whose class is defined, as an operation giving a scaled value. */
  private lowerS(e: Expr, scope: Scope): Op {
    if (e.kind === "decimal") return c(toS(new Decimal(e.text)));
    if (e.kind === "integer") {
      const v = BigInt(e.text);
      if (v >= INT64_MIN && v <= INT64_MAX) return c(intS(v));
    }
    if (this.scalable(e, scope)) {
      if (e.kind === "binary") {
        const fn = e.op === "+" ? "addS" : e.op === "-" ? "subS" : "mulS";
        return call(fn, this.lowerS(e.left, scope), this.lowerS(e.right, scope));
      }
      if (e.kind === "unary") return call("negS", this.lowerS(e.operand, scope));
      if (e.kind === "call") {
        const r = roundArgs(e)!;
        return call("roundS", this.lowerS(e.args[0]!, scope), c(r.places), c(r.rounding));
      }
    }
    return call("S", this.op(e, scope), c(e.span));
  }

  /** A comparison of two numbers on scaled values (two integers as bigints); undefined when it cannot be. */
  private scaledComparison(e: ExprOf<"binary">, scope: Scope): Op | undefined {
    const a = this.numClass(e.left, scope);
    const b = this.numClass(e.right, scope);
    if (a === undefined || b === undefined) return undefined;
    if (a === "int" && b === "int") {
      // Two bigints: JavaScript's own operators (== and != are === on their checked types below).
      const op = e.op;
      if (op !== "<" && op !== "<=" && op !== ">" && op !== ">=") return undefined;
      return inline(op, this.op(e.left, scope), this.op(e.right, scope));
    }
    const x = () => this.lowerS(e.left, scope);
    const y = () => this.lowerS(e.right, scope);
    switch (e.op) {
      case "==":
        return call("eqS", x(), y());
      case "!=":
        return inline("!", call("eqS", x(), y()));
      case "<":
      case "<=":
      case ">":
      case ">=":
        return inline(e.op, call("cmpS", x(), y()), c(0));
      default:
        return undefined;
    }
  }

  /**
   * A whole expression (an assignment, a condition, a contract) as an operation tree.
   * Where a float or boolean expression reads float bindings the compiler cannot prove
   * (a tensor's element: the checker cannot promise the tensor's rank at run time), it
   * speculates: a guard checks once that each such binding holds a number, then runs
   * the expression lowered as if those bindings were proven (plain float operators,
   * MAX as one comparison per value); any other value takes the expression as lowered
   * without the assumption, so answers and failures are the same either way.
   */
  lower(e: Expr): Op {
    const slow = this.op(e, new Map());
    if (this.speculative) return slow;
    const kind = this.type(e).kind;
    if (e.kind === "name" || (kind !== "float" && kind !== "boolean")) return slow;
    const names = this.unprovenFloats(e);
    if (names.size === 0) return slow;
    const slots = [...names].map((n) => this.slots.slot(n));
    const speculative = new Lowerer(
      this.types,
      this.slots,
      this.oldExprs,
      new Set([...this.alwaysBound, ...slots]),
      this.provenance.assuming(names),
      new Set(slots),
    );
    return { k: "guard", slots, fast: speculative.op(e, new Map()), slow };
  }

  /** The free names of `e` typed float that are not proven (loop variables are bound, not free). */
  private unprovenFloats(e: Expr, bound: ReadonlySet<string> = new Set(), into = new Set<string>()): Set<string> {
    if (e.kind === "name") {
      if (!bound.has(e.name) && this.type(e).kind === "float" && !this.provenance.proven(e)) into.add(e.name);
      return into;
    }
    if (e.kind === "call" && e.callee === "old") return into; // read at entry, as old[i]
    const inner = e.kind === "aggregate" || e.kind === "quantifier" ? new Set([...bound, e.variable]) : bound;
    for (const child of children(e)) {
      // An aggregate's collection is outside its variable's scope.
      const scope = (e.kind === "aggregate" || e.kind === "quantifier") && child === e.collection ? bound : inner;
      this.unprovenFloats(child, scope, into);
    }
    return into;
  }

  private op(e: Expr, scope: Scope): Op {
    switch (e.kind) {
      case "integer": {
        const v = BigInt(e.text);
        return v < INT64_MIN || v > INT64_MAX ? call("ck", c(v), c(e.span)) : c(v);
      }
      case "decimal":
        return c(new Decimal(e.text));
      case "string":
        return c(e.value);
      case "boolean":
        return c(e.value);
      case "null":
        return c(null);
      case "list":
        return { k: "list", items: e.items.map((i) => this.op(i, scope)) };
      case "name": {
        const index = scope.get(e.name)?.slot ?? this.slots.slot(e.name);
        return {
          k: "slot",
          index,
          name: e.name,
          span: e.span,
          alwaysBound: scope.has(e.name) || this.alwaysBound.has(index),
        };
      }
      case "member":
        return call("get", this.op(e.object, scope), c(e.property), c(e.propertySpan));
      case "index":
        // t[i][j] with j a literal: read in place when t is a rank-2 tensor (ops.ts at2), no row tensor in between.
        if (e.object.kind === "index" && e.index.kind === "integer") {
          const row = e.object;
          return call(
            "at2",
            this.op(row.object, scope),
            this.op(row.index, scope),
            c(BigInt(e.index.text)),
            c(row.index.span),
            c(row.object.span),
            c(e.index.span),
            c(e.object.span),
          );
        }
        return call("at", this.op(e.object, scope), this.op(e.index, scope), c(e.index.span), c(e.object.span));
      case "unary":
        return this.unary(e, scope);
      case "binary":
        return this.binary(e, scope);
      case "call":
        return this.call(e, scope);
      case "aggregate":
      case "quantifier":
        return this.loop(e, scope);
    }
  }

  private type(e: Expr): VType {
    return this.types.get(e) ?? T.any;
  }

  private unary(e: ExprOf<"unary">, scope: Scope): Op {
    if (this.scalable(e, scope)) return call("fromS", this.lowerS(e, scope));
    const operand = this.op(e.operand, scope);
    const t = this.proven(e.operand, scope) ? this.type(e.operand).kind : "any";
    if (e.op === "NOT") return t === "boolean" ? inline("!", operand) : call("not", operand, c(e.operand.span));
    if (t === "integer") return call("negI", operand, c(e.span));
    if (t === "float") return inline("neg", this.asFloat(operand, e.span));
    if (t === "decimal") return { k: "method", method: "neg", target: this.asDecimal(operand, e.span), args: [] };
    return call("neg", operand, c(e.span), c(ENGINE));
  }

  private binary(e: ExprOf<"binary">, scope: Scope): Op {
    if (this.scalable(e, scope)) return call("fromS", this.lowerS(e, scope));
    const compared = this.scaledComparison(e, scope);
    if (compared) return compared;
    if (
      ["+", "-", "*", "/", "%"].includes(e.op) &&
      this.numClass(e.left, scope) === "int" &&
      this.numClass(e.right, scope) === "int"
    ) {
      const fn = ({ "+": "addI", "-": "subI", "*": "mulI", "/": "divI", "%": "modI" } as const)[
        e.op as "+" | "-" | "*" | "/" | "%"
      ];
      return call(fn, this.op(e.left, scope), this.op(e.right, scope), c(e.span));
    }
    const a = this.op(e.left, scope);
    const b = this.op(e.right, scope);
    // Typed paths need proven operands (proven.ts); an unproven one is typed `any` here.
    const ta = this.proven(e.left, scope) ? this.type(e.left).kind : "any";
    const tb = this.proven(e.right, scope) ? this.type(e.right).kind : "any";
    // `===` agrees with Vesper equality for integers, strings and booleans even when one side is null.
    const sa = this.type(e.left).kind;
    const sb = this.type(e.right).kind;
    const both = (...kinds: string[]) => kinds.includes(ta) && kinds.includes(tb);
    switch (e.op) {
      case "AND":
      case "OR": {
        const left = ta === "boolean" ? a : call("bool", a, c(e.left.span));
        const right = tb === "boolean" ? b : call("bool", b, c(e.right.span));
        return { k: e.op === "AND" ? "and" : "or", left, right };
      }
      case "==":
      case "!=": {
        const negate = e.op === "!=";
        const strict = (...kinds: string[]) => kinds.includes(sa) && kinds.includes(sb);
        if (strict("integer") || strict("string", "enum") || strict("boolean"))
          return inline(negate ? "!==" : "===", a, b);
        if (both("decimal")) {
          const eq: Op = {
            k: "method",
            method: "eq",
            target: this.asDecimal(a, e.left.span),
            args: [this.asDecimal(b, e.right.span)],
          };
          return negate ? inline("!", eq) : eq;
        }
        const eq = call("eq", a, b);
        return negate ? inline("!", eq) : eq;
      }
      case "<":
      case "<=":
      case ">":
      case ">=":
        // JavaScript's operators are IEEE 754's for floats: an unordered pair (a NaN) is false for all four,
        // and cmp gives NaN for such a pair, which compares false with 0 the same way.
        if (both("integer") || both("string") || both("float")) return inline(e.op, a, b);
        if (both("decimal", "integer")) {
          return inline(
            e.op,
            {
              k: "method",
              method: "cmp",
              target: this.asDecimal(a, e.left.span),
              args: [this.asDecimal(b, e.right.span)],
            },
            c(0),
          );
        }
        // The same for a comparison (ops.ts cmpK): a float meets the literal's float value; anything else takes cmp.
        // A proven float is a number: against a literal, JavaScript's operator on the literal's float value.
        if (ta === "float" && isNumberConstant(b)) return inline(e.op, a, c(Number(b.value)));
        if (sa === "float" && isNumberConstant(b))
          return inline(e.op, call("cmpK", a, c(Number(b.value)), b, c(e.span)), c(0));
        return inline(e.op, call("cmp", a, b, c(e.span)), c(0));
      case "IN":
        return call("contains", b, a, c(e.right.span));
      case "NOT IN":
        return inline("!", call("contains", b, a, c(e.right.span)));
      case "CONTAINS":
        return call("contains", a, b, c(e.left.span));
      default:
        // A float not proven (a tensor's element, an optional input) and a number literal: the literal's float value
        // made once (ops.ts arithK); anything but a float at run time takes arith.
        if (ta === "any" && sa === "float" && isNumberConstant(b))
          return call("arithK", c(e.op), a, c(Number(b.value)), b, c(e.span), c(ENGINE));
        return this.arithmetic(e.op, a, b, ta, tb, e.span, this.type(e).kind);
    }
  }

  private arithmetic(
    op: "+" | "-" | "*" | "/" | "%",
    a: Op,
    b: Op,
    ta: string,
    tb: string,
    span: Span,
    result: string,
  ): Op {
    if (ta === "any" || tb === "any") return call("arith", c(op), a, b, c(span), c(ENGINE));
    if (ta === "tensor" || tb === "tensor") return call("tensorArith", c(ENGINE), c(op), a, b, c(span));
    if (result === "string") return inline("+", a, b);
    if (ta === "integer" && tb === "integer") {
      const fn = ({ "+": "addI", "-": "subI", "*": "mulI", "/": "divI", "%": "modI" } as const)[op];
      return call(fn, a, b, c(span));
    }
    if (ta === "float" || tb === "float") {
      const x = this.asFloat(a, span);
      const y = this.asFloat(b, span);
      const o = inline(op, x, y);
      // Two numbers give a number: a speculative lowering then needs no F() around it.
      if (this.isNumber(x) && this.isNumber(y)) this.givesNumber.add(o);
      return o;
    }
    const x = this.asDecimal(a, span);
    const y = this.asDecimal(b, span);
    if (op === "/") return call("divD", x, y, c(span));
    if (op === "%") return call("modD", x, y, c(span));
    return { k: "method", method: op === "+" ? "plus" : op === "-" ? "minus" : "times", target: x, args: [y] };
  }

  /**
   * A decimal operand. Constants are converted once, here; anything else goes through
   * D(), which returns a Decimal unchanged: an expression the checker types as decimal
   * can still hold an integer (MIN(1, 2.5) is 1, SUM of nothing is 0).
   */
  private asDecimal(o: Op, span: Span): Op {
    if (o.k === "const" && Decimal.isDecimal(o.value)) return o;
    if (o.k === "const" && typeof o.value === "bigint") return c(new Decimal(o.value.toString()));
    return call("D", o, c(span));
  }

  /**
   * A float operand, for the same reason through F() unless it is a constant, or (when
   * speculating) a slot the guard found holding a number or an operation on such numbers.
   */
  private asFloat(o: Op, span: Span): Op {
    if (o.k === "const" && typeof o.value === "number") return o;
    if (this.isNumber(o)) return o;
    if (o.k === "const" && (typeof o.value === "bigint" || Decimal.isDecimal(o.value)))
      return c(Number(o.value as bigint));
    return call("F", o, c(span));
  }

  private call(e: ExprOf<"call">, scope: Scope): Op {
    if (e.callee === "old") {
      const index = this.oldExprs.indexOf(e.args[0]!);
      // Outside a postcondition (only in an unchecked fallback) old() has no entry value: null, as in the reference.
      return index < 0 ? c(null) : { k: "old", index };
    }
    if (e.callee === "now" || e.callee === "random") return { k: "context", fn: e.callee };
    if (this.scalable(e, scope)) return call("fromS", this.lowerS(e, scope));
    const args = e.args.map((a) => this.op(a, scope));
    const span = c(e.span);
    switch (e.callee) {
      case "LEN":
      case "COUNT":
        return call("len", args[0]!, span);
      case "SUM":
        return call("sumOf", args[0]!, span, c(ENGINE));
      case "MIN":
      case "MAX":
        // Proven floats (numbers): one comparison per value, as extreme() makes it, with no list.
        if (args.length > 1 && e.args.every((a) => this.proven(a, scope) && this.type(a).kind === "float")) {
          const fold = e.callee === "MAX" ? "maxF" : "minF";
          return args.slice(1).reduce((best, v) => {
            const o = call(fold, best, v);
            this.givesNumber.add(o);
            return o;
          }, args[0]!);
        }
        return args.length === 1
          ? call("extremeOf", c(e.callee), args[0]!, span)
          : call("extreme", c(e.callee), { k: "list", items: args }, span);
      case "ABS":
        return call("abs", args[0]!, span, c(ENGINE));
      case "ROUND":
        return call("round", args[0]!, args[1] ?? c(undefined), args[2] ?? c(undefined), span);
      case "FLOAT":
        return call("floatOf", args[0]!, span);
      case "DECIMAL":
        return call("decimalOf", args[0]!, args[1]!, span);
      default:
        if (!TENSOR_FUNCTIONS.has(e.callee))
          return call("unknownFunction", c(e.callee), { k: "list", items: args }, span);
        return call("tensorFn", c(ENGINE), c(e.callee), args[0]!, args[1] ?? c(undefined), span);
    }
  }

  private loop(e: AggregateExpr | QuantifierExpr, scope: Scope): Op {
    const slot = this.slots.fresh(e.variable);
    const binders = new Map([...scope].map(([k, v]) => [k, v.proven]));
    const inner = new Map(scope).set(e.variable, {
      slot,
      proven: this.provenance.elementsProven(e.collection, binders),
    });
    const aggregate = e.kind === "aggregate" && AGGREGATES.has(e.fn);
    const kind =
      e.kind === "quantifier" ? e.quantifier : aggregate ? (e.fn as "SUM" | "COUNT" | "MIN" | "MAX") : "LIST";
    const bodyKind = this.proven(e.body, inner) ? this.type(e.body).kind : "any";
    // A SUM of values that are all Decimals adds them as scaled integers.
    const scaled = kind === "SUM" && this.numClass(e.body, inner) === "dec";
    const op: Op = {
      k: "loop",
      kind: scaled ? "SUMS" : kind,
      slot,
      collection: this.op(e.collection, scope),
      body: scaled ? this.lowerS(e.body, inner) : this.op(e.body, inner),
      span: e.span,
      collectionSpan: e.collection.span,
      bodySpan: e.body.span,
      bodyKind,
    };
    // A binder form of something that is not an aggregate evaluates its body, then fails (as the reference does).
    return kind === "LIST"
      ? call("notAggregate", c((e as AggregateExpr).fn), op, c((e as AggregateExpr).calleeSpan))
      : op;
  }
}

/** A decimal or integer literal (a constant whose float value can be made once). */
function isNumberConstant(o: Op): o is { k: "const"; value: Decimal | bigint } {
  return o.k === "const" && (typeof o.value === "bigint" || Decimal.isDecimal(o.value));
}

/** Whether an expression reads `output` (unbound at entry, where old() values are captured). */
function readsOutput(e: Expr): boolean {
  return (e.kind === "name" && e.name === "output") || children(e).some(readsOutput);
}

const binders = (scope: Scope): Map<string, boolean> => new Map([...scope].map(([k, v]) => [k, v.proven]));

/** ROUND's places and decimal.js rounding mode when both are constants it accepts; undefined otherwise. */
function roundArgs(e: ExprOf<"call">): { places: number; rounding: number } | undefined {
  const [, places, mode] = e.args;
  let p = 0;
  if (places) {
    if (places.kind !== "integer") return undefined;
    p = Number(places.text);
    if (!(Number.isInteger(p) && p >= 0 && p <= 1e9)) return undefined;
  }
  if (mode && (mode.kind !== "string" || !(ROUNDING_MODES as readonly string[]).includes(mode.value))) return undefined;
  return {
    places: p,
    rounding: ROUNDING[((mode as { value?: string } | undefined)?.value ?? "HALF_UP") as RoundingMode],
  };
}
