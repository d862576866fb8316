import type { Expr } from "./ast.js";
import type { ExprProblem } from "./problem.js";
import { lexicalDepthOffset, TOO_DEEP, tooDeep } from "./depth.js";
import { parse as peggyParse, SyntaxError as PeggySyntaxError, type Expectation } from "./generated/parser.js";

export type ParseResult = { ok: true; expr: Expr } | { ok: false; problem: ExprProblem };

/**
 * Parses one expression. Never throws on bad input: a syntax error comes back as a
 * problem, and so does an expression nested past MAX_EXPRESSION_DEPTH (V405).
 */
export function parseExpression(text: string): ParseResult {
  const at = lexicalDepthOffset(text);
  if (at !== undefined)
    return { ok: false, problem: { code: "V405", message: TOO_DEEP, span: { start: at, end: at + 1 } } };
  try {
    const expr = peggyParse(text) as Expr;
    const deep = tooDeep(expr, text);
    if (deep) return { ok: false, problem: { code: "V405", message: TOO_DEEP, span: deep.span } };
    return { ok: true, expr };
  } catch (err) {
    // The lexical check keeps the parser well inside the stack; this is the last line of defence.
    if (err instanceof RangeError)
      return { ok: false, problem: { code: "V405", message: TOO_DEEP, span: { start: 0, end: text.length } } };
    if (err instanceof PeggySyntaxError) {
      const { start, end } = err.location;
      const span = { start: start.offset, end: Math.max(end.offset, start.offset) };
      return { ok: false, problem: { code: "V400", message: describeSyntaxError(err), span } };
    }
    throw err;
  }
}

function describeSyntaxError(err: PeggySyntaxError): string {
  // Errors raised by the grammar's own actions carry a complete sentence already.
  if (!err.expected || err.expected.length === 0) return err.message;
  const found = err.found == null ? "end of expression" : `'${err.found}'`;
  const wanted = summarizeExpected(err.expected);
  return `unexpected ${found}; expected ${wanted}`;
}

const CLOSERS = new Set([")", "]", ",", ":"]);

/**
 * Turns peggy's long list of alternatives into a short phrase a person can act on:
 * "an expression" when any operand could start here, "an operator" when the text
 * could go on, and closing punctuation by name.
 */
function summarizeExpected(expected: Expectation[]): string {
  let expression = false;
  let operator = false;
  let end = false;
  const closers = new Set<string>();
  for (const e of expected) {
    if (e.type === "other" && ["name", "number", "string"].includes(e.description)) expression = true;
    else if (e.type === "end") end = true;
    else if (e.type === "literal" && CLOSERS.has(e.text)) closers.add(`'${e.text}'`);
    // '-' and '[' also start operands, and wherever they are operators the others are too.
    else if (e.type === "literal" && /^(AND|OR|IN|CONTAINS|==|!=|<=?|>=?|[+*/%.])$/.test(e.text)) operator = true;
  }
  const parts = [
    ...(expression ? ["an expression"] : []),
    ...(operator ? ["an operator"] : []),
    ...closers,
    ...(end ? ["the end of the expression"] : []),
  ];
  if (parts.length === 0) return "something else";
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
}
