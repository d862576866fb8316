// docs/vesper-ir.md 4.4 and 9.6, stated from what the product does: map keys that read as
// equal values are one key and the last one written wins; timestamp digits past the
// millisecond are dropped, not rounded; bytes have no LEN (V410). Held on every run path.
import { describe, expect, it } from "vitest";
import { InvalidNodeError, sampleInputs } from "../../../src/runtime/prepared.js";
import type { VMap } from "../../../src/values/values.js";
import { disagreements, everyWayToRun } from "../../helpers/every-way-to-run.js";
import { node } from "../../helpers/runtimes.js";

const p = node(
  `node_id: t.read@1.0.0
type: function
inputs:
  m: "map<decimal, integer>"
  t: timestamp
  u: timestamp
outputs:
  success:
    n: integer
    v: integer
    same: boolean
flow:
  - {step: done, op: return, output: success, values: {n: "LEN(m)", v: "m[1.5]", same: "t == u"}}
samples:
  s:
    m: {"1.5": 1, "1.50": 2}
    t: "2026-01-01T00:00:00.0009Z"
    u: "2026-01-01T00:00:00.000Z"
`,
  "read.vsp",
);

describe("map keys, timestamps and LEN of bytes as the IR doc says", () => {
  it("equal keys are one key, the last wins; digits past the millisecond are dropped", async () => {
    const inputs = sampleInputs(p);
    expect((inputs.get("m") as VMap).entries.size).toBe(1);
    expect(await disagreements(p, inputs)).toEqual({});
    const r = (await everyWayToRun(p, inputs))["reference.run"]!.result;
    expect(r.output?.fields.get("n")).toBe(1n);
    expect(r.output?.fields.get("v")).toBe(2n);
    expect(r.output?.fields.get("same")).toBe(true);
  });

  it("LEN of bytes is V410", () => {
    const make = () =>
      node(
        `node_id: t.lenb@1.0.0
type: function
inputs: {b: bytes}
outputs: {success: {n: integer}}
flow:
  - {step: done, op: return, output: success, values: {n: "LEN(b)"}}
`,
        "lenb.vsp",
      );
    expect(make).toThrow(InvalidNodeError);
    try {
      make();
    } catch (e) {
      expect((e as InvalidNodeError).diagnostics).toMatchObject([{ code: "V410" }]);
    }
  });
});
