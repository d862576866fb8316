import { describe, expect, it } from "vitest";
import { evaluate, EvalError } from "../../../src/expr/evaluate.js";
import { Decimal } from "../../../src/values/decimal.js";
import { formatValue, type Value } from "../../../src/values/values.js";
import { parseOk } from "../../helpers/expr.js";

const run = (text: string, bindings: Record<string, Value> = {}) =>
  evaluate(parseOk(text), { lookup: (n) => bindings[n] });
const show = (text: string, bindings?: Record<string, Value>) => formatValue(run(text, bindings));

describe("decimals are exact where binary floats are not", () => {
  it("0.1 + 0.2 == 0.3 is true (it is false in IEEE 754 doubles)", () => {
    expect(0.1 + 0.2 === 0.3).toBe(false);
    expect(run("0.1 + 0.2 == 0.3")).toBe(true);
    expect(show("0.1 + 0.2")).toBe("0.3");
  });

  it("keeps cents exact through long sums", () => {
    expect(show("SUM(x IN xs: x)", { xs: Array.from({ length: 1000 }, () => new Decimal("0.01")) })).toBe("10");
    expect(show("1.10 * 3")).toBe("3.3");
    expect(show("100.00 - 99.99")).toBe("0.01");
  });

  it("carries 34 significant digits", () => {
    expect(show("1 / 3")).toBe("0.3333333333333333333333333333333333");
    expect(show("12345678901234567890.123456789 + 0.000000001")).toBe("12345678901234567890.12345679");
  });

  it("divides integers exactly into a decimal instead of truncating", () => {
    expect(show("7 / 2")).toBe("3.5");
    expect(show("7 % 2")).toBe("1");
  });

  it("rounds half up by default and by the named mode when asked", () => {
    expect(show("ROUND(2.345, 2)")).toBe("2.35");
    expect(show("ROUND(2.345, 2, 'HALF_EVEN')")).toBe("2.34");
    expect(show("ROUND(-2.5)")).toBe("-3");
    expect(show("ROUND(2.5, 0, 'HALF_EVEN')")).toBe("2");
    expect(show("ROUND(2.349, 1, 'DOWN')")).toBe("2.3");
  });

  it("compares decimals with integers by value, whatever the scale", () => {
    expect(run("2.00 == 2")).toBe(true);
    expect(run("1.50 IN [1.5, 2]")).toBe(true);
  });
});

describe("64-bit integers", () => {
  it("stay exact past 2^53", () => {
    expect(show("9007199254740993 + 1")).toBe("9007199254740994");
  });

  it("report overflow as an error instead of wrapping", () => {
    expect(() => run("9223372036854775807 + 1")).toThrow(EvalError);
    expect(() => run("9223372036854775807 + 1")).toThrow(/integer overflow/);
    expect(() => run("-9223372036854775807 - 2")).toThrow(/integer overflow/);
    expect(show("-9223372036854775807 - 1")).toBe("-9223372036854775808");
  });

  it("report division by zero", () => {
    expect(() => run("1 / 0")).toThrow(/division by zero/);
    expect(() => run("1.5 % 0")).toThrow(/division by zero/);
  });
});
