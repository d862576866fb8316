import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { decodeState, encodeState } from "../../../src/seeds/checkpoint.js";
import { isGrafted } from "../../../src/seeds/lifecycle.js";
import { SEED_STAGES } from "../../../src/seeds/records.js";
import type { Trainer } from "../../../src/seeds/trainer.js";
import { VesperError } from "../../../src/values/errors.js";
import { spiralsConfig, spiralsTrainer } from "./spirals-trainer.js";

// Resume safety: a checkpoint arrives as data, so restoring one re-checks every seed
// against the lifecycle table and what its stage implies (src/seeds/restore-check.ts).
// A tampered or foreign checkpoint is refused with S107 and a recorded `refused`
// event, and the trainer it was offered to keeps no seed from it; an honest one
// restores. The property: whatever stage, alpha and grafted flag a checkpoint claims
// for a seed, a restore either refuses it or leaves a seed whose alpha and grafted
// flag agree with its stage.

type State = {
  counter: number;
  host: Float32Array[];
  seeds: { state: Record<string, unknown>; weights: Float32Array[]; rt: Record<string, unknown> }[];
};

const live: Trainer[] = [];
afterEach(() => {
  for (const t of live.splice(0)) t.dispose();
});

const config = spiralsConfig({
  lifecycle: { minTrainingEpochs: 1, maxTrainingEpochs: 20, graftEpochs: 3, stabilizationEpochs: 1, fineTuneEpochs: 1 },
  gates: { ...spiralsConfig().gates, g2MaxLossChange: 10, g4MaxDrop: 1 },
});

let honest: Uint8Array | undefined;
/** A checkpoint with a seed in GRAFTING (and one in TRAINING or GERMINATED). */
async function checkpointWithSeeds(): Promise<Uint8Array> {
  if (honest) return honest;
  const t = await spiralsTrainer(config);
  live.push(t.trainer);
  for (let e = 0; e < 6 && !t.trainer.manager.all().some((s) => s.stage === "GRAFTING"); e++)
    await t.trainer.runEpoch();
  expect(t.trainer.manager.all().map((s) => s.stage)).toContain("GRAFTING");
  honest = t.trainer.checkpoint();
  return honest;
}

function tamper(bytes: Uint8Array, edit: (state: State) => void): Uint8Array {
  const state = decodeState<State>(bytes);
  edit(state);
  return encodeState(state);
}

async function offer(bytes: Uint8Array) {
  const t = await spiralsTrainer(config);
  live.push(t.trainer);
  try {
    t.trainer.restore(bytes);
    return { error: null, trainer: t.trainer, events: t.events };
  } catch (error) {
    return { error, trainer: t.trainer, events: t.events };
  }
}

function expectRefused(r: Awaited<ReturnType<typeof offer>>, reason: RegExp): void {
  expect(r.error).toBeInstanceOf(VesperError);
  expect((r.error as VesperError).code).toBe("S107");
  expect((r.error as Error).message).toMatch(reason);
  expect(r.events.map((e) => e.event.kind)).toContain("refused");
  expect(r.trainer.manager.all()).toEqual([]);
  expect(r.trainer.epoch).toBe(0);
}

describe("restoring a seed checkpoint", () => {
  it("restores an honest checkpoint with every seed as it was", async () => {
    const r = await offer(await checkpointWithSeeds());
    expect(r.error).toBeNull();
    expect(r.trainer.manager.all().map((s) => s.stage)).toContain("GRAFTING");
    expect(r.events.filter((e) => e.event.kind === "refused")).toEqual([]);
  });

  it("refuses a seed moved to a stage its state contradicts (TRAINING → FOSSILIZED edited in)", async () => {
    const bytes = tamper(await checkpointWithSeeds(), (s) => {
      const seed = s.seeds.find((x) => x.state.stage !== "GRAFTING")!;
      seed.state.stage = "FOSSILIZED";
    });
    expectRefused(await offer(bytes), /alpha 0 in FOSSILIZED|never grafted/);
  });

  it("refuses a stage that is not in the lifecycle table", async () => {
    const bytes = tamper(await checkpointWithSeeds(), (s) => {
      s.seeds[0]!.state.stage = "IMMORTAL";
    });
    expectRefused(await offer(bytes), /'IMMORTAL' is not a lifecycle stage/);
  });

  it("refuses a seed resting in DORMANT, an unknown slot or blueprint, a duplicate id", async () => {
    const base = await checkpointWithSeeds();
    const cases: [(s: State) => void, RegExp][] = [
      [(s) => void (s.seeds[0]!.state.stage = "DORMANT"), /rests in DORMANT/],
      [(s) => void (s.seeds[0]!.state.slot = "L9"), /slot 'L9' is not one of this host's/],
      [(s) => void (s.seeds[0]!.state.blueprint = "trojan"), /blueprint 'trojan' is not loaded/],
      [(s) => void s.seeds.push(structuredClone(s.seeds[0]!)), /appears twice/],
      [(s) => void (s.seeds[0]!.state.seedId = "seed-99"), /numbered past/],
    ];
    for (const [edit, reason] of cases) expectRefused(await offer(tamper(base, edit)), reason);
  });

  it("refuses weights or a host that do not fit (a checkpoint of another host)", async () => {
    const base = await checkpointWithSeeds();
    expectRefused(await offer(tamper(base, (s) => void (s.seeds[0]!.weights = [new Float32Array(3)]))), /do not fit/);
    const r = await offer(tamper(base, (s) => void (s.host = s.host.slice(1))));
    expect((r.error as VesperError).code).toBe("S107");
    expect(r.trainer.epoch).toBe(0);
    const grafted = (s: State) => s.seeds.find((x) => x.state.stage === "GRAFTING")!;
    expectRefused(await offer(tamper(base, (s) => void (grafted(s).rt.snapshot = null))), /pre-graft snapshot/);
  });

  it("never restores a seed whose alpha or grafted flag disagrees with its stage", async () => {
    const base = await checkpointWithSeeds();
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 1 }),
        fc.constantFrom(...SEED_STAGES, "ZOMBIE"),
        fc.constantFrom(0, 0.5, 1, -1, 2),
        fc.boolean(),
        async (which, stage, alpha, grafted) => {
          const bytes = tamper(base, (s) => {
            const seed = s.seeds[which % s.seeds.length]!;
            Object.assign(seed.state, { stage, alpha, grafted });
          });
          const r = await offer(bytes);
          if (r.error) {
            expect((r.error as VesperError).code).toBe("S107");
            expect(r.trainer.manager.all()).toEqual([]);
            return;
          }
          for (const seed of r.trainer.manager.all()) {
            expect(seed.alpha).toBeGreaterThanOrEqual(0);
            expect(seed.alpha).toBeLessThanOrEqual(1);
            if (seed.stage === "FOSSILIZED" || ["STABILIZATION", "EVALUATING", "FINE_TUNING"].includes(seed.stage))
              expect(seed.alpha).toBe(1);
            if (["GERMINATED", "TRAINING", "CULLED", "CANCELLED", "ROLLED_BACK"].includes(seed.stage))
              expect(seed.alpha).toBe(0);
            if (isGrafted(seed.stage) || seed.stage === "FOSSILIZED") expect(seed.grafted).toBe(true);
            expect(seed.stage).not.toBe("DORMANT");
          }
          r.trainer.dispose();
          live.splice(live.indexOf(r.trainer), 1);
        },
      ),
      { numRuns: 40 },
    );
  });
});
