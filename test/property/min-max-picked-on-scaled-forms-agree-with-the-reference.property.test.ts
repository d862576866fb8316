// A plain generated run picks a MIN or MAX binding whose operands all have scaled
// forms (src/runtime/direct/codegen-extreme.ts) by comparing those forms, and keeps
// the winner's scaled form for later arithmetic. The answer must be the reference's
// on every run path: the winner is the operand itself (its digits, display scale,
// sign of zero and kind: an integer stays an integer), ties go to the first operand,
// a null operand is R103 at the MIN, and arithmetic, outputs with and without a
// scale and postconditions that read the binding agree. Over random MIN/MAX of 2–4
// operands of mixed kinds (decimal inputs with and without a scale, integers, record
// fields, a ROUND held as units, a product held scaled, constants), with ties, -0,
// values past 2^53 units and up to 34 digits, and a left-out optional input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { Decimal } from "../../src/values/decimal.js";
import { decimalText } from "../../src/values/display-scale.js";
import type { VRecord } from "../../src/values/values.js";
import { acctInputs } from "../helpers/acct-inputs.js";
import { answerOf, disagreements } from "../helpers/every-way-to-run.js";
import { wideDecimal } from "../helpers/decimal-arbitraries.js";
import { context, node } from "../helpers/runtimes.js";

const OPERANDS = ["a", "b", "i", "j", "o", "r.bal", "r.cnt", "ro", "sc", "1.50", "-0.0", "3", "9007199254740993"];

const pick = fc.record({
  fn: fc.constantFrom("MIN", "MAX"),
  items: fc.array(fc.constantFrom(...OPERANDS), { minLength: 2, maxLength: 4 }),
});
const text = (p: { fn: string; items: string[] }) => `${p.fn}(${p.items.join(", ")})`;

const nodeOf = (m1: string, m2: string, m3: string) =>
  node(
    `
node_id: picks.extreme@1.0.0
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
  j: integer
  o: {type: decimal, required: false}
  r: Acct
outputs:
  success: {m1: decimal, m2: {type: decimal, scale: 2}, m3: decimal, t: decimal, u: decimal}
contracts:
  postconditions:
    - "output.t == output.m1 + output.m2 - m3"
    - "output.u == output.m1 * 2 + r.bal"
flow:
  - step: prep
    op: compute
    set:
      ro: "ROUND(a * 3, 2)"
      sc: "a * b"
  - step: pick
    op: compute
    set:
      m1: ${JSON.stringify(m1)}
      m2: ${JSON.stringify(m2)}
      m3: ${JSON.stringify(m3)}
  - step: after
    op: compute
    set:
      t: "m1 + m2 - m3"
      u: "m1 * 2 + r.bal"
      w: "a + b + i + j + r.bal + r.cnt + o"
  - step: done
    op: return
    output: success
    values: {m1: m1, m2: m2, m3: m3, t: t, u: u}
`,
    "picks.vsp",
  );

/** Decimals that tie often (1.5 against 1.50 at scale 2, 0 against -0), and wide ones. */
const dec = fc.oneof(
  fc.constantFrom("0", "-0", "1.5", "3", "2").map((s) => new Decimal(s)),
  wideDecimal,
  fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }).map((n) => new Decimal(`${n}e-2`)),
);
const int = fc.oneof(fc.constantFrom(0n, 3n, 2n), fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }));

const inputsOf = (
  p: ReturnType<typeof nodeOf>,
  v: { a: Decimal; b: Decimal; i: bigint; j: bigint; o: Decimal | null; bal: Decimal; cnt: bigint },
) => acctInputs(p, { a: v.a, b: v.b, i: v.i, j: v.j }, v.o, v);

describe("MIN and MAX picked on scaled forms", () => {
  it("give the reference's winner on every run path: digits, display scale, -0, kind, ties, nulls", async () => {
    await fc.assert(
      fc.asyncProperty(
        pick,
        pick,
        pick,
        fc.record({ a: dec, b: dec, i: int, j: int, o: fc.option(dec, { freq: 4 }), bal: dec, cnt: int }),
        async (p1, p2, p3, v) => {
          const p = nodeOf(text(p1), text(p2), text(p3));
          expect(await disagreements(p, inputsOf(p, v))).toEqual({});
        },
      ),
      { numRuns: 150 },
    );
  }, 300_000);

  it("the plain run picks on the scaled forms and reads the kept form, and answers the same run after run", async () => {
    const p = nodeOf("MIN(b, a)", "MAX(r.bal, b, i)", "MIN(a, b)");
    const direct = new DirectRuntime({ hotThreshold: 0 });
    const v = {
      a: new Decimal("1.5"),
      b: new Decimal("1.5"),
      i: 1n,
      j: 2n,
      o: new Decimal("1"),
      bal: new Decimal("-0"),
      cnt: 4n,
    };
    const first = await direct.run(p, inputsOf(p, v), context(p));
    const source = direct.cached(p)?.source ?? "";
    expect(source).toContain("O.isU(x0, -1) && O.isU(x1, -1)");
    expect(source).toContain("O.cmpU(x2, -1, b, bk) > 0");
    // The first operand wins each tie: b at its display scale for m1 (a decimal with no scale), a for m3.
    expect(first.status).toBe("success");
    const out = first.output as VRecord;
    expect(decimalText(out.fields.get("m1") as Decimal)).toBe("1.50");
    expect(decimalText(out.fields.get("m3") as Decimal)).toBe("1.5");
    const again = await direct.run(p, inputsOf(p, v), context(p));
    expect(answerOf(again)).toEqual(answerOf(first));
  });
});
