import { Option } from "commander";
import { createProgram, planned, runProgram } from "./program.js";

// The vesper toolchain. Each verb's implementation is imported only when that verb
// runs, so `vesper --help` starts fast and never loads the YAML parser or the engine.

export function buildVesper() {
  const program = createProgram("vesper", "The toolchain for Vesper semantic IR nodes (.vsp files).").version("0.1.0");

  program
    .command("validate")
    .description("check .vsp files: YAML, types, expressions, flow, states, capabilities, samples")
    .argument("<files...>", ".vsp files to validate")
    .option("--json", "print a JSON array of diagnostics instead of text")
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

  planned(program, "run <file>", "run a node on the reference or direct runtime", "the runtimes work (issue #3)");
  planned(program, "debug <file>", "step the two runtimes side by side (--comparative) and stop where they diverge", "the comparative debugger (issue #5)");
  planned(program, "replay <trace_id>", "travel through a recorded run, edit a step and re-execute", "the trace store (issue #4)");
  planned(program, "test <file>", "differential testing: how often the runtimes agree, and a confidence bound", "differential testing (issue #6)");
  planned(program, "traces", "list, show, verify and export recorded traces", "the trace store (issue #4)");
  planned(program, "mode <node_id>", "show or set a node's execution mode", "the migration controller (issue #6)");
  planned(program, "bench <file>", "runs per second on each runtime, and their ratio", "the runtimes work (issue #3)");
  planned(program, "metrics", "Prometheus metrics of executions, divergences and confidence", "differential testing (issue #6)");
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await runProgram(buildVesper(), argv);
}
