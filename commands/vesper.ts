import { Option } from "commander";
import { createProgram, runProgram } from "./program.js";
import { inputOptions, jsonOption, simOption, storeOption } from "./common-flags.js";
import type { ReplayFlags } from "./replay.js";
import type { RunCommandFlags } from "./run.js";
import type { RunFlags } from "./run-options.js";
import { MODES } from "../src/runtime/mode-names.js";
import { registerDebug } from "./verbs/debug.js";
import { registerMetrics } from "./verbs/metrics.js";
import { registerMode } from "./verbs/mode.js";
import { registerTest } from "./verbs/test.js";
import { registerTraces } from "./verbs/traces.js";

// The vesper toolchain. Each verb's implementation is imported only when that verb
// runs, so `vesper --help` starts fast and never loads the YAML parser or the engine.

export function buildVesper() {
  const program = createProgram("vesper", "The toolchain for Vesper semantic IR nodes (.vsp files).").version("0.1.0");

  program
    .command("validate")
    .description("check .vsp files: YAML, types, expressions, flow, states, capabilities, samples")
    .argument("<files...>", ".vsp files to validate")
    .addOption(jsonOption("print a JSON array of diagnostics instead of text"))
    .addHelpText("after", "\nExit status: 0 when every file is valid, 2 when any is invalid.")
    .action(async (files: string[], opts: { json?: boolean }) => {
      const { validateCommand } = await import("./validate.js");
      process.exitCode = validateCommand(files, opts);
    });

  program
    .command("compile")
    .description("compile a .vsp file and emit an intermediate form")
    .argument("<file>", "the .vsp file")
    .addOption(new Option("--emit <form>", "what to emit").choices(["ast"]).makeOptionMandatory())
    .option("--out <file>", "write to this file instead of standard output")
    .addHelpText("after", "\nExit status: 0 on success, 2 when the file is invalid or a flag is wrong.")
    .action(async (file: string, opts: { emit: "ast"; out?: string }) => {
      const { compileCommand } = await import("./compile.js");
      process.exitCode = compileCommand(file, opts);
    });

  const run = program
    .command("run")
    .description("run a node once and print its output")
    .argument("<file>", "the .vsp file");
  for (const option of inputOptions()) run.addOption(option);
  run
    .option("--runtime <name>", "run one runtime alone: reference or direct")
    .option(
      "--mode <mode>",
      `execution mode: ${MODES.join(", ")}, or auto (the migration controller's mode for this node); default dual_verify`,
    )
    .option("--seed <n>", "seed for random() and the simulated services (default 0)")
    .option("--canary <percent>", "canary_direct: share of inputs sent to the direct runtime (default 5)")
    .option("--sample-percent <percent>", "direct_only: share of runs verified against the reference (default 1)")
    .addOption(simOption("sim.payments.charge:latency_ms=4000"))
    .addOption(storeOption())
    .option("--no-record", "do not record the run in the trace store")
    .addOption(
      jsonOption(
        "print {status, output, runtime, mode, duration_us, steps, state, failure, compared, divergence, input_hash, traces} as JSON",
      ),
    )
    .addHelpText(
      "after",
      "\nExit status: 0 when the node produced an output (success or its declared error),\n3 on a contract violation or runtime failure, 2 for bad usage or an invalid node.",
    )
    .action(async (file: string, opts: RunCommandFlags) => {
      const { runCommand } = await import("./run.js");
      process.exitCode = await runCommand(file, opts);
    });

  registerDebug(program);
  program
    .command("replay")
    .description("travel through a recorded run, edit a step, re-execute it as a fork and diff")
    .argument("<trace_id>", "a trace id from vesper run or vesper traces list (a unique prefix is enough)")
    .option("--commands <list>", "run these commands (separated by ;) instead of prompting")
    .option("--script <file>", "run the commands in this file, one per line")
    .addOption(jsonOption("print one JSON object per command"))
    .option("--file <vsp>", "replay this copy of the node instead of the recorded path")
    .option("--live", "a fork may call live tools again (reversible ones) when their call changed")
    .option("--allow-irreversible", "with --live: also tools that cannot be undone")
    .option("--yes", "apply writes the edit into the .vsp file without asking")
    .addOption(storeOption())
    .addHelpText(
      "after",
      `
Commands: step [n], back [n], goto N, continue, print EXPR, state, calls, where,
modify step N PARAM=VALUE, run, diff, apply, help, quit. Without a terminal and
without --commands/--script, commands are read from standard input; with none at
all the replay runs to the end and checks it against the recording.

Exit status: 0 the session ran; 4 the replay departed from the recording;
2 bad usage, an unknown trace, an unusable store, or a scripted command that failed.`,
    )
    .action(async (traceId: string, opts: ReplayFlags) => {
      const { replayCommand } = await import("./replay.js");
      process.exitCode = await replayCommand(traceId, opts);
    });
  registerTest(program);
  registerTraces(program);
  registerMode(program);
  const bench = program
    .command("bench")
    .description("runs per second of a node on each runtime after warm-up, and their ratio")
    .argument("<file>", "the .vsp file");
  for (const option of inputOptions()) bench.addOption(option);
  bench
    .option("--ms <n>", "milliseconds per measurement (default 1000)")
    .addOption(jsonOption("print the figures as JSON"))
    .addHelpText("after", "\nExit status: 0 on success, 2 for bad usage or an invalid node.")
    .action(async (file: string, opts: RunFlags & { json?: boolean; ms?: string }) => {
      const { benchCommand } = await import("./bench.js");
      process.exitCode = await benchCommand(file, opts);
    });
  registerMetrics(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await runProgram(buildVesper(), argv);
}
