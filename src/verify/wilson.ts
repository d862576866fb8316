// The Wilson score interval's lower bound on a binomial proportion: how low the
// true agreement rate of the two runtimes can plausibly be, given k agreements in
// n comparisons. Unlike the normal approximation it stays inside [0, 1] and is
// honest at k = n (the case that matters: no divergence seen yet), where it is
// n / (n + z²) rather than a meaningless 1.

/** z for a two-sided 99.9% interval: the bound is wrong about 1 time in 1,000. */
export const Z_999 = 3.29;
/** Below this many comparisons the bound is reported as 0: too little evidence to act on. */
export const DEFAULT_MIN_SAMPLES = 100;

export interface WilsonOptions {
  z?: number;
  minSamples?: number;
}

export function wilsonLowerBound(agreements: number, comparisons: number, options: WilsonOptions = {}): number {
  const z = options.z ?? Z_999;
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  if (!Number.isInteger(agreements) || !Number.isInteger(comparisons) || agreements < 0 || agreements > comparisons) {
    throw new RangeError(
      `agreements must be an integer between 0 and comparisons (got ${agreements} of ${comparisons})`,
    );
  }
  if (comparisons === 0 || comparisons < minSamples) return 0;
  const n = comparisons;
  const p = agreements / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 the bound is exactly 0; rounding could leave it a hair below.
  return Math.max(0, (centre - spread) / (1 + z2 / n));
}
