import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordOf, VRecord, type Value } from "../../src/values/values.js";

// VRecord.get(name) is fields.get(name) for every record and every name: present,
// absent, or repeated in a name list (the last wins, as in the Map the list becomes),
// before and after the Map of a name-list record is built. A name-list record (the
// direct runtime's tool arguments) answers without building its Map, which is what
// get is for: a tool reads a few arguments and most runs never read them all.

const name = fc.constantFrom("amount", "charge_id", "currency", "key", "__proto__", "constructor", "", "a");
const value: fc.Arbitrary<Value> = fc.oneof(fc.string(), fc.bigInt(), fc.boolean(), fc.constant(null));

describe("VRecord.get", () => {
  it("reads what fields.get reads, for any name, from a name list or a Map", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 8 }), fc.array(name), (entries, asked) => {
        const names = entries.map(([n]) => n);
        const values = entries.map(([, v]) => v);
        const listed = recordOf("args", names, values);
        const mapped = new VRecord("args", new Map(entries));
        const want = new Map(entries);
        for (const n of [...names, ...asked]) {
          expect(listed.get(n)).toBe(want.get(n));
          expect(mapped.get(n)).toBe(want.get(n));
        }
        // Reading with get built no Map: the record still holds its list (a structural look at its slots).
        expect((listed as unknown as { _fields: unknown })._fields).toBeUndefined();
        expect([...listed.fields]).toEqual([...want]);
        for (const n of [...names, ...asked]) expect(listed.get(n)).toBe(want.get(n));
      }),
    );
  });
});
