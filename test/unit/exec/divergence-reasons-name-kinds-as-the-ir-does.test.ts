import { describe, expect, it } from "vitest";
import { compareValues, type DiffEntry } from "../../../src/exec/comparator.js";
import { Tensor, VMap, VRecord, VSet, type Value } from "../../../src/values/values.js";

// A divergence between values of different kinds names them as the IR does
// (record, array, map, set, tensor), never by a JavaScript class name.

const reason = (e: Value, a: Value) => {
  const out: DiffEntry[] = [];
  compareValues(e, a, "output.x", { tolerance: 1e-6, noisy: [] }, out);
  return out[0]?.reason;
};

describe("divergence reasons name kinds as the IR does", () => {
  it.each([
    [new VRecord("Customer", new Map([["id", "c1"]])), null, "a record Customer against a null"],
    [[1n], null, "an array against a null"],
    [new VMap([["k", 1n]]), new VSet([1n]), "a map against a set"],
    [new Tensor([1], new Float64Array([1])), "t", "a tensor against a string"],
  ] as [Value, Value, string][])("%o against %o", (e, a, want) => {
    const got = reason(e, a)!;
    expect(got).toBe(want);
    expect(got).not.toMatch(/VRecord|VMap|VSet|Tensor|Array\b/);
  });
});
