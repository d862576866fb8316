import { describe, expect, it } from "vitest";
import { validateSource } from "../../../src/ir/validate.js";

// Rules that span a whole node rather than one expression.

const header = ["node_id: demo.rules@1.0.0", "type: function"];
const codes = (lines: string[]) =>
  validateSource("demo.vsp", [...header, ...lines, ""].join("\n")).diagnostics.map((d) => `${d.code}@${d.line}`);

describe("whole-node rules", () => {
  it("reads a YAML alias in a sample as the anchored value", () => {
    expect(
      codes([
        "inputs:",
        "  w: tensor<float32, [2]>",
        "outputs: {success: {s: float}}",
        "flow:",
        "  - {step: total, op: tensor, set: {s: 'sum(w)'}}",
        "  - {step: done, op: return, output: success, values: {s: s}}",
        "samples:",
        "  first: {w: &weights [1.5, 2.5]}",
        "  second: {w: *weights}",
      ]),
    ).toEqual([]);
  });

  it("lets an enum join a string with +, and reduces tensors with max and min", () => {
    expect(
      codes([
        "inputs:",
        "  version: enum[v1, v2]",
        "  x: tensor<float32, [3]>",
        "outputs: {success: {path: string, spread: float}}",
        "flow:",
        "  - {step: p, op: compute, set: {path: \"'/' + version + '/users'\"}}",
        "  - {step: s, op: tensor, set: {spread: 'max(x) - min(x)'}}",
        "  - {step: done, op: return, output: success, values: {path: path, spread: spread}}",
      ]),
    ).toEqual([]);
  });

  it("follows the states a branch can leave the node in", () => {
    const lines = (secondMove: string) => [
      "inputs: {ok: boolean}",
      "outputs: {success: {done: boolean}}",
      "states:",
      "  initial: a",
      "  states: [a, b, c]",
      "  transitions: {a: [b, c], b: [c]}",
      "flow:",
      "  - step: pick",
      "    op: branch",
      "    if: ok",
      "    then: [{step: to_b, op: transition, to: b}]",
      "    else: [{step: stay, op: compute, set: {x: '1'}}]",
      `  - {step: last, op: transition, to: ${secondMove}}`,
      "  - {step: done, op: return, output: success, values: {done: 'true'}}",
    ];
    // After the branch the node is in a (else arm) or b (then arm): both may move to c.
    expect(codes(lines("c"))).toEqual([]);
    // But neither a nor b may move to a.
    expect(codes(lines("a"))).toEqual(["V305@15"]);
  });

  it("rejects a transition that leaves a final state", () => {
    expect(
      codes([
        "outputs: {success: {done: boolean}}",
        "states: {initial: a, states: [a, b], final: [b], transitions: {a: [b], b: [a]}}",
        "flow:",
        "  - {step: done, op: return, output: success, values: {done: 'true'}}",
      ]),
    ).toEqual(["V305@4"]);
  });
});
