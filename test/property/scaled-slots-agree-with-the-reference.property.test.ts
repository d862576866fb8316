import fc from "fast-check";
import { ROUNDING_MODES } from "../../src/expr/builtins.js";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { context, inputs, node, plain, runAll } from "../helpers/runtimes.js";
import { anyDecimal as anyDecimalOf, moneyDecimal } from "../helpers/decimal-arbitraries.js";

// A plain generated run (nobody observes it) keeps decimal bindings as scaled
// integers from the step that computes them to the steps that read them
// (src/runtime/direct/scaled-slots.ts). Whatever a binding then meets, the answer is
// the reference's, digit for digit and at the same display scale: more arithmetic
// in a later step and across branch arms, a SUM that is the integer 0 when empty, a
// decimal constant, a binding reassigned with a value that is not scaled (division),
// reads that need the Decimal itself (MIN, a copy into another binding, a return
// into fields with and without a scale), postconditions reading them, and an input
// returned unchanged; over random scales, signs, magnitudes up to 34
// digits and every rounding mode.

const across = (mode: string) =>
  node(
    `
node_id: scaled.slots@1.0.0
type: function
inputs:
  a: decimal
  b: {type: decimal, scale: 3}
  i: integer
  ds: array<decimal>
outputs:
  success: {t: {type: decimal, scale: 2}, u: decimal, w: {type: decimal, scale: 4}, e: decimal, mn: decimal, c: boolean, k: decimal, bb: decimal, r: decimal}
contracts:
  postconditions:
    - "output.w == output.u - k"
    - "output.e == t AND output.r == -u"
flow:
  - step: one
    op: compute
    set:
      t: "SUM(x IN ds: ROUND(x * a, 2, '${mode}'))"
      z: "a * b - i"
      k: "1.25"
  - step: two
    op: branch
    if: "z > t"
    then:
      - step: three
        op: compute
        set:
          u: "t * 2 + z"
          k: "a / 3"
    else:
      - step: four
        op: compute
        set:
          u: "ROUND(z - t, 1, '${mode}')"
  - step: five
    op: compute
    set:
      w: "u - k"
      mn: "MIN(u, z, i)"
      c: "u == z OR k < t"
      e: "t"
      r: "-u"
  - step: done
    op: return
    output: success
    values: {t: t, u: u, w: w, e: e, mn: mn, c: c, k: k, bb: b, r: r}
`,
    `slots-${mode}.vsp`,
  );

const nodes = new Map(ROUNDING_MODES.map((m) => [m, across(m)]));

const anyDecimal = anyDecimalOf(moneyDecimal(-(10n ** 12n), 10n ** 12n));

describe("decimal bindings kept scaled across steps give the reference's answers", () => {
  it("arithmetic across steps and arms, empty sums, reassignments, Decimal reads and postconditions agree", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUNDING_MODES),
        anyDecimal,
        anyDecimal,
        fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
        fc.array(anyDecimal, { maxLength: 3 }),
        async (mode, a, b, i, ds) => {
          const p = nodes.get(mode)!;
          const runs = await runAll(p, inputs({ a, b, i, ds }));
          const want = plain(runs.reference);
          expect(plain(runs.closures)).toEqual(want);
          expect(plain(runs.generated)).toEqual(want);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("the plain run is the one that keeps them scaled, and a hot runtime reuses it run after run", async () => {
    const p = nodes.get("HALF_EVEN")!;
    const direct = new DirectRuntime({ hotThreshold: 0 });
    const args = inputs({ a: new Decimal("2.5"), b: new Decimal("1.1"), i: 1n, ds: [new Decimal("3.333")] });
    const first = plain(await direct.run(p, args, context(p)));
    expect(direct.cached(p)?.source).toContain("return n === 0 ? 0n : acc;");
    const again = plain(await direct.run(p, args, context(p)));
    expect(again).toEqual(first);
    // t = ROUND(3.333 × 2.5 = 8.3325, 2) = 8.33; z = 1.75 is not above it, so u = ROUND(1.75 − 8.33, 1) = −6.6 and w = u − 1.25.
    expect(first.output).toMatchObject({ t: "8.33", w: "-7.8500", bb: "1.1" });
  });
});
