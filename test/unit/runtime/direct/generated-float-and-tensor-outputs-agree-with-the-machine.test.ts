import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../../../src/runtime/direct/direct-runtime.js";
import { Tensor, type Value } from "../../../../src/values/values.js";
import { context, inputs, node, plain, runAll } from "../../../helpers/runtimes.js";

// A return whose output has float and tensor fields gets a generated output function
// on the generated tier (codegen-entry.ts typeTest): a float passes as a number, a
// tensor as a Tensor, exactly the compiled conformer's tests; anything else (an
// integer to convert, a missing value) goes to the conformer. These runs hold the
// reference, the closures tier and the generated tier to the same result, failures
// (code, message, place) and postconditions on the output included.

const scored = node(
  `
node_id: out.scored@1.0.0
type: function
inputs:
  w: tensor<float32, [n]>
  k: integer
  x: {type: float, required: false}
  pick: {type: "enum[float, integer, missing, tensor_missing]", default: float}
  v: {type: "tensor<float32, [n]>", required: false}
outputs:
  success:
    scaled: tensor<float32, [n]>
    total: float
    note: {type: float, required: false}
  error:
    code: enum[NEVER]
    message: string
contracts:
  postconditions:
    - "output.total >= 0.0 OR output.total < 0.0 OR output.total != output.total"
flow:
  - step: t
    op: tensor
    set:
      scaled: "w * 2.0"
      total: "sum(w)"
  - step: which
    op: branch
    if: "pick == 'integer'"
    then:
      - step: as_integer
        op: return
        output: success
        values: {scaled: scaled, total: k}
  - step: which2
    op: branch
    if: "pick == 'missing'"
    then:
      - step: as_missing
        op: return
        output: success
        values: {scaled: scaled, total: x}
  - step: which3
    op: branch
    if: "pick == 'tensor_missing'"
    then:
      - step: as_tensor_missing
        op: return
        output: success
        values: {scaled: v, total: total, note: x}
  - step: plainly
    op: return
    output: success
    values: {scaled: scaled, total: total, note: x}
`,
  "scored.vsp",
);

const w = () => new Tensor([3], Float64Array.of(1.5, -2, 0.25));

describe("generated outputs with float and tensor fields", () => {
  it("are written as generated output functions (no conformer on the common path)", async () => {
    const d = new DirectRuntime({ hotThreshold: 0 });
    await d.run(scored, inputs({ w: w(), k: 3n, x: 0.5 }), context(scored));
    const source = d.cached(scored)!.source;
    expect(source).toMatch(/typeof v1 === "number"/);
    expect(source).toMatch(/v0 instanceof K\[\d+\]/);
  });

  it("give the machine's answer on the fast path and through the conformer, failures included", async () => {
    const cases: Record<string, Value>[] = [
      { pick: "float", x: 0.5 },
      { pick: "float" }, // an optional float left out: null in an optional field
      { pick: "integer" }, // an integer returned as a float: the conformer's conversion
      { pick: "missing" }, // a required float that is null: R209 from the conformer
      { pick: "tensor_missing", x: 1 }, // a required tensor that is null
      { pick: "tensor_missing", x: 1, v: new Tensor([2], Float32Array.of(7, 8)) }, // a tensor of another shape passes
    ];
    const statuses: string[] = [];
    for (const c of cases) {
      const given = inputs({ w: w(), k: 3n, ...c });
      const r = await runAll(scored, given);
      const ref = plain(r.reference);
      expect(plain(r.closures)).toEqual(ref);
      expect(plain(r.generated)).toEqual(ref);
      statuses.push(r.generated.status);
      if (c.pick === "integer") expect(r.generated.output!.fields.get("total")).toBe(3);
    }
    expect(statuses).toEqual(["success", "success", "success", "runtime_error", "runtime_error", "success"]);
  });
});
