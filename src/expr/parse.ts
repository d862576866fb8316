import type { Expr } from "./ast.js";
import type { ExprProblem } from "./problem.js";
import { parse as peggyParse, SyntaxError as PeggySyntaxError, type Expectation } from "./generated/parser.js";

export type ParseResult = { ok: true; expr: Expr } | { ok: false; problem: ExprProblem };

/** Parses one expression. Never throws on bad input: a syntax error comes back as a problem. */
export function parseExpression(text: string): ParseResult {
  try {
    return { ok: true, expr: peggyParse(text) as Expr };
  } catch (err) {
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

/** Turns peggy's long list of alternatives into a short phrase a person can act on. */
function summarizeExpected(expected: Expectation[]): string {
  const names = new Set<string>();
  for (const e of expected) {
    if (e.type === "literal") names.add(`'${e.text}'`);
    else if (e.type === "other") names.add(e.description);
    else if (e.type === "end") names.add("end of expression");
  }
  const hasOperators = [...names].some((n) => /^'[-+*/%<>=!]/.test(n));
  const list = [...names].filter((n) => !(hasOperators && /^'[-+*/%<>=!]/.test(n)) && n !== "whitespace");
  if (hasOperators) list.push("an operator");
  if (list.length === 0) return "something else";
  if (list.length > 6) return `${list.slice(0, 6).join(", ")} or more`;
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
}
