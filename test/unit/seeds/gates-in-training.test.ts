import { afterEach, describe, expect, it } from "vitest";
import type { PlanExpr } from "../../../src/seeds/kernel-plan.js";
import type { Trainer } from "../../../src/seeds/trainer.js";
import { bundledBlueprints, spiralsConfig, spiralsTrainer } from "./spirals-trainer.js";

// Gates doing their job inside real training on the spirals set: a seed whose kernel
// disagrees with its blueprint node is stopped at G3 and never grafted; a seed whose
// loss explodes trips the breaker, is rolled back, and the host trains on.

const live: Trainer[] = [];
afterEach(() => {
  for (const t of live.splice(0)) t.dispose();
});

const quick = {
  minTrainingEpochs: 1,
  maxTrainingEpochs: 20,
  graftEpochs: 1,
  stabilizationEpochs: 1,
  fineTuneEpochs: 1,
};

describe("G3 interface", () => {
  it("stops a seed whose lowered kernel disagrees with its blueprint node (the node on the reference runtime)", async () => {
    const honest = bundledBlueprints().find((b) => b.spec.name === "bottleneck_adapter")!;
    // The same blueprint with its plan altered after loading: the output scaled by 1.01.
    const last = honest.plan.steps[honest.plan.steps.length - 1]!;
    const skewed: PlanExpr = { op: "mul", a: last.expr, b: { op: "const", value: 1.01 } };
    const wrong = {
      ...honest,
      plan: { ...honest.plan, steps: [...honest.plan.steps.slice(0, -1), { name: last.name, expr: skewed }] },
    };
    const config = spiralsConfig({
      blueprints: ["bottleneck_adapter"],
      lifecycle: quick,
      gates: { ...spiralsConfig().gates, g2MaxLossChange: 10 },
      policy: { ...spiralsConfig().policy, maxSeedsPerSlot: 1 },
    });
    const { trainer, events } = await spiralsTrainer(config, { blueprints: [wrong] });
    live.push(trainer);
    for (let e = 0; e < 5; e++) await trainer.runEpoch();
    const all = events.map((e) => e.event);
    const g3 = all.filter((e) => e.kind === "gate" && e.gate === "G3");
    expect(g3.length).toBeGreaterThan(0);
    for (const g of g3) {
      expect(g).toMatchObject({ passed: false });
      expect((g as { values: Record<string, number> }).values.rel_error).toBeGreaterThan(1e-3);
    }
    expect(all.some((e) => e.kind === "stage" && e.to === "CULLED" && e.reason.includes("G3"))).toBe(true);
    expect(all.some((e) => e.kind === "stage" && e.to === "GRAFTING")).toBe(false);
  });

  it("lets the honest blueprint through", async () => {
    const config = spiralsConfig({
      blueprints: ["bottleneck_adapter"],
      lifecycle: quick,
      gates: { ...spiralsConfig().gates, g2MaxLossChange: 10 },
    });
    const { trainer, events } = await spiralsTrainer(config);
    live.push(trainer);
    for (let e = 0; e < 4; e++) await trainer.runEpoch();
    const g3 = events.map((e) => e.event).filter((e) => e.kind === "gate" && e.gate === "G3");
    expect(g3[0]).toMatchObject({ passed: true });
  });
});

describe("the breaker", () => {
  it("rolls back a seed whose loss explodes, records it, and the host trains on", async () => {
    const config = spiralsConfig({
      blueprints: ["wider_block"],
      seedLearningRate: 1e7,
      lifecycle: quick,
      policy: { ...spiralsConfig().policy, maxSeedsPerSlot: 1, maxActiveSeeds: 1 },
    });
    const { trainer, events } = await spiralsTrainer(config);
    live.push(trainer);
    const records = [];
    for (let e = 0; e < 5; e++) records.push(await trainer.runEpoch());
    const all = events.map((e) => e.event);
    const breaker = all.find((e) => e.kind === "breaker");
    expect(breaker).toBeDefined();
    expect(breaker).toMatchObject({ seedId: "seed-1" });
    expect(all).toContainEqual(expect.objectContaining({ kind: "stage", seedId: "seed-1", to: "ROLLED_BACK" }));
    // Training continued on the host: every epoch recorded, losses finite.
    expect(records).toHaveLength(5);
    for (const r of records) expect(Number.isFinite(r.trainLoss)).toBe(true);
    for (const w of trainer.host.read()) expect(w.every(Number.isFinite)).toBe(true);
  });
});
