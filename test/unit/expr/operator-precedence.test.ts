import { describe, expect, it } from "vitest";
import { parseExpression } from "../../../src/expr/parse.js";
import { grouping, parseOk } from "../../helpers/expr.js";

const g = (text: string) => grouping(parseOk(text));

describe("operator precedence, loosest to tightest: OR < AND < NOT < comparison < + - < * / % < unary - < postfix", () => {
  it.each([
    ["a OR b AND c", "(a OR (b AND c))"],
    ["a AND b OR c", "((a AND b) OR c)"],
    ["NOT a AND b", "((NOT a) AND b)"],
    ["NOT a OR b", "((NOT a) OR b)"],
    ["NOT a == b", "(NOT (a == b))"],
    ["a == b AND c != d", "((a == b) AND (c != d))"],
    ["a < b OR c >= d", "((a < b) OR (c >= d))"],
    ["a + b < c * d", "((a + b) < (c * d))"],
    ["a + b * c", "(a + (b * c))"],
    ["a * b + c", "((a * b) + c)"],
    ["a - b / c", "(a - (b / c))"],
    ["a % b - c", "((a % b) - c)"],
    ["-a * b", "((-a) * b)"],
    ["-a.b", "(-a.b)"],
    ["-a[0]", "(-a[0])"],
    ["a.b[1].c", "a.b[1].c"],
    ["x IN xs AND y", "((x IN xs) AND y)"],
    ["x NOT IN xs OR y", "((x NOT IN xs) OR y)"],
    ["xs CONTAINS x + 1", "(xs CONTAINS (x + 1))"],
    ["a + b IN c", "((a + b) IN c)"],
    ["(a OR b) AND c", "((a OR b) AND c)"],
    ["(a + b) * c", "((a + b) * c)"],
    ["f(a, b + c)", "f(a, (b + c))"],
    ["FORALL x IN xs: x > 0 AND x < 10", "(FORALL x IN xs: ((x > 0) AND (x < 10)))"],
    ["a AND FORALL x IN xs: x > 0", "(a AND (FORALL x IN xs: (x > 0)))"],
    ["EXISTS x IN a + b: x == 1 OR c", "(EXISTS x IN (a + b): ((x == 1) OR c))"],
    ["SUM(i IN items: i.price * i.qty) > 100", "(SUM(i IN items: (i.price * i.qty)) > 100)"],
  ])("%s groups as %s", (text, expected) => {
    expect(g(text)).toBe(expected);
  });
});

describe("associativity", () => {
  it.each([
    ["a OR b OR c", "((a OR b) OR c)"],
    ["a AND b AND c", "((a AND b) AND c)"],
    ["a + b + c", "((a + b) + c)"],
    ["a - b - c", "((a - b) - c)"],
    ["a - b + c", "((a - b) + c)"],
    ["a * b * c", "((a * b) * c)"],
    ["a / b / c", "((a / b) / c)"],
    ["a / b * c", "((a / b) * c)"],
    ["a % b % c", "((a % b) % c)"],
    ["NOT NOT a", "(NOT (NOT a))"],
    ["--a", "(-(-a))"],
    ["- - a", "(-(-a))"],
  ])("%s groups as %s (binary operators are left-associative, prefix operators right)", (text, expected) => {
    expect(g(text)).toBe(expected);
  });

  it.each(["a < b < c", "a == b == c", "a != b >= c", "x IN a IN b", "a CONTAINS b CONTAINS c"])(
    "comparisons do not chain: '%s' is a syntax error that says how to write it",
    (text) => {
      const r = parseExpression(text);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.problem.code).toBe("V400");
      expect(r.problem.message).toContain("cannot be chained");
    },
  );
});

describe("literals", () => {
  it("tells integers from decimals and keeps their exact text", () => {
    expect(parseOk("42")).toMatchObject({ kind: "integer", text: "42" });
    expect(parseOk("0.1")).toMatchObject({ kind: "decimal", text: "0.1" });
    expect(parseOk("1e-6")).toMatchObject({ kind: "decimal", text: "1e-6" });
    expect(parseOk("123456789012345678901234567890.000000001")).toMatchObject({
      kind: "decimal",
      text: "123456789012345678901234567890.000000001",
    });
  });

  it("reads strings in either quote with escapes", () => {
    expect(parseOk(`'it\\'s'`)).toMatchObject({ kind: "string", value: "it's" });
    expect(parseOk(`"a\\"b\\n"`)).toMatchObject({ kind: "string", value: 'a"b\n' });
    expect(parseOk(`'\\u00e9'`)).toMatchObject({ kind: "string", value: "é" });
  });

  it("reads booleans, null and lists", () => {
    expect(parseOk("true")).toMatchObject({ kind: "boolean", value: true });
    expect(parseOk("null")).toMatchObject({ kind: "null" });
    expect(grouping(parseOk("[1, 2 + 3, []]"))).toBe("[1, (2 + 3), []]");
  });

  it("does not take keywords as names but allows names that start with one", () => {
    expect(parseOk("ANDROID + INDEX")).toMatchObject({ kind: "binary", op: "+" });
    expect(parseExpression("AND + 1").ok).toBe(false);
    expect(parseExpression("true_value").ok).toBe(true);
  });
});

describe("syntax errors point at the fault", () => {
  it.each([
    ["amount >", 8, "unexpected end of expression"],
    ["a..b", 2, "unexpected '.'"],
    ["f(1, 2", 6, "unexpected end of expression"],
    ["'unterminated", 0, "unterminated string"],
    ["1 +", 3, "expected an expression"],
    ["(a + b", 6, "expected an operator or ')'"],
    ["a $ b", 2, "unexpected '$'"],
    ["'a\\qb'", 2, "unknown escape '\\q'"],
  ])("'%s' fails at offset %i with %s", (text, offset, message) => {
    const r = parseExpression(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.span.start).toBe(offset);
    expect(r.problem.message).toContain(message);
  });
});
