import { BINARY_PRECEDENCE, NEGATE_PRECEDENCE, NOT_PRECEDENCE, type Expr } from "./ast.js";

// Prints an expression back to source text with the fewest parentheses that keep
// its meaning: parseExpression(printExpression(e)) yields e again (spans aside).

const POSTFIX_PRECEDENCE = 8;
/** A quantifier's body runs to the end of the text, so it is always bracketed when nested. */
const QUANTIFIER_PRECEDENCE = 0;
const COLLECTION_PRECEDENCE = BINARY_PRECEDENCE["+"];

export function printExpression(expr: Expr): string {
  switch (expr.kind) {
    case "integer":
    case "decimal":
      return expr.text;
    case "string":
      return quoteString(expr.value);
    case "boolean":
      return String(expr.value);
    case "null":
      return "null";
    case "name":
      return expr.name;
    case "list":
      return `[${expr.items.map(printExpression).join(", ")}]`;
    case "member":
      return `${printOperand(expr.object, POSTFIX_PRECEDENCE)}.${expr.property}`;
    case "index":
      return `${printOperand(expr.object, POSTFIX_PRECEDENCE)}[${printExpression(expr.index)}]`;
    case "call":
      return `${expr.callee}(${expr.args.map(printExpression).join(", ")})`;
    case "aggregate":
      return `${expr.fn}(${expr.variable} IN ${printOperand(expr.collection, COLLECTION_PRECEDENCE)}: ${printExpression(expr.body)})`;
    case "quantifier":
      return `${expr.quantifier} ${expr.variable} IN ${printOperand(expr.collection, COLLECTION_PRECEDENCE)}: ${printExpression(expr.body)}`;
    case "unary":
      return expr.op === "NOT"
        ? `NOT ${printOperand(expr.operand, NOT_PRECEDENCE)}`
        : `-${printOperand(expr.operand, NEGATE_PRECEDENCE)}`;
    case "binary": {
      const p = BINARY_PRECEDENCE[expr.op];
      // Left-associative operators keep an equal-precedence left operand bare;
      // comparisons do not chain, so both sides of a comparison need a tighter operand.
      const leftMin = p === BINARY_PRECEDENCE["=="] ? p + 1 : p;
      return `${printOperand(expr.left, leftMin)} ${expr.op} ${printOperand(expr.right, p + 1)}`;
    }
  }
}

function printOperand(expr: Expr, minPrecedence: number): string {
  const text = printExpression(expr);
  return precedenceOf(expr) < minPrecedence ? `(${text})` : text;
}

function precedenceOf(expr: Expr): number {
  switch (expr.kind) {
    case "binary":
      return BINARY_PRECEDENCE[expr.op];
    case "unary":
      return expr.op === "NOT" ? NOT_PRECEDENCE : NEGATE_PRECEDENCE;
    case "quantifier":
      return QUANTIFIER_PRECEDENCE;
    default:
      return POSTFIX_PRECEDENCE;
  }
}

export function quoteString(value: string): string {
  let out = "'";
  for (const ch of value) {
    if (ch === "'" || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch < " " || ch === "\u007f") out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}'`;
}
