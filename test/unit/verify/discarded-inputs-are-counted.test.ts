import { describe, expect, it } from "vitest";
import { defaultTools } from "../../../src/tools/index.js";
import { differentialTest } from "../../../src/verify/differential-test.js";
import { isDiscard } from "../../../src/verify/differential.js";
import { node, reference, context, inputs } from "../../helpers/runtimes.js";

// A precondition the generator cannot read as a bound (it relates two inputs)
// rejects about half of the inputs: they are run once on the reference, refused at
// entry, counted as discarded, and never compared.
const p = node(`
node_id: t.pair@1.0.0
type: function
inputs:
  low: {type: integer, constraints: ["low >= 0", "low <= 100"]}
  high: {type: integer, constraints: ["high >= 0", "high <= 100"]}
outputs:
  success: {span: integer}
  error: {code: "enum[X]", message: string}
contracts:
  preconditions:
    - "low <= high"
flow:
  - step: done
    op: return
    output: success
    values: {span: "high - low"}
`);

describe("discarded inputs", () => {
  it("inputs failing a precondition are discarded and counted, the rest compared", async () => {
    const r = await differentialTest(p, { runs: 400, seed: 5, tools: defaultTools() });
    expect(r.discarded).toBeGreaterThan(100);
    expect(r.discarded).toBeLessThan(300);
    expect(r.compared).toBe(400 - r.discarded);
    expect(r.diverged).toBe(0);
  });

  it("only a refusal at entry (precondition C001 or input constraint C004) is a discard", async () => {
    const refused = await reference.run(p, inputs({ low: 5n, high: 1n }), context(p));
    expect(refused.failure?.code).toBe("C001");
    expect(isDiscard(refused)).toBe(true);
    const constraint = await reference.run(p, inputs({ low: -5n, high: 1n }), context(p));
    expect(constraint.failure?.code).toBe("C004");
    expect(isDiscard(constraint)).toBe(true);
    const ran = await reference.run(p, inputs({ low: 1n, high: 5n }), context(p));
    expect(isDiscard(ran)).toBe(false);
  });
});
