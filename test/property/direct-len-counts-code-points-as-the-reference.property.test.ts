import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codePoints, len } from "../../src/runtime/direct/ops.js";

// The direct runtime's LEN of a string counts code points without splitting the
// string (ops.ts codePoints): the count spreading the string gives, which is the
// reference's, for any UTF-16 text: surrogate pairs count once, lone surrogates
// (either half, at either end) once each.

const span = { start: 0, end: 0 };
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom("\ud800", "\udbff", "\udc00", "\udfff", "😀", "a"),
);

describe("LEN of a string in the direct runtime", () => {
  it("counts code points as spreading the string does", () => {
    fc.assert(
      fc.property(
        fc.array(unit, { maxLength: 12 }).map((us) => us.join("")),
        (s) => {
          expect(codePoints(s)).toBe([...s].length);
          expect(len(s, span)).toBe(BigInt([...s].length));
        },
      ),
      { numRuns: 2000 },
    );
    expect(codePoints("😀x\ud800")).toBe(3);
  });
});
