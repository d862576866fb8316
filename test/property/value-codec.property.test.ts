import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import { withDisplayScale } from "../../src/values/display-scale.js";
import { Tensor, Timestamp, VMap, VRecord, VSet, keyOf, type Value } from "../../src/values/values.js";
import { valueJson } from "../../src/trace/step-codec.js";
import { decodeValue, encodeValue } from "../../src/trace/value-codec.js";

// Whatever a run computed with, a replay must compute with: every value survives
// the store exactly (decimals digit for digit, integers beyond 2^53, float bits,
// tensor element types).

const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 20 }))
    .map(([m, s]) => new Decimal(`${m}e-${s}`)),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.integer({ min: 0, max: 4e12 }).map((ms) => new Timestamp(ms)),
  fc.uint8Array({ maxLength: 8 }),
);

const tensor = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean())
  .chain(([r, c, f32]) =>
    fc
      .array(fc.double(), { minLength: r * c, maxLength: r * c })
      .map((xs) => new Tensor([r, c], f32 ? Float32Array.from(xs) : Float64Array.from(xs))),
  );

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    scalar,
    tensor,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.array(tie("v"), { maxLength: 3 }).map((xs) => new VSet(xs)),
    fc.array(fc.tuple(scalar, tie("v")), { maxLength: 3 }).map((pairs) => new VMap(pairs)),
    fc
      .dictionary(fc.string({ minLength: 1, maxLength: 5 }), tie("v"), { maxKeys: 3 })
      .map((o) => new VRecord("T", new Map(Object.entries(o)))),
  ),
})).v;

/** Equality that also tells -0 from 0, NaN from NaN, float32 from float64 and 1.50 from 1.5. */
function exact(v: Value): unknown {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : Number.isNaN(v) ? "NaN" : v;
  if (Decimal.isDecimal(v)) return `d:${(v as Decimal).toString()}`;
  if (v instanceof Tensor) return [v.data.constructor.name, v.shape, Array.from(v.data, (x) => exact(x))];
  if (Array.isArray(v)) return v.map(exact);
  if (v instanceof VRecord) return [v.typeName, [...v.fields].map(([k, x]) => [k, exact(x)])];
  if (v instanceof VSet) return ["set", v.values().map(exact)];
  if (v instanceof VMap) return ["map", [...v.entries.values()].map(([k, x]) => [exact(k), exact(x)])];
  return keyOf(v);
}

describe("value codec", () => {
  it("decode(encode(v)) is exactly v, through JSON text", () => {
    fc.assert(
      fc.property(value, (v) => {
        const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(v))));
        expect(exact(back)).toEqual(exact(v));
      }),
      { numRuns: 400 },
    );
  });

  it("the recorder's fast JSON writer gives the same text as encode + stringify", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(valueJson(v)).toBe(JSON.stringify(encodeValue(v)));
      }),
      { numRuns: 400 },
    );
  });

  it("the fast JSON writer writes a decimal at its declared display scale, as encode does", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.nat(6), fc.nat(8), (units, places, scale) => {
        const d = withDisplayScale(new Decimal(units).div(10 ** places), scale);
        expect(valueJson(d)).toBe(JSON.stringify(encodeValue(d)));
      }),
    );
    expect(valueJson(withDisplayScale(new Decimal("3.2"), 2))).toBe('{"$d":"3.20"}');
  });

  it("decimals keep their scale and integers their full 64 bits", () => {
    expect(decodeValue(encodeValue(new Decimal("1.50")))!.toString()).toBe("1.5");
    expect(JSON.stringify(encodeValue(new Decimal("0.10")))).toBe('{"$d":"0.1"}');
    expect(decodeValue(encodeValue(2n ** 63n - 1n))).toBe(9223372036854775807n);
    expect(Object.is(decodeValue(JSON.parse(JSON.stringify(encodeValue(-0)))), -0)).toBe(true);
  });

  it("something that is not an encoded value is an error, not a guess", () => {
    expect(() => decodeValue({ $nope: 1 })).toThrow(/not an encoded value/);
  });
});
