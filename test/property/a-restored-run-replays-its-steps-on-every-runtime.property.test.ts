// Going back (the debugger's snapshot/restore) returns a run to exactly where it
// was: on the reference and on both direct tiers, a random node from the IR doc
// (test/helpers/random-nodes.ts) stepped to its end, then restored to a snapshot
// taken before some step and stepped again, gives the same events and the same
// result from that step on, and a finish() after a restore gives the same result.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { resolveInputs } from "../../src/runtime/prepared.js";
import type { Snapshot } from "../../src/runtime/protocol.js";
import type { Runtime } from "../../src/runtime/runtime.js";
import { answerOf } from "../helpers/every-way-to-run.js";
import { randomNode } from "../helpers/random-nodes.js";
import { context, node, reference } from "../helpers/runtimes.js";

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : x)));

describe("a restored run", () => {
  it("steps again through the same events to the same result, on the reference and both direct tiers", async () => {
    await fc.assert(
      fc.asyncProperty(randomNode, fc.nat(), async ({ yaml, inputs }, at) => {
        const p = node(yaml, "random.vsp");
        const given = resolveInputs(p, new Map(Object.entries(inputs)));
        const runtimes: Runtime[] = [
          reference,
          new DirectRuntime({ hotThreshold: Infinity }),
          new DirectRuntime({ hotThreshold: 0 }),
        ];
        for (const runtime of runtimes) {
          const ex = runtime.start(p, given, context(p));
          const snapshots: Snapshot[] = [];
          const events: unknown[] = [];
          while (!ex.done) {
            snapshots.push(ex.snapshot());
            events.push(asJson(await ex.next()));
          }
          const first = answerOf(ex.result!);
          const back = at % snapshots.length;
          ex.restore(snapshots[back]!);
          const again: unknown[] = [];
          while (!ex.done) again.push(asJson(await ex.next()));
          expect(again).toEqual(events.slice(back));
          expect(answerOf(ex.result!)).toEqual(first);
          ex.restore(snapshots[back]!);
          expect(answerOf(await ex.finish())).toEqual(first);
        }
      }),
      { numRuns: Number(process.env.VESPER_RANDOM_NODES ?? 100) / 2 },
    );
  }, 300_000);
});
