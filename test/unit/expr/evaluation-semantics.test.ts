import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/expr/evaluate.js";
import { Decimal } from "../../../src/values/decimal.js";
import { Tensor, VMap, VRecord, VSet, formatValue, type Value } from "../../../src/values/values.js";
import { parseOk } from "../../helpers/expr.js";

const run = (text: string, bindings: Record<string, Value> = {}) =>
  evaluate(parseOk(text), { lookup: (n) => bindings[n] });

const item = (price: string, qty: bigint) =>
  new VRecord(
    "LineItem",
    new Map<string, Value>([
      ["price", new Decimal(price)],
      ["qty", qty],
    ]),
  );

describe("collections, quantifiers and aggregates", () => {
  const items = [item("9.99", 2n), item("0.01", 3n), item("5", 1n)];

  it("folds SUM, COUNT, MIN and MAX over a binder", () => {
    expect(formatValue(run("SUM(i IN items: i.price * i.qty)", { items }))).toBe("25.01");
    expect(run("COUNT(i IN items: i.qty > 1)", { items })).toBe(2n);
    expect(formatValue(run("MIN(i IN items: i.price)", { items }))).toBe("0.01");
    expect(formatValue(run("MAX(2, 7.5, 3)"))).toBe("7.5");
  });

  it("LEN and COUNT of a string count code points, not UTF-16 units", () => {
    expect(run("LEN(s)", { s: "a\u{1F600}b" })).toBe(3n);
    expect(run("COUNT(s)", { s: "" })).toBe(0n);
    expect(run("LEN(s) >= 3", { s: "\u{1F600}\u{1F600}" })).toBe(false);
    expect(() => run("LEN(n)", { n: 5n })).toThrow(/expected a collection, got 5/);
  });

  it("FORALL is true over an empty collection and EXISTS false", () => {
    expect(run("FORALL x IN []: x > 0")).toBe(true);
    expect(run("EXISTS x IN []: x > 0")).toBe(false);
    expect(run("FORALL i IN items: i.qty >= 1", { items })).toBe(true);
    expect(run("EXISTS i IN items: i.price > 9", { items })).toBe(true);
  });

  it("answers IN and CONTAINS for lists, sets, map keys and strings", () => {
    expect(run("'b' IN s", { s: new VSet(["a", "b"]) })).toBe(true);
    expect(run("m CONTAINS 'k'", { m: new VMap([["k", 1n]]) })).toBe(true);
    expect(run("'ell' IN 'hello'")).toBe(true);
    expect(run("3 NOT IN [1, 2]")).toBe(true);
  });

  it("short-circuits AND and OR so a guard can protect what follows", () => {
    expect(run("LEN(xs) > 0 AND xs[0] == 1", { xs: [] })).toBe(false);
    expect(run("LEN(xs) == 0 OR xs[0] == 1", { xs: [] })).toBe(true);
  });

  it("reports a missing index, key or empty MIN as an error", () => {
    expect(() => run("xs[3]", { xs: [1n] })).toThrow(/out of range/);
    expect(() => run("m['z']", { m: new VMap([["k", 1n]]) })).toThrow(/not in the map/);
    expect(() => run("MIN(xs)", { xs: [] })).toThrow(/empty/);
  });
});

describe("float64 tensor kernels", () => {
  const t = (shape: number[], data: number[]) => new Tensor(shape, Float64Array.from(data));

  it("computes matmul, relu and softmax", () => {
    const out = run("softmax(relu(matmul(x, w)))", { x: t([1, 2], [1, -2]), w: t([2, 2], [1, 0, 0, 1]) }) as Tensor;
    expect(out.shape).toEqual([1, 2]);
    expect(out.data[0]).toBeCloseTo(Math.E / (Math.E + 1), 12);
    expect(out.data[0]! + out.data[1]!).toBeCloseTo(1, 12);
  });

  it("broadcasts scalars and rows, and reduces over an axis", () => {
    const x = t([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(Array.from((run("x - mean(x)", { x }) as Tensor).data)).toEqual([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]);
    expect(Array.from((run("x + b", { x, b: t([3], [10, 20, 30]) }) as Tensor).data)).toEqual([11, 22, 33, 14, 25, 36]);
    expect(Array.from((run("sum(x, 0)", { x }) as Tensor).data)).toEqual([5, 7, 9]);
    expect(run("mean(x)", { x })).toBe(3.5);
  });

  it("rejects shapes that do not line up", () => {
    expect(() => run("matmul(a, a)", { a: t([2, 3], [1, 2, 3, 4, 5, 6]) })).toThrow(/inner dimensions/);
    expect(() => run("a + b", { a: t([2], [1, 2]), b: t([3], [1, 2, 3]) })).toThrow(/broadcast/);
  });
});
