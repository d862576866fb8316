import type { AggregateExpr, Expr, ExprOf, QuantifierExpr, Span } from "./ast.js";
import { BUILTINS, ROUNDING_MODES } from "./builtins.js";
import type { ExprProblem } from "./problem.js";
import { didYouMean, withArticle } from "../values/suggest.js";
import {
  T,
  dimsCompatible,
  elementOf,
  isAssignable,
  isNumeric,
  typeToString,
  type Dim,
  type TypeTable,
  type VType,
} from "../values/types.js";

// The type checker: one pass over an expression tree against the node's declared
// types. It reports every problem it finds (it never stops at the first) and
// records the type of each sub-expression for the compilers that come after it.

export interface CheckOptions {
  types: TypeTable;
  /** Names visible to the expression (inputs, bindings, `state`, ...). */
  scope: ReadonlyMap<string, VType>;
  /** `old(e)` is legal only in postconditions. */
  allowOld?: boolean;
  /** Names declared somewhere but not visible here, with why (e.g. bound in one branch arm only). */
  notVisible?: ReadonlyMap<string, string>;
}

export interface CheckResult {
  type: VType;
  problems: ExprProblem[];
  /** The type of every sub-expression, for code generators. */
  typeOf: Map<Expr, VType>;
}

export function checkExpression(expr: Expr, options: CheckOptions): CheckResult {
  const checker = new Checker(options);
  const type = checker.check(expr, options.scope, false);
  return { type, problems: checker.problems, typeOf: checker.typeOf };
}

type Scope = ReadonlyMap<string, VType>;

class Checker {
  readonly problems: ExprProblem[] = [];
  readonly typeOf = new Map<Expr, VType>();

  constructor(private readonly options: CheckOptions) {}

  check(expr: Expr, scope: Scope, insideOld: boolean): VType {
    const type = this.infer(expr, scope, insideOld);
    this.typeOf.set(expr, type);
    return type;
  }

  private report(code: string, message: string, span: Span): VType {
    this.problems.push({ code, message, span });
    return T.any;
  }

  private infer(expr: Expr, scope: Scope, insideOld: boolean): VType {
    switch (expr.kind) {
      case "integer":
        return T.integer;
      case "decimal":
        return T.decimal;
      case "string":
        return T.string;
      case "boolean":
        return T.boolean;
      case "null":
        return T.null;
      case "list":
        return this.list(expr, scope, insideOld);
      case "name": {
        const type = scope.get(expr.name);
        if (type) return type;
        const why = this.options.notVisible?.get(expr.name);
        if (why) return this.report("V401", why, expr.span);
        return this.report("V401", `unknown name '${expr.name}'${didYouMean(expr.name, scope.keys())}`, expr.span);
      }
      case "member":
        return this.member(expr, scope, insideOld);
      case "index":
        return this.index(expr, scope, insideOld);
      case "unary":
        return this.unary(expr, scope, insideOld);
      case "binary":
        return this.binary(expr, scope, insideOld);
      case "call":
        return this.call(expr, scope, insideOld);
      case "aggregate":
        return this.aggregate(expr, scope, insideOld);
      case "quantifier":
        return this.quantifier(expr, scope, insideOld);
    }
  }

  private list(expr: ExprOf<"list">, scope: Scope, insideOld: boolean): VType {
    let element: VType | undefined;
    for (const item of expr.items) {
      const t = this.check(item, scope, insideOld);
      if (!element) {
        element = t;
        continue;
      }
      const joined = join(element, t);
      if (!joined) {
        this.report(
          "V410",
          `list items must share one type; found ${typeToString(element)} and ${typeToString(t)}`,
          item.span,
        );
      } else {
        element = joined;
      }
    }
    return { kind: "array", element: element ?? T.any };
  }

  private member(expr: ExprOf<"member">, scope: Scope, insideOld: boolean): VType {
    const objectType = this.check(expr.object, scope, insideOld);
    if (objectType.kind === "any") return T.any;
    if (objectType.kind === "record") {
      const record = this.options.types.get(objectType.name);
      if (!record) return T.any;
      const field = record.fields.get(expr.property);
      if (field) return field.type;
      return this.report(
        "V411",
        `${objectType.name} has no field '${expr.property}'${didYouMean(expr.property, record.fields.keys())} ` +
          `(fields: ${[...record.fields.keys()].join(", ") || "none"})`,
        expr.propertySpan,
      );
    }
    return this.report("V410", `cannot read field '${expr.property}' of ${aType(objectType)}`, expr.propertySpan);
  }

  private index(expr: ExprOf<"index">, scope: Scope, insideOld: boolean): VType {
    const objectType = this.check(expr.object, scope, insideOld);
    const indexType = this.check(expr.index, scope, insideOld);
    const needInteger = () => {
      if (indexType.kind !== "integer" && indexType.kind !== "any") {
        this.report("V410", `an index must be an integer, not ${typeToString(indexType)}`, expr.index.span);
      }
    };
    switch (objectType.kind) {
      case "any":
        return T.any;
      case "array":
        needInteger();
        return objectType.element;
      case "string":
        needInteger();
        return T.string;
      case "map":
        if (!isAssignable(indexType, objectType.key)) {
          this.report(
            "V410",
            `this map's keys are ${typeToString(objectType.key)}, not ${typeToString(indexType)}`,
            expr.index.span,
          );
        }
        return objectType.value;
      case "tensor":
        needInteger();
        if (objectType.shape.length === 0) return this.report("V410", "cannot index a rank-0 tensor", expr.span);
        return objectType.shape.length === 1 ? T.float : { ...objectType, shape: objectType.shape.slice(1) };
      default:
        return this.report("V410", `cannot index ${aType(objectType)}`, expr.object.span);
    }
  }

  private unary(expr: ExprOf<"unary">, scope: Scope, insideOld: boolean): VType {
    const t = this.check(expr.operand, scope, insideOld);
    if (t.kind === "any") return expr.op === "NOT" ? T.boolean : T.any;
    if (expr.op === "NOT") {
      if (t.kind !== "boolean") this.report("V412", `NOT needs a boolean, not ${typeToString(t)}`, expr.operand.span);
      return T.boolean;
    }
    if (isNumeric(t) || t.kind === "tensor") return t;
    return this.report("V410", `cannot negate ${aType(t)}`, expr.operand.span);
  }

  private binary(expr: ExprOf<"binary">, scope: Scope, insideOld: boolean): VType {
    const left = this.check(expr.left, scope, insideOld);
    const right = this.check(expr.right, scope, insideOld);
    const mismatch = (verb: string) =>
      this.report("V410", `cannot ${verb} ${typeToString(left)} and ${typeToString(right)}`, expr.span);

    switch (expr.op) {
      case "AND":
      case "OR":
        for (const [side, t] of [
          [expr.left, left],
          [expr.right, right],
        ] as const) {
          if (t.kind !== "boolean" && t.kind !== "any") {
            this.report("V412", `${expr.op} needs boolean operands, not ${typeToString(t)}`, side.span);
          }
        }
        return T.boolean;
      case "==":
      case "!=":
        this.checkEnumLiteral(expr.left, right);
        this.checkEnumLiteral(expr.right, left);
        if (!comparableForEquality(expr, left, right)) {
          this.report("V410", `cannot compare ${typeToString(left)} with ${typeToString(right)}`, expr.span);
        }
        return T.boolean;
      case "<":
      case "<=":
      case ">":
      case ">=":
        if (!orderable(expr, left, right)) {
          this.report(
            "V410",
            `cannot compare ${typeToString(left)} with ${typeToString(right)} using '${expr.op}'`,
            expr.span,
          );
        }
        return T.boolean;
      case "IN":
      case "NOT IN":
        this.membership(expr.left, left, expr.right, right, expr.span);
        return T.boolean;
      case "CONTAINS":
        this.membership(expr.right, right, expr.left, left, expr.span);
        return T.boolean;
      default:
        return this.arithmetic(expr, left, right) ?? mismatch(VERBS[expr.op]);
    }
  }

  /** `x IN c` / `c CONTAINS x`: c is a collection or a string, x fits its elements. */
  private membership(itemExpr: Expr, item: VType, containerExpr: Expr, container: VType, span: Span): void {
    if (container.kind === "any" || item.kind === "any") return;
    if (container.kind === "string") {
      if (item.kind !== "string")
        this.report("V410", `only a string can be found in a string, not ${typeToString(item)}`, itemExpr.span);
      return;
    }
    const element = elementOf(container);
    if (!element) {
      this.report(
        "V410",
        `IN and CONTAINS need a collection or a string, not ${typeToString(container)}`,
        containerExpr.span,
      );
      return;
    }
    this.checkEnumLiteral(itemExpr, element);
    if (!isAssignable(item, element) && !isAssignable(element, item)) {
      this.report("V410", `${aType(item)} can never be in a collection of ${typeToString(element)}`, span);
    }
  }

  /** `currency == 'USDD'` where currency is an enum: name the values it can take. */
  private checkEnumLiteral(literal: Expr, other: VType): void {
    if (literal.kind === "string" && other.kind === "enum" && !other.values.includes(literal.value)) {
      this.report("V413", `'${literal.value}' is not a value of ${typeToString(other)}`, literal.span);
    }
  }

  private arithmetic(expr: ExprOf<"binary">, left: VType, right: VType): VType | undefined {
    if (left.kind === "any" || right.kind === "any") return T.any;
    const stringLike = (t: VType) => t.kind === "string" || t.kind === "enum";
    if (expr.op === "+" && stringLike(left) && stringLike(right)) return T.string;
    if (left.kind === "tensor" || right.kind === "tensor") return this.tensorArithmetic(expr, left, right);
    const numeric = numericResult(expr.left, left, expr.right, right);
    if (numeric === "mixed-decimal-float") {
      this.report(
        "V410",
        `cannot mix decimal and float in '${expr.op}' (decimals are exact, floats are binary); convert one side explicitly with FLOAT(x) or DECIMAL(x, places)`,
        expr.span,
      );
      return T.any;
    }
    if (!numeric) return undefined;
    // Integer division is exact: 7 / 2 is the decimal 3.5, never a truncated 3.
    if (expr.op === "/" && numeric.kind === "integer") return T.decimal;
    return numeric;
  }

  private tensorArithmetic(expr: ExprOf<"binary">, left: VType, right: VType): VType | undefined {
    if (left.kind === "tensor" && right.kind === "tensor") {
      if (left.dtype !== right.dtype) {
        return this.report("V410", `cannot combine tensors of dtype ${left.dtype} and ${right.dtype}`, expr.span);
      }
      const shape = broadcast(left.shape, right.shape);
      if (!shape) {
        return this.report(
          "V410",
          `shapes ${typeToString(left)
            .replace(/^tensor<\w+, /, "")
            .slice(0, -1)} and ${typeToString(right)
            .replace(/^tensor<\w+, /, "")
            .slice(0, -1)} cannot be broadcast together`,
          expr.span,
        );
      }
      return { kind: "tensor", dtype: left.dtype, shape };
    }
    const scalar = left.kind === "tensor" ? right : left;
    const tensor = (left.kind === "tensor" ? left : right) as Extract<VType, { kind: "tensor" }>;
    return isNumeric(scalar) ? tensor : undefined;
  }

  private call(expr: ExprOf<"call">, scope: Scope, insideOld: boolean): VType {
    const info = BUILTINS[expr.callee];
    if (!info) {
      expr.args.forEach((a) => this.check(a, scope, insideOld));
      return this.report(
        "V402",
        `unknown function '${expr.callee}'${didYouMean(expr.callee, Object.keys(BUILTINS))}`,
        expr.calleeSpan,
      );
    }
    if (expr.callee === "old") {
      if (!this.options.allowOld) {
        this.report(
          "V404",
          "old() can only be used in postconditions, where it means the value at node entry",
          expr.calleeSpan,
        );
      } else if (insideOld) {
        this.report("V404", "old() cannot be nested inside old()", expr.calleeSpan);
      }
    }
    const args = expr.args.map((a) => this.check(a, scope, insideOld || expr.callee === "old"));
    if (args.length < info.minArgs || args.length > info.maxArgs) {
      const range =
        info.minArgs === info.maxArgs
          ? `${info.minArgs}`
          : info.maxArgs === Infinity
            ? `at least ${info.minArgs}`
            : `${info.minArgs} to ${info.maxArgs}`;
      return this.report(
        "V403",
        `${expr.callee}() takes ${range} argument${info.maxArgs === 1 ? "" : "s"}, not ${args.length}`,
        expr.span,
      );
    }
    return this.callType(expr, args);
  }

  private callType(expr: ExprOf<"call">, args: VType[]): VType {
    const [a, b] = args as [VType, VType | undefined];
    const bad = (what: string, t: VType, at: Expr = expr.args[0]!) =>
      this.report("V410", `${expr.callee}() needs ${what}, not ${typeToString(t)}`, at.span);
    if (args.some((t) => t.kind === "any") && expr.callee !== "old") return T.any;
    switch (expr.callee) {
      case "old":
        return a;
      case "now":
        return T.timestamp;
      case "random":
        return T.float;
      case "LEN":
        return a.kind === "string" || elementOf(a) ? T.integer : bad("a string or a collection", a);
      case "COUNT":
        return elementOf(a) ? T.integer : bad("a collection", a);
      case "SUM": {
        const e = elementOf(a);
        if (a.kind === "tensor") return bad("a collection (use sum() for tensors)", a);
        // An element type of `any` ([] or [r.x] of an untyped call result) is checked at run time.
        return e && (isNumeric(e) || e.kind === "any") ? e : bad("a collection of numbers", a);
      }
      case "MIN":
      case "MAX": {
        if (args.length === 1) {
          const e = elementOf(a);
          return e && (isNumeric(e) || e.kind === "string" || e.kind === "timestamp" || e.kind === "any")
            ? e
            : bad("a collection of comparable values", a);
        }
        let result: VType | undefined = a;
        args.forEach((t, i) => {
          const joined = result && join(result, t);
          if (!joined || !(isNumeric(joined) || joined.kind === "string" || joined.kind === "timestamp")) {
            bad("arguments of one comparable type", t, expr.args[i]);
          }
          result = joined;
        });
        return result ?? T.any;
      }
      case "ABS":
        return isNumeric(a) || a.kind === "tensor" ? a : bad("a number", a);
      case "ROUND": {
        if (!isNumeric(a)) return bad("a number", a);
        if (b && b.kind !== "integer") bad("an integer number of places", b, expr.args[1]);
        const places = expr.args[1];
        if (places?.kind === "unary" && places.op === "-") {
          this.report("V410", "ROUND() needs zero or more decimal places", places.span);
        }
        const mode = expr.args[2];
        if (mode && (mode.kind !== "string" || !(ROUNDING_MODES as readonly string[]).includes(mode.value))) {
          this.report(
            "V410",
            `ROUND()'s mode must be one of ${ROUNDING_MODES.map((m) => `'${m}'`).join(", ")}`,
            mode.span,
          );
        }
        return a;
      }
      case "FLOAT":
        return isNumeric(a) ? T.float : bad("a number", a);
      case "DECIMAL": {
        if (!isNumeric(a)) return bad("a number", a);
        if (b && b.kind !== "integer") bad("an integer number of places", b, expr.args[1]);
        const places = expr.args[1];
        if (places?.kind === "unary" && places.op === "-") {
          this.report("V410", "DECIMAL() needs zero or more decimal places", places.span);
        }
        return T.decimal;
      }
      default:
        return this.tensorCall(expr, args);
    }
  }

  private tensorCall(expr: ExprOf<"call">, args: VType[]): VType {
    const [a, b] = args as [VType, VType | undefined];
    const needTensor = (t: VType, at: Expr) =>
      this.report("V410", `${expr.callee}() needs a tensor, not ${typeToString(t)}`, at.span);
    switch (expr.callee) {
      case "sqrt":
      case "exp":
        if (a.kind === "float" || a.kind === "tensor") return a;
        return this.report(
          "V410",
          `${expr.callee}() needs a float or a tensor, not ${typeToString(a)}`,
          expr.args[0]!.span,
        );
      case "relu":
      case "softmax":
        return a.kind === "tensor" ? a : needTensor(a, expr.args[0]!);
      case "transpose":
        if (a.kind !== "tensor") return needTensor(a, expr.args[0]!);
        if (a.shape.length !== 2)
          return this.report(
            "V410",
            `transpose() needs a rank-2 tensor, not rank ${a.shape.length}`,
            expr.args[0]!.span,
          );
        return { ...a, shape: [a.shape[1]!, a.shape[0]!] };
      case "sum":
      case "mean":
      case "max":
      case "min": {
        if (a.kind !== "tensor") return needTensor(a, expr.args[0]!);
        if (!b) return T.float;
        const axisExpr = expr.args[1]!;
        if (b.kind !== "integer")
          return this.report("V410", `${expr.callee}()'s axis must be an integer`, axisExpr.span);
        const axis = axisExpr.kind === "integer" ? Number(axisExpr.text) : undefined;
        if (axis !== undefined && axis >= a.shape.length) {
          return this.report("V410", `axis ${axis} is out of range for a rank-${a.shape.length} tensor`, axisExpr.span);
        }
        const shape = axis === undefined ? a.shape.slice(1).map(() => null) : a.shape.filter((_, i) => i !== axis);
        return shape.length === 0 ? T.float : { ...a, shape };
      }
      case "matmul": {
        const bt = b!;
        if (a.kind !== "tensor") return needTensor(a, expr.args[0]!);
        if (bt.kind !== "tensor") return needTensor(bt, expr.args[1]!);
        if (a.shape.length !== 2 || bt.shape.length !== 2) {
          return this.report(
            "V410",
            `matmul() needs rank-2 tensors, not ranks ${a.shape.length} and ${bt.shape.length}`,
            expr.span,
          );
        }
        if (a.dtype !== bt.dtype)
          return this.report("V410", `matmul() cannot mix ${a.dtype} and ${bt.dtype}`, expr.span);
        if (!dimsCompatible(a.shape[1]!, bt.shape[0]!)) {
          return this.report("V410", `matmul() inner dimensions differ: ${a.shape[1]} and ${bt.shape[0]}`, expr.span);
        }
        return { kind: "tensor", dtype: a.dtype, shape: [a.shape[0]!, bt.shape[1]!] };
      }
      default:
        return T.any;
    }
  }

  private bindElement(expr: AggregateExpr | QuantifierExpr, scope: Scope, insideOld: boolean): Scope {
    const collection = this.check(expr.collection, scope, insideOld);
    let element = elementOf(collection);
    if (!element) {
      this.report(
        "V410",
        `${expr.kind === "quantifier" ? expr.quantifier : expr.fn} needs a collection to range over, not ${typeToString(collection)}`,
        expr.collection.span,
      );
      element = T.any;
    }
    return new Map([...scope, [expr.variable, element]]);
  }

  private aggregate(expr: AggregateExpr, scope: Scope, insideOld: boolean): VType {
    const info = BUILTINS[expr.fn];
    if (!info?.binder) {
      const known = Object.entries(BUILTINS)
        .filter(([, i]) => i?.binder)
        .map(([n]) => n);
      this.report(
        "V402",
        `'${expr.fn}(x IN c: e)' is not a known aggregate; use one of ${known.join(", ")}`,
        expr.calleeSpan,
      );
    }
    const body = this.check(expr.body, this.bindElement(expr, scope, insideOld), insideOld);
    if (body.kind === "any") return expr.fn === "COUNT" ? T.integer : T.any;
    if (expr.fn === "COUNT") {
      if (body.kind !== "boolean")
        this.report(
          "V412",
          `COUNT(x IN c: condition) needs a boolean condition, not ${typeToString(body)}`,
          expr.body.span,
        );
      return T.integer;
    }
    if (expr.fn === "SUM" && !isNumeric(body)) {
      return this.report("V410", `SUM(x IN c: e) needs a numeric e, not ${typeToString(body)}`, expr.body.span);
    }
    return body;
  }

  private quantifier(expr: QuantifierExpr, scope: Scope, insideOld: boolean): VType {
    const body = this.check(expr.body, this.bindElement(expr, scope, insideOld), insideOld);
    if (body.kind !== "boolean" && body.kind !== "any") {
      this.report(
        "V412",
        `${expr.quantifier} needs a boolean condition after ':', not ${typeToString(body)}`,
        expr.body.span,
      );
    }
    return T.boolean;
  }
}

/** "an integer", "a decimal": a type name with its article, for messages. */
function aType(t: VType): string {
  return withArticle(typeToString(t));
}

const VERBS: Record<string, string> = {
  "+": "add",
  "-": "subtract",
  "*": "multiply",
  "/": "divide",
  "%": "take the remainder of",
};

/** A decimal written as a literal (`0.5`, `-1.5`) may stand in for a float. */
function isDecimalLiteral(e: Expr): boolean {
  return e.kind === "decimal" || (e.kind === "unary" && e.op === "-" && isDecimalLiteral(e.operand));
}

type NumericResult = VType | "mixed-decimal-float" | undefined;

function numericResult(leftExpr: Expr, left: VType, rightExpr: Expr, right: VType): NumericResult {
  if (!isNumeric(left) || !isNumeric(right)) return undefined;
  if (left.kind === right.kind) return left;
  if (left.kind === "integer") return right;
  if (right.kind === "integer") return left;
  // decimal with float: allowed only for a literal on the decimal side.
  const decimalSideIsLiteral = left.kind === "decimal" ? isDecimalLiteral(leftExpr) : isDecimalLiteral(rightExpr);
  return decimalSideIsLiteral ? T.float : "mixed-decimal-float";
}

function comparableForEquality(expr: ExprOf<"binary">, left: VType, right: VType): boolean {
  if (left.kind === "any" || right.kind === "any" || left.kind === "null" || right.kind === "null") return true;
  if (isNumeric(left) && isNumeric(right))
    return numericResult(expr.left, left, expr.right, right) !== "mixed-decimal-float";
  if ((left.kind === "enum" && right.kind === "string") || (left.kind === "string" && right.kind === "enum"))
    return true;
  return isAssignable(left, right) || isAssignable(right, left);
}

function orderable(expr: ExprOf<"binary">, left: VType, right: VType): boolean {
  if (left.kind === "any" || right.kind === "any") return true;
  if (isNumeric(left) && isNumeric(right))
    return numericResult(expr.left, left, expr.right, right) !== "mixed-decimal-float";
  return left.kind === right.kind && (left.kind === "string" || left.kind === "timestamp");
}

/** The common type of two values in one list or one MIN/MAX call, if there is one. */
function join(a: VType, b: VType): VType | undefined {
  if (a.kind === "any" || b.kind === "null") return a;
  if (b.kind === "any" || a.kind === "null") return b;
  if (isAssignable(a, b)) return b;
  if (isAssignable(b, a)) return a;
  return undefined;
}

/** NumPy broadcasting over trailing dimensions; a symbolic size matches anything. */
function broadcast(a: Dim[], b: Dim[]): Dim[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 1; i <= rank; i++) {
    const x = i <= a.length ? a[a.length - i]! : 1;
    const y = i <= b.length ? b[b.length - i]! : 1;
    if (x === 1) out.unshift(y);
    else if (y === 1) out.unshift(x);
    else if (dimsCompatible(x, y)) out.unshift(typeof x === "number" ? x : y);
    else return undefined;
  }
  return out;
}
