import { describe, expect, it } from "vitest";
import { locateInTensor, unflatten } from "../../../../src/debug/comparative/tensor-locate.js";
import { Tensor } from "../../../../src/values/values.js";

// The worst element of a diverging tensor, by index on every axis, with the norms.

const t = (shape: number[], data: number[]) => new Tensor(shape, Float64Array.from(data));

describe("locating a divergence inside a tensor", () => {
  it("finds the element that differs most and its index on each axis", () => {
    const at = locateInTensor(t([2, 3], [1, 2, 3, 4, 5, 6]), t([2, 3], [1, 2, 3, 4, 5.5, 6]), 1e-6)!;
    expect(at.index).toEqual([1, 1]);
    expect(at).toMatchObject({ expected: 5, actual: 5.5, relativeError: 0.1, elementsOver: 1, size: 6 });
    expect(at.errorNorm).toBeCloseTo(0.5);
    expect(at.relativeNorm).toBeCloseTo(0.5 / Math.sqrt(91));
  });

  it("ranks by absolute difference, so a tiny element with a large relative error does not hide the real fault", () => {
    const at = locateInTensor(t([3], [1e-9, 100, 1]), t([3], [3e-9, 90, 1]), 1e-6)!;
    expect(at.index).toEqual([1]);
    // Element 0 has the larger relative error (2.0 against 0.1), and both count as beyond the tolerance.
    expect(at.relativeError).toBeCloseTo(0.1);
    expect(at.elementsOver).toBe(2);
  });

  it("a NaN on one side only is the worst element", () => {
    const at = locateInTensor(t([2, 2], [1, 2, 3, 4]), t([2, 2], [1, 2, Number.NaN, 4]), 1e-6)!;
    expect(at.index).toEqual([1, 0]);
    expect(at.relativeNorm).toBe(Infinity);
  });

  it("row-major flat indices unflatten per axis", () => {
    expect(unflatten(0, [2, 3, 4])).toEqual([0, 0, 0]);
    expect(unflatten(23, [2, 3, 4])).toEqual([1, 2, 3]);
    expect(unflatten(13, [2, 3, 4])).toEqual([1, 0, 1]);
  });
});
