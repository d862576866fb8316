import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsNumber } from "../../src/runtime/direct/js-literal.js";

// Generated code writes a node's finite numbers as literals (jsNumber). Each must read
// back as the very same double, the sign of zero included (String(-0) is "0"), and
// must stay one operand wherever it is placed, e.g. after a minus sign.

const evaluate = (source: string): unknown => new Function(`"use strict"; return ${source};`)();

describe("jsNumber", () => {
  it("writes every finite double so that it reads back as the same double, after any operator", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(Object.is(evaluate(jsNumber(v)), v)).toBe(true);
        // Placed after a unary or binary minus it is still one operand.
        expect(Object.is(evaluate(`-${jsNumber(v)}`), -v)).toBe(true);
        expect(Object.is(evaluate(`1 -${jsNumber(v)}`), 1 - v)).toBe(true);
      }),
      { numRuns: 2000, examples: [[-0], [0], [-1e-320], [Number.MAX_VALUE], [-Number.MIN_VALUE]] },
    );
  });

  it("refuses what is not a finite number, instead of writing text that reads as something else", () => {
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(() => jsNumber(v)).toThrow(RangeError);
  });
});
