// docs/vesper-ir.md 9.8, "Decimals": plain notation unless the exponent is 40 or
// more, or −40 or less (then exponent form); a declared scale pads a value with fewer
// places to exactly that many, in plain notation; a value with more places prints as
// it is (printing never rounds).
import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/values/decimal.js";
import { decimalText, withDisplayScale } from "../../../src/values/display-scale.js";

describe("decimals print as the IR doc says", () => {
  it.each([
    ["0.0001", "0.0001"],
    ["1250.50", "1250.5"],
    ["9.99e39", `999${"0".repeat(37)}`],
    ["1e40", "1e+40"],
    ["1e-39", `0.${"0".repeat(38)}1`],
    ["1e-40", "1e-40"],
    ["-1.5e-41", "-1.5e-41"],
  ])("%s without a scale prints %s", (text, want) => {
    expect(decimalText(new Decimal(text))).toBe(want);
  });

  it.each([
    ["3.2", 2, "3.20"],
    ["1e40", 2, `1${"0".repeat(40)}.00`],
    ["1.5e-41", 2, "1.5e-41"],
    ["2.675", 2, "2.675"],
  ])("%s at scale %i prints %s", (text, scale, want) => {
    expect(decimalText(withDisplayScale(new Decimal(text), scale))).toBe(want);
  });
});
