import fc from "fast-check";
import { ROUNDING_MODES } from "../../src/expr/builtins.js";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { VRecord, type Value } from "../../src/values/values.js";
import { context, inputs, node, plain, runAll } from "../helpers/runtimes.js";
import { anyDecimal as anyDecimalOf, moneyDecimal } from "../helpers/decimal-arbitraries.js";

// A plain generated run reads its inputs once at entry (src/runtime/direct/shadows.ts):
// decimal and integer inputs as scaled values, and each element of an array of
// records as one array of its fields and their scaled forms, made by the entry walk;
// input constraints, record constraints, preconditions and the steps read those, and
// the postconditions read the values the return step had. Whatever the inputs, the
// answer is the reference's: the same output digits and display scales, and on
// failure the same status, contract, message and place, in the same order: a record
// constraint broken in the third element, an input constraint that loops over the
// elements before the walk has made their shadows, a precondition, a missing optional
// field or input met by arithmetic, an element that is not a record, a postcondition
// broken, an empty array whose sum is the integer 0 (the output's conformer path).
// Random scales, signs, magnitudes up to 34 digits, every rounding mode.

const shadows = (mode: string) =>
  node(
    `
node_id: entry.shadows@1.0.0
type: function
types:
  Line:
    fields:
      q: {type: integer, constraints: ["q >= -50"]}
      p: {type: decimal, constraints: ["p > -1000000000000"]}
      d: {type: decimal, required: false}
    constraints:
      - "ROUND(p * q, 2, '${mode}') <= 100000000000000000000.0"
inputs:
  lines:
    type: array<Line>
    constraints: ["LEN(lines) <= 5", "COUNT(l IN lines: l.p * 3 == l.p) <= 2"]
  rate: {type: decimal, constraints: ["rate * rate < 1000000000000000000000000.0"]}
  cap: {type: decimal, scale: 2}
  n: integer
  extra: {type: decimal, required: false}
  flag: boolean
outputs:
  success: {total: {type: decimal, scale: 2}, raw: decimal, cnt: integer, big: {type: decimal, scale: 3}, ex: decimal}
contracts:
  preconditions:
    - "FORALL l IN lines: ROUND(l.p * rate, 2, '${mode}') <= cap + n"
  postconditions:
    - "output.total == t"
    - name: raw_within_cap
      check: "output.raw - output.total <= cap * 1000"
    - "output.cnt == LEN(lines) AND output.big == output.raw * n"
flow:
  - step: sums
    op: compute
    set:
      t: "SUM(l IN lines: ROUND(l.p * l.q * rate, 2, '${mode}'))"
      r: "SUM(l IN lines: l.p) + n - cap"
      k: "COUNT(l IN lines: l.q > n)"
  - step: maybe
    op: branch
    if: "flag"
    then:
      - step: from_optionals
        op: compute
        set:
          r: "SUM(l IN lines: l.d * rate) + extra"
  - step: done
    op: return
    output: success
    values: {total: t, raw: r, cnt: "COUNT(lines)", big: "r * n", ex: "k * rate"}
`,
    `shadows-${mode}.vsp`,
  );

const nodes = new Map(ROUNDING_MODES.map((m) => [m, shadows(m)]));

const anyDecimal = anyDecimalOf(moneyDecimal(-(10n ** 8n), 10n ** 9n), 4);
const line: fc.Arbitrary<Value> = fc.oneof(
  {
    arbitrary: fc
      .record({ q: fc.bigInt({ min: -60n, max: 200n }), p: anyDecimal, d: fc.option(anyDecimal, { freq: 3 }) })
      .map(({ q, p, d }) => {
        const fields = new Map<string, Value>([
          ["q", q],
          ["p", p],
        ]);
        if (d !== null) fields.set("d", d);
        return new VRecord("Line", fields);
      }),
    weight: 30,
  },
  { arbitrary: fc.constant(null), weight: 1 },
);

describe("inputs read once at entry give the reference's answers", () => {
  it("records, scalars, optionals, every failing contract and postconditions on returned values agree", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUNDING_MODES),
        fc.array(line, { maxLength: 6 }),
        anyDecimal,
        anyDecimal,
        fc.bigInt({ min: -(2n ** 20n), max: 2n ** 40n }),
        fc.option(anyDecimal, { freq: 3 }),
        fc.boolean(),
        async (mode, lines, rate, cap, n, extra, flag) => {
          const p = nodes.get(mode)!;
          const runs = await runAll(p, inputs({ lines, rate, cap, n, extra, flag }));
          const want = plain(runs.reference);
          expect(plain(runs.generated)).toEqual(want);
          expect(plain(runs.closures)).toEqual(want);
          const f = want.failure as { contract?: { kind: string }; code?: string } | null;
          seen.add(`${want.status}:${f?.contract?.kind ?? f?.code ?? ""}`);
        },
      ),
      { numRuns: 500 },
    );
    // The inputs reach every outcome, so each path above was compared.
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        "success:",
        "contract_violation:input constraint",
        "contract_violation:precondition",
        "contract_violation:postcondition",
        "runtime_error:R103",
      ]),
    );
  });

  it("the plain run is the one that reads them once", async () => {
    const p = nodes.get("HALF_EVEN")!;
    const direct = new DirectRuntime({ hotThreshold: 0 });
    const line = (q: bigint, price: string) =>
      new VRecord(
        "Line",
        new Map<string, Value>([
          ["q", q],
          ["p", new Decimal(price)],
        ]),
      );
    const args = inputs({
      lines: [line(2n, "1.255"), line(3n, "0.10")],
      rate: new Decimal("1.5"),
      cap: new Decimal("10"),
      n: 1n,
      extra: null,
      flag: false,
    });
    const result = plain(await direct.run(p, args, context(p)));
    const source = direct.cached(p)!.source!;
    expect(source).toContain("O.sh(");
    expect(source).toMatch(/hx\[\d+\]/);
    expect(source).toMatch(/function Q\d+\(m, s, at/);
    // t = ROUND(1.255 × 2 × 1.5 = 3.765) + ROUND(0.10 × 3 × 1.5 = 0.45) = 3.76 + 0.45 (half-even).
    expect(result).toMatchObject({ status: "success", output: { total: "4.21", cnt: 2 } });
  });
});
