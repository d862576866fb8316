// verification.tolerance as docs/vesper-ir.md 8.2 states it: a relative error, |a − e| / |e|
// against the reference's value e, allowed up to and including the tolerance; for floats and
// tensors only (a tensor's error is ‖a − e‖ / ‖e‖ in the L2 norm, not element by element);
// integers and decimals compare exactly whatever the tolerance; a difference of at most 1e-12
// always agrees and |e| below 1e-12 counts as 1e-12; the default is 1e-6.
import { describe, expect, it } from "vitest";
import { compareResults } from "../../../src/exec/comparator.js";
import type { RunResult } from "../../../src/runtime/protocol.js";
import { Decimal } from "../../../src/values/decimal.js";
import { Tensor, type Value, VRecord } from "../../../src/values/values.js";

const out = (x: Value): RunResult => ({
  status: "success",
  output: new VRecord("outputs.success", new Map([["x", x]])),
  steps: 1,
});
const agree = (e: Value, a: Value, tolerance?: number) =>
  compareResults(out(e), out(a), tolerance === undefined ? {} : { tolerance }).length === 0;
const t = (...xs: number[]) => new Tensor([xs.length], Float64Array.from(xs));

describe("verification.tolerance", () => {
  it("is relative to the reference's value and allows a difference exactly at it", () => {
    expect(agree(4, 5, 0.25)).toBe(true); // |5 − 4| / 4 = 0.25
    expect(agree(4, 5.01, 0.25)).toBe(false);
    expect(agree(5, 4, 0.25)).toBe(true); // 1 / 5 = 0.2: relative to the reference (expected) side
    expect(agree(5, 6.25, 0.25)).toBe(true);
    expect(agree(2, 3, 0.5)).toBe(true);
  });

  it("defaults to 1e-6", () => {
    expect(agree(1, 1 + 5e-7)).toBe(true);
    expect(agree(1, 1 + 2e-6)).toBe(false);
  });

  it("does not apply to integers or decimals, which compare exactly", () => {
    expect(agree(100n, 101n, 0.5)).toBe(false);
    expect(agree(new Decimal("1.00"), new Decimal("1.01"), 0.5)).toBe(false);
    expect(agree(new Decimal("1.0"), new Decimal("1.00"), 0)).toBe(true); // equal values, scale aside
  });

  it("near zero: a difference of at most 1e-12 agrees, and |e| below 1e-12 counts as 1e-12", () => {
    expect(agree(0, 1e-12, 0)).toBe(true);
    expect(agree(0, 2e-12, 1)).toBe(false); // 2e-12 / 1e-12 = 2
    expect(agree(0, 2e-12, 2)).toBe(true);
  });

  it("for a tensor is the L2 norm of the difference over the reference's norm", () => {
    // Element 0 is 50% off, but ‖[0.5, 0]‖ / ‖[1, 100]‖ ≈ 0.005.
    expect(agree(t(1, 100), t(1.5, 100), 0.01)).toBe(true);
    expect(agree(t(1, 100), t(1.5, 100), 0.001)).toBe(false);
  });
});
