// docs/vesper-ir.md 6: old(e) is the value e had when the node was entered, and the
// runtimes capture every old(e) at entry (docs/runtime.md, "What a run does"). A
// postcondition may read flow bindings and `output`, and old(x) of such a name was
// accepted, then failed every run at entry with R100. Validation now refuses it (V404)
// where it is written; old() of inputs, `input`, `state` and an aggregate's own
// variable is still fine. And because the capture is at entry, an old(e) that fails
// there fails the run at entry on every path, whatever guards the postcondition around it.
import { describe, expect, it } from "vitest";
import { validateSource } from "../../../src/ir/validate.js";
import { disagreements } from "../../helpers/every-way-to-run.js";
import { context, inputs, node, reference } from "../../helpers/runtimes.js";

const withPost = (post: string) => `node_id: old.entry@1.0.0
type: handler
inputs: {n: integer, xs: "array<integer>"}
outputs: {success: {y: integer}, error: {code: string}}
states: {initial: a, states: [a, b]}
contracts:
  postconditions: [${JSON.stringify(post)}]
flow:
  - {step: v, op: validate, check: "n != 0", error: {code: ZERO}}
  - {step: c, op: compute, set: {x: "n"}}
  - {step: t, op: transition, to: b}
  - {step: r, op: return, output: success, values: {y: "x"}}
`;

const problems = (post: string) =>
  validateSource("old.vsp", withPost(post)).diagnostics.map((d) => `${d.code}@${d.line}:${d.col}: ${d.message}`);

describe("old(e) reads only what has a value when the node is entered", () => {
  it("a flow binding inside old() is V404, at the name", () => {
    expect(problems("old(x) == 1")).toEqual([
      "V404@7:25: in a postcondition: old() reads 'x', which has no value when the node is entered; old() can read only inputs, 'input' and 'state'",
    ]);
  });

  it("output inside old() is V404, once per name", () => {
    expect(problems("old(output.y + output.y) == 1")).toEqual([
      "V404@7:25: in a postcondition: old() reads 'output', which has no value when the node is entered; old() can read only inputs, 'input' and 'state'",
    ]);
  });

  it("inputs, input, state and an aggregate's own variable are fine inside old(), and flow bindings outside it", () => {
    expect(problems("old(n + input.n + SUM(x IN xs: x)) == n + x AND old(state) == 'a' AND state == 'b'")).toEqual([]);
  });

  it("an old(e) that fails at entry fails the run at entry on every path, even behind a short-circuit", async () => {
    const p = node(withPost("n == 0 OR old(10 / n) > 0"));
    const zero = inputs({ n: 0n, xs: [] });
    const r = await reference.run(p, zero, context(p));
    expect(r.failure).toMatchObject({ code: "R106", step: "enter" });
    expect(await disagreements(p, zero)).toEqual({});
  });
});
