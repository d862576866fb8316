// A plain generated run reads old(e), where e is an input or a field of a record
// input that has a shadow (src/runtime/direct/shadows.ts), from that shadow: inputs
// with shadows are never written, so the shadow is e's scaled form at entry. The
// postconditions' answers must be the reference's on every run path: old() of decimal
// inputs with and without a scale, integers and record fields, in arithmetic and
// comparisons that hold or break by the values drawn (up to 34 digits, past 2^53
// units, -0), and a left-out optional input (R103 where it is read).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { Decimal } from "../../src/values/decimal.js";
import { acctInputs } from "../helpers/acct-inputs.js";
import { disagreements } from "../helpers/every-way-to-run.js";
import { wideDecimal } from "../helpers/decimal-arbitraries.js";
import { context, node } from "../helpers/runtimes.js";

const p = node(
  `
node_id: olds.inputs@1.0.0
type: function
types:
  Acct:
    fields:
      bal: decimal
      cnt: integer
inputs:
  a: decimal
  b: {type: decimal, scale: 2}
  i: integer
  o: {type: decimal, required: false}
  r: Acct
outputs:
  success: {t: decimal, d: {type: decimal, scale: 2}}
contracts:
  postconditions:
    - "output.t == old(a) + old(b) * 2 - old(i) + old(r.bal) - old(r.cnt)"
    - name: drawn
      check: "old(a) - old(b) <= output.d OR old(r.bal) > old(i)"
    - "old(o) + output.t != output.t OR old(a) >= 0 OR old(a) < 0"
flow:
  - step: work
    op: compute
    set:
      t: "a + b * 2 - i + r.bal - r.cnt"
      d: "b - a + r.cnt"
  - step: done
    op: return
    output: success
    values: {t: t, d: d}
`,
  "olds.vsp",
);

const dec = fc.oneof(
  fc.constantFrom("0", "-0", "1.5", "3", "-2").map((s) => new Decimal(s)),
  wideDecimal,
  fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }).map((n) => new Decimal(`${n}e-2`)),
);
const int = fc.oneof(fc.constantFrom(0n, 3n, -2n), fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }));

const inputsOf = (v: { a: Decimal; b: Decimal; i: bigint; o: Decimal | null; bal: Decimal; cnt: bigint }) =>
  acctInputs(p, { a: v.a, b: v.b, i: v.i }, v.o, v);

describe("old() of an input read from its shadow", () => {
  it("gives the reference's postcondition answers on every run path", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ a: dec, b: dec, i: int, o: fc.option(dec, { freq: 4 }), bal: dec, cnt: int }),
        async (v) => {
          expect(await disagreements(p, inputsOf(v))).toEqual({});
        },
      ),
      { numRuns: 300 },
    );
  }, 300_000);

  it("the plain run's postconditions read old() of a shadowed input from the shadow", async () => {
    const direct = new DirectRuntime({ hotThreshold: 0 });
    const v = {
      a: new Decimal("1.5"),
      b: new Decimal("2"),
      i: 1n,
      o: new Decimal("1"),
      bal: new Decimal("3"),
      cnt: 4n,
    };
    const r = await direct.run(p, inputsOf(v), context(p));
    expect(r.status).toBe("success");
    const source = direct.cached(p)?.source ?? "";
    const plainPart = source.slice(source.indexOf("function Q"));
    // Only old(o) is read as the value kept at entry: o has no shadow (nothing but old() reads it).
    expect(plainPart.match(/m\.old\[/g)).toHaveLength(1);
  });
});
