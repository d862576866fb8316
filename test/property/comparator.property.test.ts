import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareResults, compareValues, type DiffEntry } from "../../src/exec/comparator.js";
import { Decimal } from "../../src/values/decimal.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import { Tensor, VRecord, type Value } from "../../src/values/values.js";

// The comparator's laws: a value always equals itself; any change to an exactly
// compared field is a divergence; a float change under the tolerance is not.

const exact: fc.Arbitrary<Value> = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
    .map(([n, s]) => new Decimal(n.toString()).div(new Decimal(10).pow(s))),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
);
const float = fc.double({ min: -1e12, max: 1e12, noNaN: true }).filter((x) => Math.abs(x) > 1e-6);
const tensor = fc
  .array(float, { minLength: 1, maxLength: 12 })
  .map((xs) => new Tensor([xs.length], Float64Array.from(xs)));
const field: fc.Arbitrary<Value> = fc.oneof(exact, float, tensor);
const record = fc
  .dictionary(fc.stringMatching(/^[a-z][a-z_]{0,8}$/), field, { minKeys: 1, maxKeys: 6 })
  .map((o) => new VRecord("outputs.success", new Map(Object.entries(o))));

const success = (output: VRecord): RunResult => ({ status: "success", output, steps: 3 });
const diff = (a: Value, b: Value, tolerance = 1e-6): DiffEntry[] => {
  const out: DiffEntry[] = [];
  compareValues(a, b, "output.x", { tolerance, noisy: [] }, out);
  return out;
};

/** A different value of the same exact kind. */
function changed(v: Value): Value {
  if (typeof v === "bigint") return v === 0n ? 1n : -v === v ? v + 1n : v === 2n ** 63n - 1n ? v - 1n : v + 1n;
  // The smallest step the generated decimals have (12 places), well inside 34 significant digits.
  if (Decimal.isDecimal(v)) return (v as Decimal).plus(new Decimal("1e-12"));
  if (typeof v === "string") return `${v}!`;
  if (typeof v === "boolean") return !v;
  return "now a string";
}

describe("comparator properties", () => {
  it("a result always equals itself", () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(compareResults(success(r), success(r))).toEqual([]);
      }),
    );
  });

  it("any change to an exactly compared field is a divergence, reported at its path", () => {
    fc.assert(
      fc.property(record, fc.nat(), (r, pick) => {
        const keys = [...r.fields.keys()];
        const key = keys[pick % keys.length]!;
        const before = r.fields.get(key)!;
        fc.pre(!(typeof before === "number" || before instanceof Tensor));
        const after = new VRecord(r.typeName, new Map(r.fields).set(key, changed(before)));
        const diffs = compareResults(success(r), success(after));
        expect(diffs.map((d) => d.path)).toEqual([`output.${key}`]);
      }),
    );
  });

  it("a float change under the tolerance is not a divergence; one well over it is", () => {
    fc.assert(
      fc.property(float, fc.double({ min: -0.9, max: 0.9, noNaN: true }), (x, f) => {
        const tolerance = 1e-4;
        expect(diff(x, x * (1 + f * tolerance), tolerance)).toEqual([]);
        expect(diff(x, x * (1 + 10 * tolerance), tolerance)).toHaveLength(1);
      }),
    );
  });

  it("tensors compare by relative L2 error; a shape change always diverges", () => {
    fc.assert(
      fc.property(tensor, (t) => {
        const close = new Tensor(t.shape, Float32Array.from(t.data));
        expect(diff(t, close, 1e-6)).toEqual([]);
        const reshaped = new Tensor([1, t.size], t.data);
        expect(diff(t, reshaped)).toHaveLength(1);
      }),
    );
  });

  it("success against error, and different error codes, always diverge; noisy fields are ignored", () => {
    const out = new VRecord(
      "outputs.success",
      new Map<string, Value>([
        ["id", "ch_1"],
        ["fee", new Decimal("3.20")],
      ]),
    );
    const err = (code: string): RunResult => ({
      status: "error",
      output: new VRecord("outputs.error", new Map([["code", code]])),
      steps: 1,
    });
    expect(compareResults(success(out), err("DECLINED"))[0]!.path).toBe("status");
    expect(compareResults(err("DECLINED"), err("TIMEOUT"))[0]).toMatchObject({
      path: "output.code",
      expected: "DECLINED",
      actual: "TIMEOUT",
    });
    const other = new VRecord(
      "outputs.success",
      new Map<string, Value>([
        ["id", "ch_2"],
        ["fee", new Decimal("3.2")],
      ]),
    );
    expect(compareResults(success(out), success(other), { noisy: ["id"] })).toEqual([]);
    expect(compareResults(success(out), success(other))).toHaveLength(1);
  });
});
