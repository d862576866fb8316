import fc from "fast-check";
import { describe, it } from "vitest";
import type { Span } from "../../src/expr/ast.js";
import { Float32Engine } from "../../src/engine/float32-engine.js";
import { arith, arithK, at, at2, cmp, cmpK } from "../../src/runtime/direct/ops.js";
import { Decimal } from "../../src/values/decimal.js";
import type { Value } from "../../src/values/values.js";
import { anyFloat, expectSameBits, outcome, tensorOf } from "../helpers/float32-tensors.js";

// The shortcuts the direct compiler emits around tensors give exactly what the general
// operations they stand for give, errors (code, message, place) included:
//   at2(t, i, j)         is at(at(t, i), j)   (t[i][j] with j a literal)
//   cmpK(a, Number(k), k) is cmp(a, k)        (a float compared with a number literal)
//   arithK(op, a, Number(k), k) is arith(op, a, k)
// for any operand: tensors of every rank, floats, integers, decimals, strings, null.

const span = (n: number): Span => ({ line: n, column: n, offset: n, length: 1 }) as unknown as Span;
const E = new Float32Engine();

const value: fc.Arbitrary<Value> = fc.oneof(
  anyFloat,
  fc.bigInt({ min: -5n, max: 5n }),
  fc.double({ min: -10, max: 10, noNaN: true }).map((v) => new Decimal(v.toFixed(3))),
  fc.constantFrom<Value>(null, "x", true),
  fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }).chain((s) => tensorOf(s)),
);
const literal = fc.oneof(
  fc.bigInt({ min: -3n, max: 3n }),
  fc.double({ min: -100, max: 100, noNaN: true }).map((v) => new Decimal(v.toPrecision(6))),
  fc.constantFrom(new Decimal("0.000001"), new Decimal("1.0"), new Decimal("-0")),
);

/** The same answer, or the same error: class, code, message and span. */
function same(got: () => unknown, want: () => unknown): void {
  const g = outcome(got);
  const w = outcome(want);
  const where = (f: () => unknown) => {
    try {
      f();
      return undefined;
    } catch (e) {
      return JSON.stringify([(e as { code?: string }).code, (e as { span?: unknown }).span]);
    }
  };
  expectSameBits(g, w);
  expectSameBits(where(got), where(want));
}

describe("the direct runtime's shortcuts around tensors give the general operation's answer", () => {
  it("at2(t, i, j) is at(at(t, i), j)", () => {
    fc.assert(
      fc.property(
        value,
        fc.oneof(fc.bigInt({ min: -1n, max: 4n }), value),
        fc.bigInt({ min: -1n, max: 4n }),
        (t, i, j) => {
          same(
            () => at2(t, i, j, span(1), span(2), span(3), span(4)),
            () => at(at(t, i, span(1), span(2)), j, span(3), span(4)),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("cmpK(a, Number(k), k) is cmp(a, k)", () => {
    fc.assert(
      fc.property(value, literal, (a, k) => {
        same(
          () => cmpK(a, Number(k), k, span(1)),
          () => cmp(a, k, span(1)),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("arithK(op, a, Number(k), k) is arith(op, a, k)", () => {
    fc.assert(
      fc.property(fc.constantFrom("+", "-", "*", "/", "%"), value, literal, (op, a, k) => {
        same(
          () => arithK(op, a, Number(k), k, span(1), E),
          () => arith(op, a, k, span(1), E),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
