// vesper-ir.md 9.6: relu makes negative elements 0. NaN is not negative: it stays NaN,
// as NumPy's maximum(x, 0) and TensorFlow's relu (the engine's other backends) give.
// Before, the reference and the float32 loops gave 0 for NaN, hiding it. -0 becomes 0.
import { describe, expect, it } from "vitest";
import { everyWayToRun } from "../../helpers/every-way-to-run.js";
import { inputs, node } from "../../helpers/runtimes.js";
import { Tensor } from "../../../src/values/values.js";

const p = node(`node_id: relu.nan@1.0.0
type: handler
inputs:
  t: "tensor<float64, [5]>"
outputs:
  success:
    r: "tensor<float64, [5]>"
    s: "tensor<float64, [5]>"
flow:
  - step: s
    op: tensor
    set:
      r: "relu(t)"
      s: "relu(t * 2.0 + 1.0)"
  - step: done
    op: return
    output: success
    values: {r: "r", s: "s"}
`);

describe("relu", () => {
  it("keeps NaN, zeroes -0 and negatives, on every path", async () => {
    const t = new Tensor([5], Float64Array.of(Number.NaN, -0, -3, 2.5, Infinity));
    const all = await everyWayToRun(p, inputs({ t }));
    for (const [path, { result }] of Object.entries(all)) {
      expect(result.status, path).toBe("success");
      const fields = (result.output as unknown as { fields: Map<string, Tensor> }).fields;
      expect([...fields.get("r")!.data], path).toEqual([Number.NaN, 0, 0, 2.5, Infinity]);
      expect([...fields.get("s")!.data], path).toEqual([Number.NaN, 1, 0, 6, Infinity]);
    }
  });
});
