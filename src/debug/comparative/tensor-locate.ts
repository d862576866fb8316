import { floatError, L2Norm, tensorError } from "../../exec/comparator.js";
import type { Tensor } from "../../values/values.js";

// Divergence localisation inside a tensor: the element that differs most (by
// absolute difference, so an element near zero with a large relative error does
// not hide a real fault), its index, both values, its relative error, and the
// error norms of the whole tensor, so an engine bug is pinned to an op.

export interface TensorLocation {
  /** Index of the worst element, one number per axis. */
  index: number[];
  expected: number;
  actual: number;
  relativeError: number;
  /** ‖a − b‖₂ */
  errorNorm: number;
  /** ‖a − b‖₂ / ‖b‖₂, the figure compared with the node's tolerance. */
  relativeNorm: number;
  /** Elements whose own relative error exceeds the tolerance. */
  elementsOver: number;
  size: number;
}

export function locateInTensor(expected: Tensor, actual: Tensor, tolerance: number): TensorLocation | undefined {
  if (expected.size !== actual.size || expected.size === 0) return undefined;
  let worst = 0;
  let worstDiff = -1;
  const errorNorm = new L2Norm();
  let over = 0;
  for (let i = 0; i < expected.size; i++) {
    const e = expected.data[i]!;
    const a = actual.data[i]!;
    // Equal non-finite values (NaN and NaN, Infinity and Infinity) do not differ; any other non-finite pair differs infinitely.
    const same = Number.isNaN(e) ? Number.isNaN(a) : e === a;
    const d = same ? 0 : Number.isFinite(e) && Number.isFinite(a) ? Math.abs(a - e) : Number.POSITIVE_INFINITY;
    if (d > worstDiff) {
      worstDiff = d;
      worst = i;
    }
    if (Number.isFinite(d)) errorNorm.add(d);
    if (floatError(e, a) > tolerance) over++;
  }
  return {
    index: unflatten(worst, expected.shape),
    expected: expected.data[worst]!,
    actual: actual.data[worst]!,
    relativeError: floatError(expected.data[worst]!, actual.data[worst]!),
    errorNorm: errorNorm.value,
    relativeNorm: tensorError(expected, actual),
    elementsOver: over,
    size: expected.size,
  };
}

/** Row-major flat index → one index per axis. */
export function unflatten(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const d = shape[axis]!;
    index[axis] = d === 0 ? 0 : flat % d;
    flat = d === 0 ? 0 : Math.floor(flat / d);
  }
  return index;
}
