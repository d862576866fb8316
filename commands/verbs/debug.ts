import { Option, type Command } from "commander";
import { collect, jsonOption, storeOption } from "../common-flags.js";
import type { DebugFlags } from "../debug.js";

// `vesper debug`: its flags and help; the implementation is imported only when it runs.

export function registerDebug(program: Command): void {
  program
    .command("debug")
    .description("run the reference and direct runtimes in lockstep, side by side, and stop where they diverge")
    .argument("[file]", "the .vsp file (with --trace: defaults to the recorded run's file)")
    .option(
      "--comparative",
      "compare the two runtimes step by step (the default, and so far the only, kind of debugging)",
    )
    .option(
      "--break-on <spec>",
      "a breakpoint (repeatable): divergence, contract_violation, state_transition:FROM->TO, step:NAME, call:TOOL, or an expression such as 'amount > 100' (default: divergence)",
      collect,
    )
    .option("--input <name=value...>", "an input, read by its declared type (value or @file)")
    .option("--inputs <json>", "all inputs as a JSON/YAML mapping, or @file.json")
    .option("--sample <name>", "start from one of the node's samples (the first is used when no input is given)")
    .option("--seed <n>", "seed for random() and the simulated services (default 0)")
    .option("--sim <tool:key=value...>", "how a simulated service behaves, e.g. sim.payments.charge:failure_rate=0.5")
    .addOption(
      new Option(
        "--direct-tier <tier>",
        "which compiled form of the direct runtime to step: closures (a node's first runs) or generated (hot nodes)",
      )
        .choices(["closures", "generated"])
        .default("closures"),
    )
    .option("--trace <id>", "debug a recorded run: both runtimes re-execute against its inputs and tool results")
    .option("--commands <list>", "run these commands, separated by ';', instead of a prompt")
    .option("--script <file>", "run the commands in this file, one a line")
    .addOption(jsonOption("print one JSON object per line: session, step, stop, print, …, end"))
    .option("--width <n>", "columns for the side-by-side view (default: the terminal's, or 80)")
    .addOption(storeOption())
    .option("--no-record", "do not record the two runs to the trace store")
    .addHelpText(
      "after",
      `
Commands: step [n], next, continue, back [n], break SPEC, delete N, breaks,
print EXPR, diff, where, view, help, quit. At a terminal they are typed at the
(vesper-db) prompt; otherwise they come from --commands, --script or standard
input, and with no commands at all the session runs 'continue' once.

Exit status: 0 when no divergence was found, 4 when the runtimes diverged,
2 for bad usage (a bad flag or breakpoint, an invalid node, an unreadable trace,
or a scripted command that failed).`,
    )
    .action(async (file: string | undefined, opts: DebugFlags) => {
      const { debugCommand } = await import("../debug.js");
      process.exitCode = await debugCommand(file, opts);
    });
}
