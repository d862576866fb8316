import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { conformer } from "../../src/runtime/direct/conformer.js";
import { conform } from "../../src/values/conform.js";
import { Decimal } from "../../src/values/decimal.js";
import type { TypeTable, VType } from "../../src/values/types.js";
import { formatValue, recordOf, Tensor, VRecord, type Value } from "../../src/values/values.js";

// The direct runtime's compiled conformers (src/runtime/direct/conformer.ts) give
// conform()'s answer for every value: the same conformed value, or the same error
// with the same message. Values are drawn to hit every branch: already in their
// declared representation, needing a conversion, null, missing, wrong, extra
// fields, nested and self-referential records, plain objects from a tool, and
// name-list records (recordOf: a call's arguments, a generated output). A record the
// compiled conformer builds is a name-list record: read through `fields` (as
// formatValue reads it) and through `get`, it is conform()'s record.

const field = (name: string, type: VType, required = true) => ({ name, type, required });
const table: TypeTable = new Map([
  [
    "Out",
    {
      name: "Out",
      fields: new Map(
        [
          field("amount", { kind: "decimal" }),
          field("count", { kind: "integer" }),
          field("code", { kind: "enum", values: ["A", "B"] }),
          field("note", { kind: "string" }, false),
          field("ok", { kind: "boolean" }, false),
          field("rate", { kind: "float" }, false),
          field("tags", { kind: "array", element: { kind: "string" } }, false),
          field("next", { kind: "record", name: "Out" }, false),
          field("weights", { kind: "tensor", dtype: "float32", shape: [null] }, false),
        ].map((f) => [f.name, f]),
      ),
    },
  ],
] as never);
const type: VType = { kind: "record", name: "Out" };

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, "A", "B", "C", "", true, false, 0n, 2n ** 70n, 1.5, Number.NaN, "12.50", "x"),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((m) => new Decimal(`${m}e-2`)),
  fc.constant(new Decimal("7")),
  fc.constant(new Tensor([2], Float32Array.of(0.5, -1))),
  fc.array(fc.constantFrom("a", 1n, null), { maxLength: 3 }),
);

const names = ["amount", "count", "code", "note", "ok", "rate", "tags", "next", "weights", "extra"];
const record: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  record: fc
    .tuple(
      fc.subarray(names),
      fc.array(fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: tie("record") }), {
        minLength: 10,
        maxLength: 10,
      }),
      fc.constantFrom("plain", "map", "name-list"),
    )
    .map(([present, values, how]) => {
      const entries = present.map((n) => [n, values[names.indexOf(n)]] as [string, unknown]);
      if (how === "plain") return Object.fromEntries(entries);
      if (how === "map") return new VRecord("Out", new Map(entries as [string, Value][]));
      return recordOf(
        "Out",
        entries.map(([n]) => n),
        entries.map(([, v]) => v as Value),
      );
    }),
})).record;

/** A record whose required fields conform (the other fields drawn as above): most conform, so the built record is compared. */
const conforming: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.oneof(
      fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((m) => new Decimal(`${m}e-2`)),
      fc.constantFrom(3n, "12.50"),
    ),
    fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constant(7)),
    fc.constantFrom("A", "B"),
    record,
    fc.constantFrom("map", "name-list"),
  )
  .map(([amount, count, code, rest, how]) => {
    const entries: [string, Value][] = [
      ["code", code],
      ["amount", amount as Value],
      ["count", count as Value],
    ];
    if (rest instanceof VRecord)
      for (const [n, v] of rest.fields) if (!["amount", "count", "code"].includes(n)) entries.push([n, v]);
    return how === "map"
      ? new VRecord("Out", new Map(entries))
      : recordOf(
          "Out",
          entries.map(([n]) => n),
          entries.map(([, v]) => v),
        );
  });

/** A record's type name and fields as `get` reads them, nested records too (undefined: not a record). */
function readByGet(v: unknown): unknown {
  if (!(v instanceof VRecord)) return undefined;
  return [
    v.typeName,
    names.map((n) => [n, v.get(n) === undefined ? "absent" : formatValue(v.get(n) as Value), readByGet(v.get(n))]),
  ];
}

function outcome(f: () => unknown): { value?: string; byGet?: unknown; error?: string } {
  try {
    const v = f();
    return { byGet: readByGet(v), value: formatValue(v as Value) };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

describe("a compiled conformer", () => {
  it("gives conform()'s value or conform()'s error for every value", () => {
    const compiled = conformer(type, table, "outputs.success");
    fc.assert(
      fc.property(fc.oneof(record, conforming, scalar), (v) => {
        expect(outcome(() => compiled(v))).toEqual(outcome(() => conform(v, type, table, "outputs.success")));
      }),
      { numRuns: 3000 },
    );
  });

  it("passes a value already in its declared representation through unchanged", () => {
    const amount = new Decimal("12.5");
    const out = conformer(
      type,
      table,
      "p",
    )(
      new VRecord(
        "Out",
        new Map<string, Value>([
          ["amount", amount],
          ["count", 3n],
          ["code", "A"],
        ]),
      ),
    ) as VRecord;
    expect(out.fields.get("amount")).toBe(amount);
    expect([...out.fields.keys()]).toEqual([
      "amount",
      "count",
      "code",
      "note",
      "ok",
      "rate",
      "tags",
      "next",
      "weights",
    ]);
  });
});
