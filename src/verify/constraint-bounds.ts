import type { Expr } from "../expr/ast.js";
import type { SourceExpr } from "../ir/ast.js";
import { Decimal } from "../values/decimal.js";

// What a field's constraints say about its values, read from the simple shapes
// constraints usually take (`amount > 0`, `LEN(key) >= 8`, `v IN ['a', 'b']`,
// conjunctions of those). The generator draws from these bounds so that most
// inputs are admissible; anything this reading does not understand is still
// enforced, because inputs the runtime rejects are discarded and counted.

export interface Bound {
  value: Decimal;
  strict: boolean;
}

export interface Bounds {
  min?: Bound;
  max?: Bound;
  minLength?: number;
  maxLength?: number;
  /** The value must be one of these literals (strings or numbers as text). */
  oneOf?: (string | Decimal)[];
}

/** Pairs of fields one constraint orders, e.g. `refunded <= amount` gives {low: refunded, high: amount}. */
export interface Ordering {
  low: string;
  high: string;
}

type Cmp = "<" | "<=" | ">" | ">=" | "==";
const FLIP: Record<Cmp, Cmp> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==" };

export function boundsOf(name: string, constraints: readonly SourceExpr[]): Bounds {
  const b: Bounds = {};
  for (const c of constraints) if (c.expr) collect(name, c.expr, b);
  return b;
}

function collect(name: string, e: Expr, b: Bounds): void {
  if (e.kind !== "binary") return;
  if (e.op === "AND") {
    collect(name, e.left, b);
    collect(name, e.right, b);
    return;
  }
  if (e.op === "IN" && isName(e.left, name) && e.right.kind === "list") {
    const items = e.right.items.map(literalOf);
    if (items.every((x) => x !== undefined)) b.oneOf = intersect(b.oneOf, items as (string | Decimal)[]);
    return;
  }
  if (!(e.op in FLIP)) return;
  let op = e.op as Cmp;
  let subject = e.left;
  let other = e.right;
  if (literalOf(subject) !== undefined) {
    [subject, other] = [other, subject];
    op = FLIP[op];
  }
  const lit = literalOf(other);
  if (lit === undefined) return;
  if (isName(subject, name)) {
    if (typeof lit === "string") {
      if (op === "==") b.oneOf = intersect(b.oneOf, [lit]);
      return;
    }
    if (op === "==") b.oneOf = intersect(b.oneOf, [lit]);
    if (op === ">" || op === ">=") b.min = tighter(b.min, { value: lit, strict: op === ">" }, 1);
    if (op === "<" || op === "<=") b.max = tighter(b.max, { value: lit, strict: op === "<" }, -1);
    return;
  }
  if (
    subject.kind === "call" &&
    subject.callee === "LEN" &&
    subject.args.length === 1 &&
    isName(subject.args[0]!, name) &&
    typeof lit !== "string"
  ) {
    if (!lit.isInteger()) return;
    const n = lit.toNumber();
    if (op === ">=" || op === "==") b.minLength = Math.max(b.minLength ?? 0, n);
    if (op === ">") b.minLength = Math.max(b.minLength ?? 0, n + 1);
    if (op === "<=" || op === "==") b.maxLength = Math.min(b.maxLength ?? Infinity, n);
    if (op === "<") b.maxLength = Math.min(b.maxLength ?? Infinity, n - 1);
  }
}

/** Comparisons between two fields of one record, for the generator to put in order. */
export function orderingsOf(fields: readonly string[], constraints: readonly SourceExpr[]): Ordering[] {
  const out: Ordering[] = [];
  const visit = (e: Expr): void => {
    if (e.kind !== "binary") return;
    if (e.op === "AND") {
      visit(e.left);
      visit(e.right);
      return;
    }
    if (e.left.kind !== "name" || e.right.kind !== "name") return;
    const [l, r] = [e.left.name, e.right.name];
    if (!fields.includes(l) || !fields.includes(r) || l === r) return;
    if (e.op === "<" || e.op === "<=") out.push({ low: l, high: r });
    if (e.op === ">" || e.op === ">=") out.push({ low: r, high: l });
  };
  for (const c of constraints) if (c.expr) visit(c.expr);
  return out;
}

function isName(e: Expr, name: string): boolean {
  return e.kind === "name" && e.name === name;
}

function literalOf(e: Expr): string | Decimal | undefined {
  if (e.kind === "integer" || e.kind === "decimal") return new Decimal(e.text);
  if (e.kind === "string") return e.value;
  if (e.kind === "unary" && e.op === "-" && (e.operand.kind === "integer" || e.operand.kind === "decimal"))
    return new Decimal(e.operand.text).neg();
  return undefined;
}

/** The tighter of two bounds: `dir` 1 keeps the larger minimum, -1 the smaller maximum. */
function tighter(a: Bound | undefined, b: Bound, dir: 1 | -1): Bound {
  if (!a) return b;
  const c = a.value.cmp(b.value) * dir;
  if (c > 0) return a;
  if (c < 0) return b;
  return { value: a.value, strict: a.strict || b.strict };
}

function intersect(a: (string | Decimal)[] | undefined, b: (string | Decimal)[]): (string | Decimal)[] {
  if (!a) return b;
  const key = (x: string | Decimal) => (typeof x === "string" ? `s:${x}` : `n:${x.toString()}`);
  const keep = new Set(b.map(key));
  return a.filter((x) => keep.has(key(x)));
}
