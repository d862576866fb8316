import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_TOLERANCE, tensorError } from "../../src/exec/comparator.js";
import { Tensor } from "../../src/values/values.js";
import { locateInTensor } from "../../src/debug/comparative/tensor-locate.js";

// tensorError (src/exec/comparator.ts) is ‖actual − expected‖ / ‖expected‖ in the L2
// norm, with differences below 1e-12 counted as none: the divergence comparator's test
// of every tensor. It must hold over the whole range of finite doubles, where squares,
// sums and norms overflow or underflow binary64. Near the limit it once gave NaN (√2·M / √2·M) or 0
// (a finite difference over a norm that overflowed) for tensors that differ by half,
// and both pass every tolerance. The oracle: the same formula in decimal.js at 60
// significant digits, whose exponents neither overflow nor underflow.

const Big = Decimal.clone({ precision: 60 });
const FLOOR = new Big("1e-12");

function exactError(expected: number[], actual: number[]): number {
  let diff = new Big(0);
  let norm = new Big(0);
  for (let i = 0; i < expected.length; i++) {
    const x = new Big(expected[i]!);
    diff = diff.plus(x.minus(actual[i]!).pow(2));
    norm = norm.plus(x.pow(2));
  }
  const d = diff.sqrt();
  if (d.lte(FLOOR)) return 0;
  return d.div(Big.max(norm.sqrt(), FLOOR)).toNumber();
}

const M = Number.MAX_VALUE;
/** Finite doubles, weighted toward binary64's limit, where the bug lived. */
const finite = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: M / 4, max: M, noNaN: true }),
  fc.double({ min: -M, max: -M / 4, noNaN: true }),
  fc.constantFrom(0, M, -M),
);
const pairs = fc.array(fc.tuple(finite, finite), { minLength: 1, maxLength: 8 });

describe("tensorError over the whole double range", () => {
  it("is the exact relative L2 error to 1e-12, never NaN, for any finite tensors", () => {
    fc.assert(
      fc.property(pairs, (ps) => {
        const e = ps.map(([x]) => x);
        const a = ps.map(([, y]) => y);
        const got = tensorError(
          new Tensor([ps.length], Float64Array.from(e)),
          new Tensor([ps.length], Float64Array.from(a)),
        );
        const want = exactError(e, a);
        // A difference past binary64's range (> M) is reported as infinite: beyond any tolerance, as it
        // should be, since ‖expected‖ is at most √n·M and so the exact error is at least 1/√n.
        if (got === Number.POSITIVE_INFINITY) expect(want).toBeGreaterThanOrEqual(1 / Math.sqrt(ps.length) - 1e-12);
        else expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
      }),
      { numRuns: 2000 },
    );
  });

  it("the debugger's ‖actual − expected‖ (locateInTensor) is exact too, over every difference binary64 holds", () => {
    fc.assert(
      fc.property(pairs, (ps) => {
        const e = ps.map(([x]) => x);
        const a = ps.map(([, y]) => y);
        let sq = new Big(0);
        for (let i = 0; i < e.length; i++) {
          const d = Math.abs(a[i]! - e[i]!);
          if (Number.isFinite(d)) sq = sq.plus(new Big(d).pow(2));
        }
        const exact = sq.sqrt();
        const got = locateInTensor(
          new Tensor([ps.length], Float64Array.from(e)),
          new Tensor([ps.length], Float64Array.from(a)),
          1e-6,
        )!.errorNorm;
        // Exact to 1e-12 against the exact norm rounded to binary64 (subnormal norms round coarsely, so the comparison
        // is of doubles). At binary64's limit a norm within 1e-12 of M may round to M or overflow to Infinity (seed
        // 1821023649: √(M² + (1.97e300)²) is M·(1 + 6e-17), half an ulp past M); only a norm clearly past M must be
        // Infinity.
        const want = exact.toNumber();
        if (got === Number.POSITIVE_INFINITY) expect(exact.gte(new Big(M).times(1 - 1e-12))).toBe(true);
        else if (want === Number.POSITIVE_INFINITY) {
          expect(exact.lte(new Big(M).times(1 + 1e-12))).toBe(true);
          expect(M - got).toBeLessThanOrEqual(1e-12 * M);
        } else expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * want);
      }),
      {
        numRuns: 1000,
        examples: [
          [
            [
              [0, M],
              [-1.969965099764958e300, 0],
            ],
          ],
          // A subnormal norm (seed of a later CI run): compared as doubles, it rounds as the exact norm does.
          [
            [
              [5e-324, 0],
              [5e-324, 0],
            ],
          ],
        ],
      },
    );
  });

  it("tensors that differ by half near the limit diverge (the cases that passed before)", () => {
    const err = (e: number[], a: number[]) =>
      tensorError(new Tensor([e.length], Float64Array.from(e)), new Tensor([a.length], Float64Array.from(a)));
    expect(err([M, M], [0, 0])).toBeCloseTo(1, 12);
    expect(err([M, 1e308], [M, -1e307])).toBeGreaterThan(DEFAULT_TOLERANCE);
  });
});
