import { afterEach, describe, expect, it } from "vitest";
import { differingValues } from "../../../src/seeds/host.js";
import type { Trainer } from "../../../src/seeds/trainer.js";
import { spiralsConfig, spiralsTrainer } from "./spirals-trainer.js";

// Gradient isolation, as docs/seeds.md defines it: a host trained for an epoch while a
// seed is in TRAINING ends bit-identical to the same host trained on the same batches
// without the seed, and every per-epoch isolation check says the seed's steps moved no
// host value. And G5: after a grafted seed is rolled back, the host's weights equal
// the snapshot taken before the graft, bit for bit.

const live: Trainer[] = [];
afterEach(() => {
  for (const t of live.splice(0)) t.dispose();
});

describe("gradient isolation while a seed trains", () => {
  it("leaves the host bit-identical to a host trained on the same batches without the seed", async () => {
    const config = spiralsConfig({
      lifecycle: {
        minTrainingEpochs: 10,
        maxTrainingEpochs: 20,
        graftEpochs: 1,
        stabilizationEpochs: 1,
        fineTuneEpochs: 1,
      },
    });
    const a = await spiralsTrainer(config);
    live.push(a.trainer);
    // Epoch 1 germinates, epoch 2 moves the seed to TRAINING.
    await a.trainer.runEpoch();
    await a.trainer.runEpoch();
    expect(a.trainer.manager.all().map((s) => s.stage)).toContain("TRAINING");
    const state = a.trainer.checkpoint();
    const b = await spiralsTrainer(config, { seedsEnabled: false });
    live.push(b.trainer);
    b.trainer.restore(state);
    expect(differingValues(a.trainer.host.read(), b.trainer.host.read())).toBe(0);
    const seedBefore = a.trainer.manager.all().find((s) => s.stage === "TRAINING")!;
    await a.trainer.runEpoch();
    await b.trainer.runEpoch();
    expect(a.trainer.manager.get(seedBefore.seedId)!.stage).toBe("TRAINING");
    expect(differingValues(a.trainer.host.read(), b.trainer.host.read())).toBe(0);
    const checks = a.events.filter((e) => e.event.kind === "isolation");
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) expect(c.event).toMatchObject({ ok: true, values: { moved_host_values: 0 } });
  });
});

describe("G5 after a rollback", () => {
  it("restores the host to its pre-graft snapshot bit for bit and records the check", async () => {
    const config = spiralsConfig({
      lifecycle: {
        minTrainingEpochs: 1,
        maxTrainingEpochs: 20,
        graftEpochs: 3,
        stabilizationEpochs: 1,
        fineTuneEpochs: 1,
      },
      gates: { ...spiralsConfig().gates, g2MaxLossChange: 10, g4MaxDrop: 1 },
      policy: { ...spiralsConfig().policy, maxActiveSeeds: 1 },
    });
    const { trainer, events } = await spiralsTrainer(config);
    live.push(trainer);
    let snapshot: Float32Array[] | undefined;
    for (let e = 0; e < 8 && !snapshot; e++) {
      await trainer.runEpoch();
      if (trainer.manager.all().some((s) => s.stage === "GRAFTING")) snapshot = trainer.host.read();
    }
    expect(snapshot).toBeDefined();
    const seed = trainer.manager.all().find((s) => s.stage === "GRAFTING")!;
    await trainer.runEpoch();
    // Blending moved the host away from the snapshot...
    expect(differingValues(trainer.host.read(), snapshot!)).toBeGreaterThan(0);
    expect(trainer.manager.requestById(seed.seedId, "ROLLED_BACK", "test: roll it back")).toBe(true);
    // ...and the rollback put it back exactly.
    expect(differingValues(trainer.host.read(), snapshot!)).toBe(0);
    const g5 = events.map((e) => e.event).filter((e) => e.kind === "gate" && e.gate === "G5");
    expect(g5).toEqual([
      expect.objectContaining({
        seedId: seed.seedId,
        passed: true,
        values: expect.objectContaining({ differing_values: 0 }),
      }),
    ]);
  });
});
