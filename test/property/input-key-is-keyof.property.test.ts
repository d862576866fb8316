// The context seed hashes an input set's canonical key, and recorded regression cases
// name those seeds, so the faster key the differential tester builds (inputKey) must be
// keyOf's text exactly, for every kind of value and any nesting: scalars of every kind
// (decimals at any scale, integral and not, zero written as -0; floats; non-finite
// decimals), records, arrays, sets, maps and tensors inside each other.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import { Tensor, Timestamp, VMap, VRecord, VSet, keyOf, type Value } from "../../src/values/values.js";
import { inputKey, valueKey } from "../../src/verify/input-key.js";

const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -5, max: 30 }))
    .map(([n, s]) => new Decimal(`${n}e${-s}`)),
  fc.constantFrom(new Decimal(-0), new Decimal("1.50"), new Decimal(Number.NaN), new Decimal(Number.NEGATIVE_INFINITY)),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.integer({ min: 0, max: 4102444800000 }).map((ms) => new Timestamp(ms)),
  fc.uint8Array({ maxLength: 4 }),
);

const { value } = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc
      .dictionary(fc.stringMatching(/^[a-z_]{1,6}$/), tie("value"), { maxKeys: 4 })
      .map((o) => new VRecord("T", new Map(Object.entries(o)))),
    fc.array(scalar, { maxLength: 3 }).map((xs) => new VSet(xs)),
    fc.array(fc.tuple(scalar, tie("value")), { maxLength: 3 }).map((ps) => new VMap(ps)),
    fc.array(fc.double(), { minLength: 1, maxLength: 4 }).map((xs) => new Tensor([xs.length], Float64Array.from(xs))),
  ),
}));

describe("the input key the context seed hashes", () => {
  it("is keyOf's text for any value", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(valueKey(v)).toBe(keyOf(v));
      }),
      { numRuns: 2000 },
    );
  });

  it("is keyOf of the inputs as a record named input, fields sorted by name", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), value, { maxKeys: 6 }), (o) => {
        const inputs = new Map(Object.entries(o));
        const sorted = new Map([...inputs].sort(([a], [b]) => (a < b ? -1 : 1)));
        expect(inputKey(inputs)).toBe(keyOf(new VRecord("input", sorted)));
      }),
      { numRuns: 500 },
    );
  });
});
