// IR doc 9.8: R102 is "a value of the wrong kind (only reachable through `any`)"; R104
// is an index out of range. A list or string typed `any` (a call result without
// `returns`) indexed by a string or a decimal was R104 (`index "a" is out of range for
// length 1`); it is R102 on every run path. An integer index out of range stays R104.
import { describe, expect, it } from "vitest";
import { resolveInputs } from "../../../src/runtime/prepared.js";
import type { Value } from "../../../src/values/values.js";
import { disagreements, everyWayToRun } from "../../helpers/every-way-to-run.js";
import { node } from "../../helpers/runtimes.js";

const untyped = (stored: string, expr: string) =>
  node(
    `node_id: untyped.index@1.0.0
type: function
inputs: {}
outputs: {success: {r: integer}}
security: {capabilities_required: [storage.kv.read, storage.kv.write]}
flow:
  - {step: put, op: call, tool: sim.kv.put, args: {key: "'k'", value: ${JSON.stringify(stored)}}}
  - {step: get, op: call, tool: sim.kv.get, args: {key: "'k'"}, bind: res}
  - {step: c, op: compute, set: {x: ${JSON.stringify(expr)}}}
  - {step: ret, op: return, output: success, values: {r: x}}
`,
    "untyped-index.vsp",
  );

async function failure(stored: string, expr: string) {
  const p = untyped(stored, expr);
  const inputs = resolveInputs(p, new Map<string, Value>());
  expect(await disagreements(p, inputs)).toEqual({});
  return (await everyWayToRun(p, inputs))["reference.run"]!.result.failure;
}

describe("indexing a list or string typed any", () => {
  it.each([
    ["[1]", "res.value['a']", 'expected an integer index, got "a"'],
    ["[1]", "res.value[0.0]", "expected an integer index, got 0"],
    ["'abc'", "LEN(res.value['x'])", 'expected an integer index, got "x"'],
    ["[1]", "res.value[true]", "expected an integer index, got true"],
  ])("%s indexed as %s is R102", async (stored, expr, message) => {
    expect(await failure(stored, expr)).toMatchObject({ code: "R102", message });
  });

  it("by an integer out of range is still R104", async () => {
    expect(await failure("[1]", "res.value[1]")).toMatchObject({
      code: "R104",
      message: "index 1 is out of range for length 1",
    });
  });
});
