import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import { withDisplayScale } from "../../src/values/display-scale.js";
import { toJson } from "../../src/values/json.js";
import { formatValue, keyOf, recordOf, VRecord, VSet, type Value } from "../../src/values/values.js";
import { compareValues } from "../../src/exec/comparator.js";
import { valueJson } from "../../src/trace/step-codec.js";
import { decodeValue, encodeValue } from "../../src/trace/value-codec.js";

// The direct runtime's generated outputs are records made by recordOf (a name list
// shared by the type, an array of values; the Map made on the first read of
// `fields`). Every reader must see exactly the record the constructor makes from the
// same entries: its fields in order, its key (equality, hashing, set membership),
// its text, its JSON, the recorder's encoding and fast JSON, the comparator (no
// difference either way), and a structural comparison (toEqual, toStrictEqual)
// before and after the fields are read.

const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 8 }), fc.nat(4))
    .map(([m, k, scale]) => withDisplayScale(new Decimal(`${m}e-${k}`), scale)),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
);

/** Field names are identifiers (a node's field names are; the store's codec keeps identifier keys in order). */
const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/);

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    scalar,
    fc.array(tie("v"), { maxLength: 3 }),
    fc
      .uniqueArray(fc.tuple(name, tie("v")), {
        selector: ([k]) => k,
        maxLength: 3,
      })
      .map((entries) =>
        recordOf(
          "Inner",
          entries.map(([k]) => k),
          entries.map(([, v]) => v),
        ),
      ),
  ),
})).v;

const entries = fc.uniqueArray(fc.tuple(name, value), {
  selector: ([k]) => k,
  maxLength: 6,
});

/** The same entries as a recordOf record and a constructed one (inner records are recordOf in both). */
function both(typeName: string, es: [string, Value][]): [VRecord, VRecord] {
  const names = es.map(([k]) => k);
  return [
    recordOf(
      typeName,
      names,
      es.map(([, v]) => v),
    ),
    new VRecord(typeName, new Map(es)),
  ];
}

describe("a record made of a name list and values reads as the record made from a Map", () => {
  it("fields, key, text, JSON, the recorder's encoding and the comparator agree", () => {
    fc.assert(
      fc.property(entries, (es) => {
        const [lazy, made] = both("outputs.success", es);
        expect(keyOf(lazy)).toBe(keyOf(made));
        expect(formatValue(lazy)).toBe(formatValue(made));
        expect(toJson(lazy)).toEqual(toJson(made));
        expect(valueJson(lazy)).toBe(valueJson(made));
        expect(encodeValue(lazy)).toEqual(encodeValue(made));
        expect(keyOf(decodeValue(encodeValue(lazy)))).toBe(keyOf(made));
        expect(new VSet([lazy]).has(made)).toBe(true);
        const diffs: unknown[] = [];
        compareValues(made, lazy, "output", { tolerance: 1e-6, noisy: [] } as never, diffs as never);
        compareValues(lazy, made, "output", { tolerance: 1e-6, noisy: [] } as never, diffs as never);
        expect(diffs).toEqual([]);
        expect([...lazy.fields]).toEqual(es);
      }),
      { numRuns: 300 },
    );
  });

  it("structural comparison sees the contents, before and after the fields are read", () => {
    fc.assert(
      fc.property(entries, entries, (es, other) => {
        const [a] = both("T", es);
        const [b] = both("T", es);
        const [c, madeC] = both("T", other);
        expect(a).toEqual(b);
        expect(a).toStrictEqual(b);
        const same =
          keyOf(
            recordOf(
              "T",
              es.map(([k]) => k),
              es.map(([, v]) => v),
            ),
          ) === keyOf(c);
        if (!same) expect(a).not.toEqual(c);
        void a.fields;
        void c.fields;
        // Once read, it is the constructed record itself, down to its own properties.
        expect(c).toStrictEqual(madeC);
        if (!same) expect(a).not.toEqual(c);
      }),
      { numRuns: 200 },
    );
  });
});
