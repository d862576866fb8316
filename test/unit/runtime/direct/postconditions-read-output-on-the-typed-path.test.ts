import { describe, expect, it } from "vitest";
import { Decimal } from "../../../../src/values/decimal.js";
import { lowerNode } from "../../../../src/runtime/direct/layout.js";
import { show } from "../../../helpers/direct-passes.js";
import { inputs, node, plain, runAll } from "../../../helpers/runtimes.js";

// A postcondition runs after a successful return with `output` bound to the
// conformed success record. Its fields are proven one by one: a required field
// (conforming refuses a null one) or one every success return sets to a value that
// is never null takes the typed path; an optional field that can be null (an
// optional input passed through) keeps the checked path, so a null still fails
// exactly as on the reference.

const yaml = `
node_id: post.output@1.0.0
type: function
inputs:
  a: decimal
  opt: {type: decimal, required: false}
outputs:
  success:
    total: decimal
    maybe: {type: decimal, required: false}
contracts:
  postconditions:
    - "output.total == a * 2"
    - "output.maybe >= 0"
flow:
  - step: c
    op: compute
    set:
      total: "a + a"
  - step: done
    op: return
    output: success
    values: {total: total, maybe: opt}
`;

describe("postconditions on output", () => {
  const p = node(yaml, "post.vsp");

  it("compile output.f on the typed path when it can never be null, the checked path otherwise", () => {
    const [total, maybe] = lowerNode(p).postconditions.map((c) => show(c.op));
    expect(total).toBe('eqS(S(get(output@4, "total")), mulS(S(a@0), s2))');
    expect(maybe).toBe('(cmp(get(output@4, "maybe"), 0n) >= f0)');
  });

  it("agree with the reference on both tiers: passing, broken, and a null field", async () => {
    for (const given of [
      { a: new Decimal("1.25"), opt: new Decimal("3") },
      { a: new Decimal("1.25"), opt: new Decimal("-3") },
      { a: new Decimal("-0.5"), opt: null },
    ]) {
      const runs = await runAll(p, inputs(given));
      const want = plain(runs.reference);
      expect(plain(runs.closures)).toEqual(want);
      expect(plain(runs.generated)).toEqual(want);
    }
    const broken = await runAll(p, inputs({ a: new Decimal("1"), opt: new Decimal("-1") }));
    expect(broken.generated.failure?.code).toBe("C002");
    const nullField = await runAll(p, inputs({ a: new Decimal("1"), opt: null }));
    expect(nullField.reference.status).toBe("runtime_error");
  });
});
