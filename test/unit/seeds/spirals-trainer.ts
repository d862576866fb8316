import { type SeedsConfig, defaultSeedsConfig } from "../../../src/config/seeds-config.js";
import { createEngine } from "../../../src/engine/create-engine.js";
import { loadData } from "../../../src/seeds/data.js";
import type { SeedEvent } from "../../../src/seeds/records.js";
import { type BlueprintSource, Trainer } from "../../../src/seeds/trainer.js";
import { interfaceCheck, type LoadedBlueprint, loadBlueprints } from "../../../src/workbench/seed-blueprints.js";

// A trainer on the spirals set with settings a test chooses, on the cpu backend (tiny
// tensors: no thread hand-offs), recording its events in an array.

export interface TestTrainer {
  trainer: Trainer;
  events: { epoch: number; event: SeedEvent }[];
}

export function spiralsConfig(overrides: Partial<Omit<SeedsConfig, "origins">> = {}): SeedsConfig {
  const base = defaultSeedsConfig("spirals");
  return {
    ...base,
    ...overrides,
    lifecycle: { ...base.lifecycle, ...overrides.lifecycle },
    policy: { ...base.policy, warmupEpochs: 1, plateauThreshold: 10, ...overrides.policy },
    gates: { ...base.gates, ...overrides.gates },
    origins: {},
  };
}

let blueprints: LoadedBlueprint[] | undefined;
export function bundledBlueprints(): LoadedBlueprint[] {
  return (blueprints ??= loadBlueprints());
}

export async function spiralsTrainer(
  config: SeedsConfig,
  options: { seedsEnabled?: boolean; blueprints?: BlueprintSource[] } = {},
): Promise<TestTrainer> {
  const engine = await createEngine({ backend: "cpu", env: {} });
  const events: TestTrainer["events"] = [];
  const loaded = bundledBlueprints();
  const trainer = new Trainer({
    tf: engine.tf,
    config,
    data: loadData("spirals", config.seed),
    blueprints: options.blueprints ?? loaded,
    interfaceCheck: interfaceCheck(loaded),
    runId: "test",
    series: "seeded",
    seedsEnabled: options.seedsEnabled ?? true,
    output: {
      event: (_series, epoch, event) => events.push({ epoch, event }),
      steps: () => {},
      epoch: () => {},
    },
  });
  return { trainer, events };
}
