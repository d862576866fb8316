import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareValues, floatError, tensorError } from "../../src/exec/comparator.js";
import { toJson } from "../../src/values/json.js";
import { Tensor, type Value } from "../../src/values/values.js";

// The divergence comparator and JSON are exact about NaN and the infinities: a
// relative error against an infinity is NaN (∞/∞), which would pass every
// tolerance, so non-finite values must match exactly — NaN with NaN, Infinity with
// Infinity — and anything else diverges; and JSON, which has no non-finite numbers,
// spells them "NaN", "Infinity", "-Infinity" instead of null.

const SPECIAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const floats = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...SPECIAL));
const sameSpecial = (x: number, y: number) => (Number.isNaN(x) ? Number.isNaN(y) : x === y);

function diverges(e: Value, a: Value, tolerance = 1e-6): boolean {
  const out: { reason: string }[] = [];
  compareValues(e, a, "output.x", { tolerance, noisy: [] }, out as never);
  return out.length > 0;
}

describe("non-finite floats in the comparator and in JSON", () => {
  it("a scalar pair with a non-finite side diverges unless both are the same special value", () => {
    fc.assert(
      fc.property(floats, floats, (x, y) => {
        if (Number.isFinite(x) && Number.isFinite(y)) return;
        expect(diverges(x, y, 1)).toBe(!sameSpecial(x, y));
        expect(floatError(x, y)).toBe(sameSpecial(x, y) ? 0 : Number.POSITIVE_INFINITY);
      }),
    );
  });

  it("a tensor diverges at the first element whose non-finite value differs, whatever the tolerance", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(floats, floats), { minLength: 1, maxLength: 8 }), (pairs) => {
        const e = new Tensor([pairs.length], Float64Array.from(pairs.map(([x]) => x)));
        const a = new Tensor([pairs.length], Float64Array.from(pairs.map(([, y]) => y)));
        const mismatch = pairs.some(([x, y]) => !(Number.isFinite(x) && Number.isFinite(y)) && !sameSpecial(x, y));
        if (mismatch) {
          expect(diverges(e, a, 1e300)).toBe(true);
          expect(tensorError(e, a)).toBe(Number.POSITIVE_INFINITY);
        } else expect(Number.isNaN(tensorError(e, a))).toBe(false);
      }),
    );
  });

  it("JSON spells non-finite floats as strings, alone and inside tensors", () => {
    fc.assert(
      fc.property(fc.array(floats, { minLength: 1, maxLength: 6 }), (xs) => {
        const spelled = xs.map((x) => (Number.isFinite(x) ? x : String(x)));
        expect(toJson(new Tensor([xs.length], Float64Array.from(xs)))).toEqual(spelled);
        expect(xs.map((x) => toJson(x))).toEqual(spelled);
        // JSON text keeps no negative zero: -0 reads back as 0, as JSON.stringify writes it.
        const read = spelled.map((x) => (Object.is(x, -0) ? 0 : x));
        expect(JSON.parse(JSON.stringify(toJson(new Tensor([xs.length], Float64Array.from(xs)))))).toEqual(read);
      }),
    );
  });
});
