// The expression tree produced by the grammar (grammar.peggy). Spans are offsets
// inside the expression string; src/ir maps them back to file:line:col.

export interface Span {
  start: number;
  end: number;
}

export type BinaryOp =
  | "OR"
  | "AND"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "IN"
  | "NOT IN"
  | "CONTAINS"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

export type Expr =
  | { kind: "integer"; text: string; span: Span }
  | { kind: "decimal"; text: string; span: Span }
  | { kind: "string"; value: string; span: Span }
  | { kind: "boolean"; value: boolean; span: Span }
  | { kind: "null"; span: Span }
  | { kind: "list"; items: Expr[]; span: Span }
  | { kind: "name"; name: string; span: Span }
  | { kind: "member"; object: Expr; property: string; propertySpan: Span; span: Span }
  | { kind: "index"; object: Expr; index: Expr; span: Span }
  | { kind: "unary"; op: "NOT" | "-"; operand: Expr; span: Span }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: "call"; callee: string; calleeSpan: Span; args: Expr[]; span: Span }
  | AggregateExpr
  | QuantifierExpr;

/** `SUM(i IN items: i.price)`: a built-in folded over a collection with a bound variable. */
export interface AggregateExpr {
  kind: "aggregate";
  fn: string;
  calleeSpan: Span;
  variable: string;
  variableSpan: Span;
  collection: Expr;
  body: Expr;
  span: Span;
}

/** `FORALL x IN c: e` and `EXISTS x IN c: e`. */
export interface QuantifierExpr {
  kind: "quantifier";
  quantifier: "FORALL" | "EXISTS";
  variable: string;
  variableSpan: Span;
  collection: Expr;
  body: Expr;
  span: Span;
}

export type ExprKind = Expr["kind"];
export type ExprOf<K extends ExprKind> = Extract<Expr, { kind: K }>;

/** Binding power of each binary operator: higher binds tighter (mirrors grammar.peggy). */
export const BINARY_PRECEDENCE: Record<BinaryOp, number> = {
  OR: 1,
  AND: 2,
  "==": 4,
  "!=": 4,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  IN: 4,
  "NOT IN": 4,
  CONTAINS: 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};
/** Precedence of prefix NOT (between AND and comparisons) and prefix minus (above `*`). */
export const NOT_PRECEDENCE = 3;
export const NEGATE_PRECEDENCE = 7;
