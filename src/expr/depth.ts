import type { Expr } from "./ast.js";

// How deeply an expression may nest, and the check that enforces it. Every pass
// over an expression (parser, checker, evaluator, the direct runtime's lowering and
// code generation, the printer) recurses once per level, so a bound on nesting is
// what keeps a hostile or generated expression from overflowing the stack: past the
// limit the expression is refused with V405 at the place it gets too deep.
//
// The depth counts parentheses, list brackets, prefix operators (NOT, unary -),
// calls and aggregates, and operands of operator chains: `a + b + c` is left-nested,
// so a chain of n operators is n levels deep.

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
 * The first operator, call, list or binder (in source order) that nests deeper than the
 * limit, found without recursion. Each of them is one level; a name or a literal is
 * not, so 200 prefix operators, calls or chained operators around a name are allowed,
 * as 200 parentheses around it are.
 */
export function tooDeep(root: Expr): Expr | undefined {
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, depth] = stack.pop()!;
    const kids = children(e);
    if (kids.length > 0 && depth > MAX_EXPRESSION_DEPTH) return e;
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, depth + 1]);
  }
  return undefined;
}
