// Random valid nodes written from docs/vesper-ir.md (test/helpers/random-nodes.ts)
// give the same answer on every path a run can take: the reference (run and
// stepped), the direct runtime's closures tier (run and stepped) and its generated
// tier (the plain run, the observed run, stepped): the same output digit for digit
// (kinds, -0 and display scales included), the same failure code, message and
// place, the same final state and the same step events. The generated tier must be
// bit-identical to the closures tier.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveInputs } from "../../src/runtime/prepared.js";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import { answerOf, disagreements } from "../helpers/every-way-to-run.js";
import { randomNode } from "../helpers/random-nodes.js";
import { context, node, reference } from "../helpers/runtimes.js";

// VESPER_RANDOM_NODES=N runs N nodes (200 by default; 3000 pass in about 20 s). It once
// seemed to hang in whole-suite runs: building the expression arbitraries was eager and
// exponential in depth (thousands of objects per binding, every node), and the runs
// share the event loop with nothing else while they resolve at once, so vitest's timeout
// never fired. random-nodes.ts now builds each arbitrary once (18x faster generation).
const runs = Number(process.env.VESPER_RANDOM_NODES ?? 200);

describe("random nodes from the IR doc", () => {
  it("agree on the reference, the closures tier and the generated tier, run, stepped and observed", async () => {
    await fc.assert(
      fc.asyncProperty(randomNode, async ({ yaml, inputs }) => {
        const p = node(yaml, "random.vsp");
        expect(await disagreements(p, resolveInputs(p, new Map(Object.entries(inputs))))).toEqual({});
      }),
      { numRuns: runs },
    );
  }, 300_000);
});

describe("one direct runtime running a random node again and again", () => {
  it("gives every run the reference's answer across the switch from closures to generated code, and leaves earlier answers as they were", async () => {
    await fc.assert(
      fc.asyncProperty(randomNode, async ({ yaml, inputs, others }) => {
        const p = node(yaml, "random.vsp");
        const sets = [inputs, ...others, inputs, ...others].map((s) => resolveInputs(p, new Map(Object.entries(s))));
        const switching = new DirectRuntime({ hotThreshold: 2 });
        const results: RunResult[] = [];
        const answers: unknown[] = [];
        for (const s of sets) {
          const want = answerOf(await reference.run(p, s, context(p)), true);
          const got = await switching.run(p, s, context(p));
          expect(answerOf(got, true)).toEqual(want);
          results.push(got);
          answers.push(answerOf(got));
        }
        expect(results.map((r) => answerOf(r))).toEqual(answers);
      }),
      { numRuns: Math.ceil(runs / 3) },
    );
  }, 300_000);
});
