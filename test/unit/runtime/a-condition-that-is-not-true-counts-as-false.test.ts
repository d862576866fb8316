// docs/vesper-ir.md 9.7 (as clarified): a condition whose value is not `true` (false,
// or the null of an optional input left out) counts as false, on every run path: a
// precondition or postcondition fails, a guard skips its step, a validate ends the node
// with its error, a branch takes its else arm. And 7.4: a validate error without a
// message gives the code as the message.
import { describe, expect, it } from "vitest";
import { disagreements } from "../../helpers/every-way-to-run.js";
import { answerOf } from "../../helpers/every-way-to-run.js";
import { context, inputs, node, reference } from "../../helpers/runtimes.js";

const run = async (contracts: string, flow: string) => {
  const p = node(`node_id: cond.null@1.0.0
type: handler
inputs: {a: {type: boolean, required: false}}
outputs: {success: {y: integer}, error: {code: string, message: string}}
contracts: ${contracts}
flow:
${flow}
`);
  const none = inputs({});
  expect(await disagreements(p, none)).toEqual({});
  return answerOf(await reference.run(p, none, context(p))) as { status: string; output: unknown; failure: unknown };
};

const ret = (y: number) => `  - {step: r${y}, op: return, output: success, values: {y: "${y}"}}`;

describe("a condition that is not true counts as false", () => {
  it("a precondition fails (C001) and a postcondition fails (C002)", async () => {
    expect((await run(`{preconditions: ["a"]}`, ret(1))).failure).toMatchObject({ code: "C001" });
    expect((await run(`{postconditions: ["a"]}`, ret(1))).failure).toMatchObject({ code: "C002" });
  });

  it("a guard skips its step", async () => {
    const flow = `  - {step: s, op: compute, set: {y: "1"}}\n  - {step: g, op: compute, set: {y: "2"}, guards: ["a"]}\n  - {step: r, op: return, output: success, values: {y: "y"}}`;
    expect((await run("{}", flow)).output).toEqual({ $record: "outputs.success", y: "1n" });
  });

  it("a validate ends the node with its error, the code standing for a message it does not give", async () => {
    const flow = `  - {step: v, op: validate, check: "a", error: {code: NOT_SET}}\n${ret(1)}`;
    expect(await run("{}", flow)).toMatchObject({
      status: "error",
      output: { $record: "outputs.error", code: "NOT_SET", message: "NOT_SET" },
    });
  });

  it("a branch takes its else arm", async () => {
    const flow = `  - step: b\n    op: branch\n    if: "a"\n    then:\n  ${ret(1)}\n    else:\n  ${ret(2)}`;
    expect((await run("{}", flow)).output).toEqual({ $record: "outputs.success", y: "2n" });
  });
});
