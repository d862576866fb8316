// verification.noisy_fields names fields of the node's output (docs/vesper-ir.md 8.2):
// only `output.<name>` is ignored. A record or array element nested in the output that
// happens to have a field of the same name is compared like any other value, so a real
// divergence there is not hidden by the name.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareResults } from "../../../src/exec/comparator.js";
import type { RunResult } from "../../../src/runtime/protocol.js";
import { type Value, VRecord } from "../../../src/values/values.js";

const rec = (name: string, fields: Record<string, Value>) => new VRecord(name, new Map(Object.entries(fields)));
const success = (output: VRecord): RunResult => ({ status: "success", output, steps: 1 });

describe("noisy fields are the output's own fields", () => {
  it("ignores the output field itself", () => {
    const e = rec("outputs.success", { id: "a", total: 1n });
    const a = rec("outputs.success", { id: "b", total: 1n });
    expect(compareResults(success(e), success(a), { noisy: ["id"] })).toEqual([]);
  });

  it("compares a nested record's field of the same name", () => {
    const e = rec("outputs.success", { id: "a", customer: rec("Customer", { id: "c_1" }) });
    const a = rec("outputs.success", { id: "b", customer: rec("Customer", { id: "c_2" }) });
    const diffs = compareResults(success(e), success(a), { noisy: ["id"] });
    expect(diffs.map((d) => d.path)).toEqual(["output.customer.id"]);
  });

  it("compares an array element's field of the same name", () => {
    const e = rec("outputs.success", { id: "a", items: [rec("Item", { id: "i_1" })] });
    const a = rec("outputs.success", { id: "a", items: [rec("Item", { id: "i_2" })] });
    const diffs = compareResults(success(e), success(a), { noisy: ["id"] });
    expect(diffs.map((d) => d.path)).toEqual(["output.items[0].id"]);
  });

  it("for any field name, a difference one level down is reported whatever is declared noisy", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    fc.assert(
      fc.property(name, name, fc.string(), fc.string(), (outer, inner, x, y) => {
        fc.pre(x !== y && outer !== inner);
        const e = rec("outputs.success", { [outer]: rec("T", { [inner]: x }) });
        const a = rec("outputs.success", { [outer]: rec("T", { [inner]: y }) });
        // Declaring the inner name noisy does not hide it; declaring the outer one does.
        expect(compareResults(success(e), success(a), { noisy: [inner] })).toHaveLength(1);
        expect(compareResults(success(e), success(a), { noisy: [outer] })).toEqual([]);
      }),
    );
  });
});
