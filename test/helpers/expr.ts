import type { Expr } from "../../src/expr/ast.js";
import { parseExpression } from "../../src/expr/parse.js";

/** Parses or fails the test with the parser's message. */
export function parseOk(text: string): Expr {
  const r = parseExpression(text);
  if (!r.ok) throw new Error(`expected '${text}' to parse: ${r.problem.message}`);
  return r.expr;
}

/** Fully parenthesized rendering: shows exactly how the parser grouped an expression. */
export function grouping(e: Expr): string {
  switch (e.kind) {
    case "binary":
      return `(${grouping(e.left)} ${e.op} ${grouping(e.right)})`;
    case "unary":
      return e.op === "NOT" ? `(NOT ${grouping(e.operand)})` : `(-${grouping(e.operand)})`;
    case "member":
      return `${grouping(e.object)}.${e.property}`;
    case "index":
      return `${grouping(e.object)}[${grouping(e.index)}]`;
    case "call":
      return `${e.callee}(${e.args.map(grouping).join(", ")})`;
    case "aggregate":
      return `${e.fn}(${e.variable} IN ${grouping(e.collection)}: ${grouping(e.body)})`;
    case "quantifier":
      return `(${e.quantifier} ${e.variable} IN ${grouping(e.collection)}: ${grouping(e.body)})`;
    case "list":
      return `[${e.items.map(grouping).join(", ")}]`;
    case "name":
      return e.name;
    case "string":
      return JSON.stringify(e.value);
    case "null":
      return "null";
    case "boolean":
      return String(e.value);
    default:
      return e.text;
  }
}

/** The tree without positions, for comparing what two texts mean. */
export function withoutSpans(e: unknown): unknown {
  return JSON.parse(
    JSON.stringify(e, (k, v) =>
      k === "span" || k === "propertySpan" || k === "calleeSpan" || k === "variableSpan" ? undefined : v,
    ),
  );
}
