import { describe, expect, it } from "vitest";
import { defaultTools } from "../../../src/tools/index.js";
import { differentialTest } from "../../../src/verify/differential-test.js";
import { example, node } from "../../helpers/runtimes.js";

// A/A: the reference against itself on a later clock and another random stream.
// A node whose output depends on now() or random() in a field it does not declare
// noisy shows a non-zero noise floor; declaring the field brings it to zero.
const stamped = (noisy: boolean) =>
  node(`
node_id: t.stamped@1.0.0
type: function
inputs:
  n: {type: integer, constraints: ["n >= 0", "n <= 10"]}
outputs:
  success: {n: integer, at: timestamp, draw: float}
  error: {code: "enum[X]", message: string}
flow:
  - step: stamp
    op: compute
    set:
      at: "now()"
      draw: "random()"
  - step: done
    op: return
    output: success
    values: {n: "n", at: "at", draw: "draw"}
${noisy ? "verification:\n  noisy_fields: [at, draw]\n" : ""}`);

describe("A/A runs", () => {
  it("undeclared now() and random() give a non-zero noise floor", async () => {
    const r = await differentialTest(stamped(false), { runs: 50, seed: 1, aa: true, tools: defaultTools() });
    expect(r.compared).toBe(50);
    expect(r.diverged).toBe(50);
    expect(r.shrunk!.verdict.diffs.map((d) => d.path).sort()).toEqual(["output.at", "output.draw"]);
  });

  it("declared noisy fields bring it to zero", async () => {
    const r = await differentialTest(stamped(true), { runs: 50, seed: 1, aa: true, tools: defaultTools() });
    expect(r.diverged).toBe(0);
  });

  it("tool results are served to the second run, so a payment's simulated gateway is not noise", async () => {
    const p = example("payment");
    const r = await differentialTest(p, { runs: 300, seed: 2, aa: true, tools: defaultTools() });
    expect(r.compared).toBeGreaterThan(250);
    expect(r.diverged).toBe(0);
  });
});
