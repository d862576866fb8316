import type { Expr } from "./ast.js";

// How deeply an expression may nest, and the check that enforces it. Every pass
// over an expression (parser, checker, evaluator, the direct runtime's lowering and
// code generation, the printer) recurses once per level, so a bound on nesting is
// what keeps a hostile or generated expression from overflowing the stack: past the
// limit the expression is refused with V405 at the place it gets too deep.
//
// The depth counts parentheses, list brackets, prefix operators (NOT, unary -),
// calls and aggregates, and operands of operator chains: `a + b + c` is left-nested,
// so a chain of n operators is n levels deep. All of them add up along one path (the
// parentheses around a chain count with its operators); a name or literal is no level.

export const MAX_EXPRESSION_DEPTH = 200;

export const TOO_DEEP = `the expression nests more than ${MAX_EXPRESSION_DEPTH} levels deep (parentheses, brackets, prefix operators, calls or a chain of operators); split it into several bindings`;

/**
 * Where the text's own nesting passes the limit, before anything parses it: the
 * offset of the bracket or prefix operator that goes one level too deep. Brackets
 * and runs of prefix operators (NOT, -) count; string literals are skipped.
 */
export function lexicalDepthOffset(text: string): number | undefined {
  let depth = 0;
  /** Prefix operators since the last operand began: they nest like brackets. */
  let prefixes = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      i = skipString(text, i);
      prefixes = 0;
    } else if (ch === "(" || ch === "[") {
      depth++;
      if (depth + prefixes > MAX_EXPRESSION_DEPTH) return i;
    } else if (ch === ")" || ch === "]") {
      depth--;
      prefixes = 0;
    } else if (ch === "-" || (ch === "N" && text.startsWith("NOT", i) && !/[A-Za-z0-9_]/.test(text[i + 3] ?? ""))) {
      prefixes++;
      if (depth + prefixes > MAX_EXPRESSION_DEPTH) return i;
      if (ch === "N") i += 2;
    } else if (!/\s/.test(ch)) {
      prefixes = 0;
      // Skip the rest of a name or number, so NOT inside 'NOTE' is not an operator.
      while (i + 1 < text.length && /[A-Za-z0-9_.]/.test(text[i + 1]!)) i++;
    }
  }
  return undefined;
}

function skipString(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

/** The direct sub-expressions of `e`. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case "list":
      return e.items;
    case "member":
      return [e.object];
    case "index":
      return [e.object, e.index];
    case "unary":
      return [e.operand];
    case "binary":
      return [e.left, e.right];
    case "call":
      return e.args;
    case "aggregate":
    case "quantifier":
      return [e.collection, e.body];
    default:
      return [];
  }
}

/**
 * The first sub-expression (in source order) that nests deeper than the limit, found
 * without recursion. Each operator, call, list or binder is one level, and so is each
 * pair of parentheses around a sub-expression (a parenthesized expression's span
 * includes its parentheses: `text` is what was parsed); a name or a literal is not a
 * level, so 200 of any construct around a name are allowed, and 150 parentheses around
 * a chain of 100 operators are 250 levels.
 */
export function tooDeep(root: Expr, text = ""): Expr | undefined {
  const closer = closingParens(text);
  const stack: [Expr, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [e, outer] = stack.pop()!;
    const kids = children(e);
    const depth = outer + groupings(e, text, closer) + (kids.length > 0 ? 1 : 0);
    if (depth > MAX_EXPRESSION_DEPTH) return e;
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, depth]);
  }
  return undefined;
}

/** For each `(` of the text outside string literals, the offset of its `)`. */
function closingParens(text: string): Map<number, number> {
  const out = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') i = skipString(text, i);
    else if (ch === "(") open.push(i);
    else if (ch === ")" && open.length > 0) out.set(open.pop()!, i);
  }
  return out;
}

/** How many pairs of parentheses wrap the whole of `e` (its span starts and ends with them). */
function groupings(e: Expr, text: string, closer: Map<number, number>): number {
  let start = e.span.start;
  let end = e.span.end - 1;
  let n = 0;
  while (start < end && text[start] === "(" && closer.get(start) === end) {
    n++;
    start++;
    end--;
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end]!)) end--;
  }
  return n;
}
