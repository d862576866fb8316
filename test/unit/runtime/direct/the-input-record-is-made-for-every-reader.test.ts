import { describe, expect, it } from "vitest";
import { inputs, node, plain, runAll } from "../../../helpers/runtimes.js";

// A run of the direct runtime makes the `input` record (every input by name) only for a
// node that reads it (machine.ts, step-local.ts readsSlot). Wherever an expression can read
// `input` (a step, a guard, a branch, a return, a precondition, a postcondition, an input
// constraint, an old() value), the record is there, on both tiers, with the reference's answer.

const readers: Record<string, { contracts?: string; constraint?: string; step: string }> = {
  compute: { step: `op: compute\n    set: {y: "input.n * 2"}` },
  guard: { step: `op: compute\n    guards: ["input.n > 1"]\n    set: {y: "n * 2"}` },
  branch: {
    step: `op: branch\n    if: "input.n > 1"\n    then: [{step: big, op: compute, set: {y: "n * 3"}}]\n    else: [{step: small, op: compute, set: {y: "n"}}]`,
  },
  precondition: { contracts: `  preconditions: ["input.n < 100"]`, step: `op: compute\n    set: {y: "n * 2"}` },
  postcondition: { contracts: `  postconditions: ["output.y >= input.n"]`, step: `op: compute\n    set: {y: "n * 2"}` },
  old: { contracts: `  postconditions: ["output.y >= old(input.n)"]`, step: `op: compute\n    set: {y: "n * 2"}` },
  constraint: { constraint: `, constraints: ["input.n >= 0"]`, step: `op: compute\n    set: {y: "n * 2"}` },
};

function readerNode(r: { contracts?: string; constraint?: string; step: string }) {
  return node(
    `
node_id: input.readers@1.0.0
type: function
inputs:
  n: {type: integer${r.constraint ?? ""}}
outputs:
  success: {y: integer}
${r.contracts ? `contracts:\n${r.contracts}\n` : ""}flow:
  - step: first
    ${r.step}
  - step: ret
    op: return
    output: success
    values: {y: "y"}
`,
    "input-readers.vsp",
  );
}

describe("the input record", () => {
  for (const [where, r] of Object.entries(readers)) {
    it(`is there for ${where === "old" ? "an old() value" : `a ${where}`} that reads input, on both tiers`, async () => {
      const p = readerNode(r);
      for (const n of [0n, 3n, -1n, 500n]) {
        const { reference, closures, generated } = await runAll(p, inputs({ n }));
        expect(plain(closures)).toEqual(plain(reference));
        expect(plain(generated)).toEqual(plain(reference));
      }
    });
  }
});
