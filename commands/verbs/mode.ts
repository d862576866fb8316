import { Option, type Command } from "commander";
import { jsonOption, oneOf, storeOption } from "../common-flags.js";
import type { ModeFlags } from "../mode.js";
import { MODES } from "../../src/runtime/mode-names.js";

// `vesper mode`: its flags and help; the implementation is imported only when it runs.
export function registerMode(program: Command): void {
  program
    .command("mode")
    .description("show a node's execution mode, confidence and evidence; pin a mode or hand the node to the controller")
    .argument("<node_id>", "the node's id with its version, e.g. payments.process_payment@1.0.0")
    .addOption(
      // Checked as it is parsed, so a shortened name (dual) is answered with the full one.
      new Option("--set <mode>", `pin a mode: ${MODES.join(", ")}`).argParser((text) => oneOf(text, "--set", MODES)),
    )
    .option(
      "--auto",
      "let the controller move the node as confidence changes, rolling it back on a divergence in canary_direct or direct_only",
    )
    .option("--min-samples <n>", "comparisons needed before the confidence is above 0 (default 100)")
    .addOption(storeOption())
    .addOption(jsonOption("print the node's mode, confidence, evidence and history as JSON"))
    .addHelpText(
      "after",
      "\nExit status: 0 on success, 2 for bad usage (a mode name typo, --set with --auto), an unknown\nnode id, or a missing or unusable store; nothing is written then.",
    )
    .action(async (nodeId: string, opts: ModeFlags) => {
      const { modeCommand } = await import("../mode.js");
      process.exitCode = modeCommand(nodeId, opts);
    });
}
