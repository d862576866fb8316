import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wholeNumber } from "../../commands/common-flags.js";

// A whole-number flag with no upper bound of its own takes every whole number up to
// the largest safe integer; past it the error states the range it was outside
// (never "of at least 0", which a huge number is).

const MAX = Number.MAX_SAFE_INTEGER;

describe("wholeNumber without a max", () => {
  it("takes 0..2^53-1 exactly and refuses larger digits by naming that range", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), (b) => {
        const text = String(b);
        if (b <= BigInt(MAX)) expect(wholeNumber(text, "--keep-days", { min: 0 })).toBe(Number(b));
        else
          expect(() => wholeNumber(text, "--keep-days", { min: 0 })).toThrow(
            `--keep-days must be a whole number from 0 to 9,007,199,254,740,991, not '${text}'`,
          );
      }),
    );
  });

  it("still says 'of at least' for a value below the minimum or not a number", () => {
    expect(() => wholeNumber("0", "--limit", { min: 1 })).toThrow(
      "--limit must be a whole number of at least 1, not '0'",
    );
    expect(() => wholeNumber("NaN", "--limit", { min: 1 })).toThrow(
      "--limit must be a whole number of at least 1, not 'NaN'",
    );
    expect(() => wholeNumber("-1", "--limit", { min: 1 })).toThrow(
      "--limit must be a whole number of at least 1, not '-1'",
    );
  });
});
