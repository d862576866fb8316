import { jsonOption, storeOption } from "./common-flags.js";
import { createProgram, runProgram } from "./program.js";
import { registerSeedRunVerbs } from "./seeds-run-verbs.js";
import { registerSeedStoreVerbs } from "./seeds-store-verbs.js";

// The veyra workbench: the TUI, seed training runs and the execution engine.
// The TUI, the seeds verbs and the engine verbs.
// Each verb's implementation is imported only when it runs, so `veyra --help`
// never loads TensorFlow.js.

export function buildVeyra() {
  const program = createProgram(
    "veyra",
    "The Vesper workbench: the TUI, seed training runs and the tensor engine.",
  ).version("0.1.0");
  program
    .command("tui")
    .description("one full-screen app for debugging, replay and live seed monitoring")
    .addOption(storeOption())
    .option("--pane <name>", "the pane shown first: nodes, debug, replay, seeds or engine")
    .option("--node <file>", "open this .vsp file in the Debug pane")
    .option("--trace <id>", "open this trace in the Replay pane")
    .option("--run <id>", "open this seed run in the Seeds pane")
    .option("--no-color", "draw without colour (as NO_COLOR does): bold, inverse and symbols instead")
    .addHelpText(
      "after",
      "\nPanes: 1 nodes, 2 debug, 3 replay, 4 seeds, 5 engine (Tab switches, ? shows every key, q quits).\n--node opens Debug on the file, --trace Replay on the trace, --run Seeds on the run, unless --pane names another.\nExit status: 0 after q or Ctrl-C, 2 for bad usage or when stdin or stdout is not a terminal.",
    )
    .action(async (opts) => {
      // Imported here so that no other command loads Ink and React.
      const { tuiCommand } = await import("./tui.js");
      process.exitCode = await tuiCommand(opts);
    });
  const seeds = program
    .command("seeds")
    .description("train a host network while seeds move through their lifecycle, and read its runs");
  registerSeedRunVerbs(seeds);
  registerSeedStoreVerbs(seeds);
  const engine = program
    .command("engine")
    .description("the TensorFlow.js execution engine: which backend runs, and how fast");
  const backendHelp =
    "run on this backend: tensorflow, webgpu, wasm or cpu (default: VEYRA_BACKEND, else the first that starts)";
  const exitHelp = "\nExit status: 0 on success, 2 for an unknown backend name, 1 when the named backend cannot start.";
  engine
    .command("info")
    .description("the active backend and device, and why each other backend is not active")
    .addOption(jsonOption("print the engine's info as JSON"))
    .option("--backend <name>", backendHelp)
    .addHelpText("after", exitHelp)
    .action(async (opts: { json?: boolean; backend?: string }) => {
      // Imported here so that no other command loads TensorFlow.js.
      const { engineInfoCommand } = await import("./engine-info.js");
      process.exitCode = await engineInfoCommand(opts);
    });
  engine
    .command("bench")
    .description(
      "matmul GFLOP/s, an elementwise chain, softmax and MLP training samples/s, each checked against float64 first",
    )
    .addOption(jsonOption("print the results as JSON"))
    .option("--backend <name>", backendHelp)
    .option("--quick", "small sizes and one repetition: checks that the bench runs (figures not meaningful)")
    .addHelpText(
      "after",
      `${exitHelp}\nA workload that disagrees with the float64 reference is not timed, and the status is 1.`,
    )
    .action(async (opts: { json?: boolean; backend?: string; quick?: boolean }) => {
      const { engineBenchCommand } = await import("./engine-bench.js");
      process.exitCode = await engineBenchCommand(opts);
    });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await runProgram(buildVeyra(), argv);
}
