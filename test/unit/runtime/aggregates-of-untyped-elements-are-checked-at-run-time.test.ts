// IR doc 9.5: "An expression whose type involves `any` is accepted; checks on it
// happen at run time." SUM, MIN and MAX of a list whose element type is `any` (`[]`,
// or a list of fields of a call result that declares no `returns`) were refused
// with V410 although their elements are only known at run time. They validate, and
// every run path gives the run-time answer (9.8): the sum of nothing is the integer
// 0, MIN of nothing is R108, a string among numbers is R102.
import { describe, expect, it } from "vitest";
import { resolveInputs } from "../../../src/runtime/prepared.js";
import type { Value } from "../../../src/values/values.js";
import { disagreements, everyWayToRun } from "../../helpers/every-way-to-run.js";
import { node } from "../../helpers/runtimes.js";

const untyped = (expr: string, outType: string) =>
  node(
    `
node_id: untyped.agg@1.0.0
type: function
inputs: {v: integer}
outputs: {success: {r: ${outType}}}
security: {capabilities_required: [storage.kv.read, storage.kv.write]}
flow:
  - {step: put, op: call, tool: sim.kv.put, args: {key: "'k'", value: "v"}}
  - {step: get, op: call, tool: sim.kv.get, args: {key: "'k'"}, bind: res}
  - {step: c, op: compute, set: {x: ${JSON.stringify(expr)}}}
  - {step: ret, op: return, output: success, values: {r: x}}
`,
    "untyped.vsp",
  );

async function answer(expr: string, outType: string, v: bigint) {
  const p = untyped(expr, outType);
  const inputs = resolveInputs(p, new Map<string, Value>([["v", v]]));
  expect(await disagreements(p, inputs)).toEqual({});
  const r = (await everyWayToRun(p, inputs))["reference.run"]!.result;
  return r.output ? (r.output as { fields: Map<string, Value> }).fields.get("r") : r.failure;
}

describe("SUM, MIN and MAX of elements typed any", () => {
  it("validate and add up the call result's fields at run time", async () => {
    expect(await answer("SUM([res.value, res.value, 1])", "integer", 20n)).toBe(41n);
    expect(await answer("MAX([res.value, 1])", "integer", 20n)).toBe(20n);
    expect(await answer("MIN([res.value, 1])", "integer", 20n)).toBe(1n);
  });

  it("give the run-time answers for an empty list: SUM is the integer 0, MIN and MAX are R108", async () => {
    expect(await answer("SUM([])", "integer", 1n)).toBe(0n);
    expect(await answer("MIN([])", "integer", 1n)).toMatchObject({
      code: "R108",
      message: "MIN() of an empty collection",
    });
    expect(await answer("MAX([])", "integer", 1n)).toMatchObject({ code: "R108" });
  });

  it("fail at run time when an element is not a number", async () => {
    expect(await answer("SUM([res.found, 1])", "integer", 1n)).toMatchObject({ code: "R102" });
  });
});
