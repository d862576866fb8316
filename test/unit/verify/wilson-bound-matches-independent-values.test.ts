import { describe, expect, it } from "vitest";
import { wilsonLowerBound } from "../../../src/verify/wilson.js";

// Expected values computed independently with Python's decimal module at 50
// significant digits from the textbook formula (z = 3.29):
//   (p + z²/2n − z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n),  p = k/n
const TABLE: [k: number, n: number, bound: number][] = [
  [100, 100, 0.90233081071716351],
  [0, 100, 0],
  [1, 100, 0.00078510862219750443],
  [50, 100, 0.34373964891659457],
  [95, 100, 0.82498722917239909],
  [205, 205, 0.94984758421325515],
  [206, 206, 0.95007888883200714],
  [500, 1000, 0.44825979937381901],
  [999, 1000, 0.98739168639531754],
  [1000, 1000, 0.98929180655665016],
  [9990, 10000, 0.99728945316958811],
  [9999, 10000, 0.99872682246425168],
  [10000, 10000, 0.99891876034461538],
  [10812, 10812, 0.99899988211025254],
  [10813, 10813, 0.99899997450993314],
  [108230, 108230, 0.999899999837492],
  [108231, 108231, 0.99990000076135081],
  [123456, 123457, 0.99989676958365122],
  [1000000, 1000000, 0.99998917601715987],
];

describe("Wilson lower bound (z = 3.29)", () => {
  it.each(TABLE)("k = %i of n = %i", (k, n, bound) => {
    expect(Math.abs(wilsonLowerBound(k, n) - bound)).toBeLessThan(1e-9);
  });

  it("is 0 below the minimum sample size, even with perfect agreement", () => {
    expect(wilsonLowerBound(99, 99)).toBe(0);
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(40, 50, { minSamples: 100 })).toBe(0);
  });

  it("a smaller minimum sample size lets small counts through", () => {
    // 10/10 with z = 3.29: 10 / (10 + 10.8241), computed by hand.
    expect(Math.abs(wilsonLowerBound(10, 10, { minSamples: 10 }) - 10 / (10 + 3.29 * 3.29))).toBeLessThan(1e-12);
  });

  it("rejects counts that cannot be counts", () => {
    expect(() => wilsonLowerBound(101, 100)).toThrow(RangeError);
    expect(() => wilsonLowerBound(-1, 100)).toThrow(RangeError);
    expect(() => wilsonLowerBound(1.5, 100)).toThrow(RangeError);
  });
});
