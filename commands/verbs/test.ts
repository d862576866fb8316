import type { Command } from "commander";
import { jsonOption, storeOption } from "../common-flags.js";
import type { TestFlags } from "../test.js";

// `vesper test`: its flags and help; the implementation is imported only when it runs.
export function registerTest(program: Command): void {
  program
    .command("test")
    .description(
      "differential testing: generated inputs on both runtimes, divergences shrunk to a regression case, a confidence bound",
    )
    .argument("<file>", "the .vsp file")
    .option("--runs <n>", "how many input sets to generate (default 1000)")
    .option(
      "--seed <n>",
      "seed for input generation: the same seed generates the same inputs (default: random, printed)",
    )
    .option(
      "--tools <source>",
      "tool results: simulated (simulated services, http.request included) or recorded (replies in the trace store) (default simulated)",
    )
    .option(
      "--aa",
      "A/A run: the reference against itself on a later clock and another random stream, to measure the node's noise floor",
    )
    .option("--case <file>", "where to write the regression case (default regressions/<node_id>-<input hash>.yaml)")
    .option("--min-samples <n>", "comparisons needed before the confidence is above 0 (default 100)")
    .addOption(storeOption())
    .addOption(jsonOption("print the summary as JSON"))
    .addHelpText(
      "after",
      "\nExit status: 0 when every compared input agreed, 4 when the runtimes diverged (with --aa: when\nthe node disagreed with itself), 1 when a runtime crashed or nothing could be compared (every\ninput discarded), 2 for bad usage, an invalid node or store, 130 when interrupted (Ctrl-C\nprints the summary of what was compared).",
    )
    .action(async (file: string, opts: TestFlags) => {
      const { testCommand } = await import("../test.js");
      process.exitCode = await testCommand(file, opts);
    });
}
