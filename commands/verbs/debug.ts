import { Option, type Command } from "commander";
import { inputOptions, jsonOption, repeatable, simOption, storeOption } from "../common-flags.js";
import type { DebugFlags } from "../debug.js";
import { UsageError } from "../../src/values/errors.js";

// `vesper debug`: its flags and help; the implementation is imported only when it runs.

export function registerDebug(program: Command): void {
  const debug = program
    .command("debug")
    .description("run the reference and direct runtimes in lockstep, side by side, and stop where they diverge")
    .argument("[file]", "the .vsp file (with --trace: defaults to the recorded run's file)");
  for (const option of inputOptions()) debug.addOption(option);
  debug
    .option(
      "--comparative",
      "compare the two runtimes step by step (the default, and so far the only, kind of debugging)",
    )
    .addOption(
      repeatable(
        "--break-on <spec>",
        "a breakpoint: divergence, contract_violation, 'state_transition:FROM->TO' (quoted, or the shell reads > as a redirect), step:NAME, call:TOOL, or an expression such as 'amount > 100' (default: divergence)",
        ["step:charge_card", "'state_transition:pending->processing'"],
        unredirected,
      ),
    )
    .option("--seed <n>", "seed for random() and the simulated services (default 0)")
    .addOption(simOption("sim.payments.charge:failure_rate=0.5"))
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

/**
 * An unquoted `--break-on state_transition:a->b` reaches us as `state_transition:a-`:
 * the shell took `>b` as a redirect (and wrote a file named b). Say so, rather than
 * "no state named 'a-'".
 */
function unredirected(spec: string): string {
  const cut = /^state_transition:([^>]*)-$/.exec(spec.trim());
  if (cut)
    throw new UsageError(
      `--break-on '${spec}': the rest was taken by the shell as a redirect (it may have written a file named after the target state); quote the breakpoint: --break-on 'state_transition:${cut[1]}->TO'`,
    );
  return spec;
}
