import { describe, expect, it } from "vitest";
import { Breakpoints, LockstepSession, Stepper, parseBreakSpec } from "../../../../src/debug/comparative/index.js";
import { FlowMap } from "../../../../src/debug/comparative/flow-map.js";
import { DirectRuntime } from "../../../../src/runtime/direct/direct-runtime.js";
import { sampleInputs } from "../../../../src/runtime/prepared.js";
import { context, example, reference } from "../../../helpers/runtimes.js";

// The lockstep driver in process: both runtimes advance together, `back` restores
// snapshots (contexts included), and the flow map predicts each next step.

function session(name = "payment", sample?: string) {
  const p = example(name);
  const ctx = context(p);
  return new LockstepSession({
    node: p,
    inputs: sampleInputs(p, sample),
    runtimes: { reference, direct: new DirectRuntime({ hotThreshold: Infinity }) },
    contexts: { reference: ctx, direct: ctx.replay() },
  });
}

describe("the lockstep session", () => {
  it("advances both runtimes one step at a time and they agree on the payment example", async () => {
    const s = session();
    const steps: string[] = [];
    while (!s.done) {
      const f = await s.advance();
      expect(f.events.reference!.step).toBe(f.events.direct!.step);
      expect(f.comparison.diffs).toEqual([]);
      steps.push(f.events.reference!.step);
    }
    expect(steps).toEqual([
      "enter",
      "check_amount",
      "compute_fee",
      "start_processing",
      "charge_card",
      "settle",
      "mark_paid",
      "done",
    ]);
    expect(s.diverged).toBe(false);
    await expect(s.advance()).rejects.toThrow(/both runs have ended/);
  });

  it("back restores both runs, and stepping again gives the same events and the same tool result", async () => {
    const s = session();
    for (let i = 0; i < 6; i++) await s.advance();
    const charge = s.current.views.reference.bindings.get("charge");
    expect(s.back(3)).toBe(3);
    expect(s.current.views.reference.last!.step).toBe("compute_fee");
    expect(s.current.views.reference.bindings.has("charge")).toBe(false);
    for (let i = 0; i < 3; i++) await s.advance();
    expect(s.current.views.reference.bindings.get("charge")).toEqual(charge);
    expect(s.current.views.direct.bindings.get("charge")).toEqual(charge);
    expect(s.back(100)).toBe(6);
    expect(() => s.back(1)).toThrow(/already at the start/);
  });

  it("predicts the next step from the flow, into the branch arm that was taken", async () => {
    const s = session();
    expect(s.upcoming("reference")).toBe("enter");
    for (let i = 0; i < 6; i++) await s.advance();
    const next = s.upcoming("direct");
    expect(next !== "enter" && next?.name).toBe("mark_paid");
  });

  it("next runs a whole branch as one move", async () => {
    const s = session("order_total");
    const c = new Stepper(s, new Breakpoints());
    await c.move({ kind: "step", count: 4 });
    const up = s.upcoming("reference");
    expect(up !== "enter" && up?.op).toBe("branch");
    const moved = await c.move({ kind: "next" });
    const after = s.upcoming("reference");
    expect(moved.frames.length).toBeGreaterThan(1);
    expect(after !== "enter" && after?.name).toBe("apply_discount_and_tax");
  });

  it("checks breakpoint specs against the node", () => {
    const p = example("payment");
    const flow = new FlowMap(p.node);
    expect(parseBreakSpec(p, flow, "state_transition:*->paid")).toMatchObject({
      kind: "state_transition",
      from: "*",
      to: "paid",
    });
    expect(parseBreakSpec(p, flow, "'x' == 'x' AND customer.tier == 'gold'")).toMatchObject({ kind: "expression" });
    expect(() => parseBreakSpec(p, flow, "charge.status == 1")).toThrow();
  });
});
