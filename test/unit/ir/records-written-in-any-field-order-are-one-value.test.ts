// IR doc 9.8: records are equal when their type and fields are; 3.3: equal values are
// one member of a set. A record read from a sample holds its fields in the order its
// type declares them: it held them in the order the text wrote them, and equality, set
// members and map values compare fields in order, so `{b: 1, a: 2}` and `{a: 2, b: 1}`
// of one type were unequal and two members of a set. Every permutation of the fields,
// on every run path.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveInputs, sampleInputs } from "../../../src/runtime/prepared.js";
import { disagreements, everyWayToRun } from "../../helpers/every-way-to-run.js";
import { node } from "../../helpers/runtimes.js";

const FIELDS = ["a: 1", "b: 2.50", "c: x", "d: [1, 2]", "e: {f: true}"];

const sample = (order: number[]) => `{${order.map((i) => FIELDS[i]).join(", ")}}`;

const nodeOf = (one: number[], two: number[]) =>
  node(
    `node_id: record.order@1.0.0
type: function
types:
  Inner: {fields: {f: boolean}}
  R: {fields: {a: integer, b: decimal, c: string, d: "array<integer>", e: Inner, g: {type: string, required: false}}}
inputs: {p: R, q: R, s: "set<R>"}
outputs: {success: {same: boolean, members: integer, found: boolean}}
samples:
  first: {p: ${sample(one)}, q: ${sample(two)}, s: [${sample(one)}, ${sample(two)}]}
flow:
  - {step: c, op: compute, set: {same: "p == q AND NOT (p != q)", members: "LEN(s)", found: "q IN s AND q IN [p]"}}
  - {step: r, op: return, output: success, values: {same: same, members: members, found: found}}
`,
    "order.vsp",
  );

describe("records written with their fields in any order", () => {
  it("are equal, one set member, and found in a list, on every path", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5 }),
        fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5 }),
        async (one, two) => {
          const p = nodeOf(one, two);
          const inputs = resolveInputs(p, sampleInputs(p));
          expect(await disagreements(p, inputs)).toEqual({});
          const r = (await everyWayToRun(p, inputs))["reference.run"]!.result;
          expect(Object.fromEntries((r.output as { fields: Map<string, unknown> }).fields)).toEqual({
            same: true,
            members: 1n,
            found: true,
          });
        },
      ),
      { numRuns: 15 },
    );
  });
});
