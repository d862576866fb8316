import type { Command } from "commander";
import { jsonOption, storeOption } from "./common-flags.js";

// The training side of `veyra seeds`: `run` and `blueprints`. Each verb's code is
// imported only when it runs, so `veyra --help` never loads TensorFlow.js.

export function registerSeedRunVerbs(seeds: Command): void {
  seeds
    .command("run")
    .description("train a host network while seeds grow in it, through the lifecycle and its gates")
    .option("--config <file>", "a YAML file with a seeds: section (default: veyra.config.yaml's)")
    .option("--dataset <name>", "mnist or spirals (default: the config's, else mnist)")
    .option("--epochs <n>", "epochs to train")
    .option("--seed <n>", "the run's seed: data split, batches, weights")
    .option("--backend <name>", "run on this backend: tensorflow, webgpu, wasm or cpu")
    .option("--baseline", "also train the same host without seeds (same epochs and seed) and report both")
    .option("--resume <run>", "continue an interrupted run from its last checkpoint")
    .addOption(storeOption())
    .addOption(jsonOption("JSON lines (the default when stderr is not a terminal)"))
    .addHelpText(
      "after",
      "\nExit status: 0 when the run finished, 130 on Ctrl-C (checkpointed; --resume continues it), 2 for a bad flag or config.",
    )
    .action(async (opts) => {
      const { seedsRunCommand } = await import("./seeds-run.js");
      process.exitCode = await seedsRunCommand(opts);
    });
  seeds
    .command("blueprints")
    .description("the blueprints a seed can be grown from: risk, bounds, node and kernel plan")
    .addOption(jsonOption("print the catalog as JSON"))
    .action(async (opts: { json?: boolean }) => {
      const { seedsBlueprintsCommand } = await import("./seeds-blueprints.js");
      process.exitCode = seedsBlueprintsCommand(opts);
    });
}
