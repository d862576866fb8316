import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../../src/runtime/direct/direct-runtime.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import type { Execution, StepEvent } from "../../../src/runtime/protocol.js";
import { toJson } from "../../../src/values/json.js";
import { context, example, inputs, node, plain, reference } from "../../helpers/runtimes.js";

// Both runtimes speak the same step protocol: the same events in the same order,
// one step at a time, and a run can be snapshotted and resumed from there.

const summary = (e: StepEvent) => ({
  index: e.index,
  step: e.step,
  op: e.op,
  line: e.location.line,
  changed: e.changed.map(([k, v]) => [k, toJson(v)]),
  effects: e.effects.map((f) => [f.tool, f.ok, f.attempts]),
  contracts: e.contracts.map((c) => [c.kind, c.name, c.passed]),
  transition: e.transition ?? null,
  branch: e.branch ?? null,
  skipped: e.skipped ?? false,
});

async function events(x: Execution): Promise<StepEvent[]> {
  const out: StepEvent[] = [];
  while (!x.done) out.push(await x.next());
  return out;
}

describe("the step protocol", () => {
  for (const name of ["payment", "refund", "order_total"]) {
    it(`${name}: reference and direct emit the same events`, async () => {
      const p = example(name);
      for (const sample of p.node.samples) {
        const ref = await events(reference.start(p, sampleInputs(p, sample.name), context(p)));
        for (const hot of [Infinity, 0]) {
          const direct = await events(
            new DirectRuntime({ hotThreshold: hot }).start(p, sampleInputs(p, sample.name), context(p)),
          );
          expect(direct.map(summary)).toEqual(ref.map(summary));
          expect(plain(direct.at(-1)!.result!)).toEqual(plain(ref.at(-1)!.result!));
        }
      }
    });
  }

  it("payment: enter checks inputs and preconditions, then each step says what it did", async () => {
    const p = example("payment");
    const ev = await events(reference.start(p, sampleInputs(p), context(p)));
    expect(ev.map((e) => `${e.step}:${e.op}`)).toEqual([
      "enter:enter",
      "check_amount:validate",
      "compute_fee:compute",
      "start_processing:transition",
      "charge_card:call",
      "settle:branch",
      "mark_paid:transition",
      "done:return",
    ]);
    expect(ev[0]!.contracts.map((c) => c.kind)).toContain("precondition");
    expect(ev[2]!.changed.map(([k]) => k)).toEqual(["fee", "credit_used", "to_charge"]);
    expect(ev[3]!.transition).toEqual({ from: "pending", to: "processing" });
    expect(ev[4]!.effects[0]).toMatchObject({ tool: "sim.payments.charge", capability: "payments.charge", ok: true });
    expect(ev[5]!.branch).toBe("then");
    expect(ev.at(-1)!.contracts.filter((c) => c.kind === "postcondition")).toHaveLength(2);
    expect(ev.at(-1)!.result!.status).toBe("success");
  });

  it("a step whose guard is false is skipped, on both runtimes", async () => {
    const p = node(`
node_id: demo.guarded@1.0.0
type: function
inputs:
  n: integer
outputs:
  success:
    r: integer
flow:
  - step: start
    op: compute
    set: {r: "n"}
  - step: double
    op: compute
    guards: ["n > 10"]
    set: {r: "n * 2"}
  - step: done
    op: return
    output: success
    values: {r: "r"}
`);
    for (const [n, skipped, r] of [
      [5n, true, 5n],
      [50n, false, 100n],
    ] as const) {
      const ref = await events(reference.start(p, inputs({ n }), context(p)));
      const direct = await events(new DirectRuntime({ hotThreshold: 0 }).start(p, inputs({ n }), context(p)));
      expect(direct.map(summary)).toEqual(ref.map(summary));
      expect(ref[2]!.skipped ?? false).toBe(skipped);
      expect(ref.at(-1)!.result!.output!.fields.get("r")).toBe(r);
    }
  });

  for (const runtime of [reference, new DirectRuntime({ hotThreshold: 0 })]) {
    it(`${runtime.name}: restoring a snapshot replays the rest of the run identically`, async () => {
      const p = example("payment");
      const x = runtime.start(p, sampleInputs(p), context(p));
      await x.next();
      await x.next();
      await x.next();
      const snap = x.snapshot();
      const first = (await events(x)).map(summary);
      x.restore(snap);
      expect(x.done).toBe(false);
      const second = (await events(x)).map(summary);
      expect(second).toEqual(first);
      expect(first.map((e) => e.step)).toEqual(["start_processing", "charge_card", "settle", "mark_paid", "done"]);
    });
  }
});
