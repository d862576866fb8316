import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { Decimal } from "../../src/values/decimal.js";
import { VRecord, type Value } from "../../src/values/values.js";
import { anyDecimal as anyDecimalOf, moneyDecimal } from "../helpers/decimal-arbitraries.js";
import { context, inputs, node, plain, runAll } from "../helpers/runtimes.js";

// The plain run's entry walk (codegen-entry.ts V<n>) reads from each record of an
// array input only the fields something reads (shadows.ts): the node by name, a
// field's own constraint, the record's constraints by slot. A field that only its
// constraint reads (tag), one that only the record's constraint reads (w) and one
// nothing reads (note) must leave the answers and failures the reference's.

const p = node(
  `
node_id: shadow.fields@1.0.0
type: function
types:
  Line:
    fields:
      tag: {type: string, constraints: ["LEN(tag) >= 2"]}
      w: integer
      note: {type: string, required: false}
      q: decimal
    constraints:
      - "w * 2 <= 50"
inputs:
  items: {type: "array<Line>"}
outputs:
  success: {total: decimal, zeros: integer}
flow:
  - step: sum
    op: compute
    set:
      total: "SUM(i IN items: i.q)"
      zeros: "COUNT(i IN items: i.q == 0)"
  - step: done
    op: return
    output: success
    values: {total: total, zeros: zeros}
`,
  "shadow-fields.vsp",
);

const anyDecimal = anyDecimalOf(moneyDecimal(-(10n ** 9n), 10n ** 9n));
const line = fc
  .record({
    tag: fc.constantFrom("", "a", "ab", "abc"),
    w: fc.bigInt({ min: -5n, max: 30n }),
    note: fc.option(fc.constantFrom("x", "note"), { freq: 2 }),
    q: anyDecimal,
  })
  .map(({ tag, w, note, q }) => {
    const fields = new Map<string, Value>([
      ["tag", tag],
      ["w", w],
      ["q", q],
    ]);
    if (note !== null) fields.set("note", note);
    return new VRecord("Line", fields) as Value;
  });

describe("record shadows read only the fields something reads", () => {
  it("give the reference's answers and failures", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 0, maxLength: 4 }), async (items) => {
        const runs = await runAll(p, inputs({ items }));
        const want = plain(runs.reference);
        expect(plain(runs.generated)).toEqual(want);
        expect(plain(runs.closures)).toEqual(want);
        const f = want.failure as { contract?: { name: string } } | null;
        seen.add(`${want.status}:${f?.contract?.name ?? ""}`);
      }),
      { numRuns: 300 },
    );
    expect([...seen]).toEqual(
      expect.arrayContaining(["success:", "contract_violation:LEN(tag) >= 2", "contract_violation:Line: w * 2 <= 50"]),
    );
  });

  it("the plain run's entry walk does not read a field nothing reads", async () => {
    const direct = new DirectRuntime({ hotThreshold: 0 });
    const items = [
      new VRecord(
        "Line",
        new Map<string, Value>([
          ["tag", "ab"],
          ["w", 3n],
          ["note", "x"],
          ["q", new Decimal("0.00")],
        ]),
      ),
    ];
    const r = plain(await direct.run(p, inputs({ items }), context(p)));
    expect(r.status, JSON.stringify(r)).toBe("success");
    const walk = direct.cached(p)!.source!.match(/function V\d+\(v, m\) \{[\s\S]*?\n\}/)![0];
    expect(walk).toContain('f.get("tag")');
    expect(walk).toContain('f.get("w")');
    expect(walk).not.toContain('f.get("note")');
  });
});
