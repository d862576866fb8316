import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Decimal } from "../../../src/values/decimal.js";
import { type Tensor, VRecord, keyOf, type Value } from "../../../src/values/values.js";
import { inputsArbitrary } from "../../../src/verify/arbitraries.js";
import { example, node } from "../../helpers/runtimes.js";

const sample = (p: ReturnType<typeof example>, seed: number, numRuns = 300) =>
  fc.sample(inputsArbitrary(p), { seed, numRuns });

describe("input arbitraries", () => {
  it("the same seed generates the same inputs, another seed others", () => {
    const p = example("payment");
    const key = (xs: Map<string, Value>[]) => xs.map((m) => keyOf(new VRecord("i", m))).join("\n");
    expect(key(sample(p, 42, 50))).toBe(key(sample(prepareAgain("payment"), 42, 50)));
    expect(key(sample(p, 42, 50))).not.toBe(key(sample(p, 43, 50)));
  });

  it("payment: decimals carry the declared scale and stay inside the constraints' bounds; keys are long enough", () => {
    for (const inputs of sample(example("payment"), 1)) {
      const amount = inputs.get("amount") as Decimal;
      expect(amount.decimalPlaces()).toBeLessThanOrEqual(2);
      expect(amount.gt(0) && amount.lte(10000)).toBe(true);
      expect((inputs.get("idempotency_key") as string).length).toBeGreaterThanOrEqual(8);
      expect(["USD", "EUR", "GBP"]).toContain(inputs.get("currency"));
      const customer = inputs.get("customer") as VRecord;
      expect((customer.fields.get("balance") as Decimal).gte(0)).toBe(true);
      expect(["standard", "gold"]).toContain(customer.fields.get("tier"));
    }
  });

  it("order_total: every line item satisfies its record type's constraints, the cart its length bounds", () => {
    for (const inputs of sample(example("order_total"), 2)) {
      const items = inputs.get("items") as VRecord[];
      expect(items.length).toBeGreaterThanOrEqual(1);
      expect(items.length).toBeLessThanOrEqual(200);
      for (const item of items) {
        const q = item.fields.get("quantity") as bigint;
        const price = item.fields.get("unit_price") as Decimal;
        expect(q >= 1n && q <= 1000n).toBe(true);
        expect(price.gte(0)).toBe(true);
        expect(price.mul(q.toString()).lte(100000)).toBe(true);
        expect((item.fields.get("sku") as string).length).toBeGreaterThanOrEqual(3);
      }
      const tax = inputs.get("tax_rate") as Decimal;
      expect(tax.gte(0) && tax.lt(0.5)).toBe(true);
    }
  });

  it("refund: two fields a record constraint orders come out in order (refunded <= amount)", () => {
    for (const inputs of sample(example("refund"), 3)) {
      const charge = inputs.get("charge") as VRecord;
      expect((charge.fields.get("refunded") as Decimal).lte(charge.fields.get("amount") as Decimal)).toBe(true);
    }
  });

  it("tensors have the declared shape, share symbolic dimensions, and hold finite values", () => {
    const p = node(`
node_id: t.shapes@1.0.0
type: function
inputs:
  a: tensor<float32, [n, 3]>
  b: tensor<float32, [n]>
outputs:
  success: {s: float}
  error: {code: "enum[X]", message: string}
flow:
  - step: go
    op: tensor
    set:
      s: "sum(b)"
  - step: done
    op: return
    output: success
    values: {s: "s"}
`);
    const seen = new Set<number>();
    for (const inputs of sample(p, 4, 100)) {
      const a = inputs.get("a") as Tensor;
      const b = inputs.get("b") as Tensor;
      expect(a.shape[1]).toBe(3);
      expect(a.shape[0]).toBe(b.shape[0]);
      seen.add(b.shape[0]!);
      for (const x of [...a.data, ...b.data]) expect(Number.isFinite(x)).toBe(true);
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it("optional and defaulted inputs are sometimes left out, and then take their defaults", () => {
    const currencies = new Set(sample(example("payment"), 5).map((m) => m.get("currency")));
    expect(currencies.size).toBe(3);
    const versions = sample(example("http_fetch"), 6).map((m) => m.get("api_version"));
    expect(versions.every((v) => v === "v1" || v === "v2")).toBe(true);
  });

  it("integers read strict and non-strict bounds exactly", () => {
    const p = node(`
node_id: t.ints@1.0.0
type: function
inputs:
  n: {type: integer, constraints: ["n > 3", "n <= 7"]}
  m: {type: integer, constraints: ["-2 < m", "m < 2"]}
outputs:
  success: {s: integer}
  error: {code: "enum[X]", message: string}
flow:
  - step: done
    op: return
    output: success
    values: {s: "n + m"}
`);
    const ns = new Set<bigint>();
    const ms = new Set<bigint>();
    for (const inputs of sample(p, 7, 400)) {
      ns.add(inputs.get("n") as bigint);
      ms.add(inputs.get("m") as bigint);
    }
    expect([...ns].sort()).toEqual([4n, 5n, 6n, 7n]);
    expect([...ms].sort()).toEqual([-1n, 0n, 1n]);
  });
});

function prepareAgain(name: string) {
  return example(name);
}
