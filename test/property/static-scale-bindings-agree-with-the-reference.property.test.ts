import fc from "fast-check";
import { ROUNDING_MODES } from "../../src/expr/builtins.js";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { context, inputs, node, plain, runAll } from "../helpers/runtimes.js";
import { anyDecimal as anyDecimalOf, moneyDecimal } from "../helpers/decimal-arbitraries.js";

// A plain generated run holds a decimal binding whose scale the compiler knows (a
// ROUND, constants, sums and products of those: src/runtime/direct/static-scales.ts)
// as a number of units (scaled-units.ts). Whatever such a binding meets, the answer
// is the reference's, digit for digit and at the same display scale, failures
// included: constants of different scales across branch arms, a SUM of rounded
// products (the integer 0 when empty), arithmetic with inputs whose scale may exceed
// the binding's, values that leave the number range, comparisons and sign tests, a copy
// into a binding that holds no units, reads that need the Decimal (MIN, a call of a
// function on it), returns into fields with and without a scale, an output that needs
// its conformer (an integer where a decimal is declared), and postconditions on the
// returned values; over random scales, signs, magnitudes up to 34 digits and every
// rounding mode.

const units = (mode: string) =>
  node(
    `
node_id: static.scales@1.0.0
type: function
inputs:
  a: decimal
  b: {type: decimal, scale: 2}
  i: integer
  ds: array<decimal>
outputs:
  success: {t: {type: decimal, scale: 2}, r: decimal, d: {type: decimal, scale: 2}, x: decimal, p: {type: decimal, scale: 4}, c: boolean, mn: decimal, cp: decimal, n: decimal}
contracts:
  postconditions:
    - "output.x == output.t - output.d + b"
    - "output.d >= 0 OR output.t < 0 OR output.p != 0"
flow:
  - step: sums
    op: compute
    set:
      t: "SUM(v IN ds: ROUND(v * a, 2, '${mode}'))"
      n: "SUM(v IN ds: ROUND(v, 3, '${mode}'))"
  - step: pick
    op: branch
    if: "t > 0"
    then:
      - step: big
        op: compute
        set:
          r: "0.10"
    else:
      - step: small
        op: compute
        set:
          r: "0.005"
  - step: apply
    op: compute
    set:
      d: "ROUND(t * r, 2, '${mode}')"
      x: "t - d + b"
      p: "d * r - ROUND(a, 1, '${mode}') * 3"
      c: "p < x OR d == 0 OR x * r > t"
      cp: "x"
      mn: "MIN(d, i)"
  - step: done
    op: return
    output: success
    values: {t: t, r: r, d: d, x: x, p: p, c: c, mn: mn, cp: cp, n: n}
`,
    `units-${mode}.vsp`,
  );

const nodes = new Map(ROUNDING_MODES.map((m) => [m, units(m)]));

const anyDecimal = anyDecimalOf(moneyDecimal(-(10n ** 12n), 10n ** 12n), 3);

describe("decimal bindings of a known scale held as numbers give the reference's answers", () => {
  it("sums, constants across arms, mixed scales, comparisons, Decimal reads, outputs and postconditions agree", async () => {
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

  it("the plain run holds them as numbers of units, and a hot runtime gives the same answer run after run", async () => {
    const p = nodes.get("HALF_EVEN")!;
    const direct = new DirectRuntime({ hotThreshold: 0 });
    const args = inputs({ a: new Decimal("2.5"), b: new Decimal("1.1"), i: 1n, ds: [new Decimal("3.333")] });
    const first = plain(await direct.run(p, args, context(p)));
    const source = direct.cached(p)?.source ?? "";
    expect(source).toContain("O.mulRoundU(");
    expect(source).toContain("let acc = 0;");
    const again = plain(await direct.run(p, args, context(p)));
    expect(again).toEqual(first);
    // t = ROUND(3.333 × 2.5 = 8.3325, 2) = 8.33 > 0, so r = 0.10, d = ROUND(0.833, 2) = 0.83, x = 8.33 − 0.83 + 1.1.
    expect(first.output).toMatchObject({ t: "8.33", d: "0.83", x: "8.6", r: "0.1", n: "3.333" });
  });
});
