import { createProgram, planned, runProgram } from "./program.js";

// The veyra workbench: the TUI, seed training runs and the execution engine.
// None of its verbs are built yet; --help shows the shape they will take.

export function buildVeyra() {
  const program = createProgram("veyra", "The Vesper workbench: the TUI, seed training runs and the tensor engine.").version("0.1.0");
  planned(program, "tui", "one full-screen app for debugging, replay and live seed monitoring", "the TUI work");
  const seeds = program.command("seeds").description("[not built yet] train a host network while seeds move through their lifecycle");
  planned(seeds, "run <config>", "train a host network with seeds grafted in", "the seeds work");
  planned(seeds, "watch [run_id]", "follow a seed run live from the trace store", "the seeds work");
  planned(seeds, "list", "list seed runs", "the seeds work");
  planned(seeds, "show <run_id>", "a seed run's lifecycle, gates and metrics", "the seeds work");
  const engine = program.command("engine").description("[not built yet] the TensorFlow.js execution engine");
  planned(engine, "info", "the active backend and device, and why each other backend was skipped", "the engine work (issue #7)");
  planned(engine, "bench", "matmul GFLOP/s, elementwise, softmax and MLP training throughput", "the engine work (issue #7)");
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await runProgram(buildVeyra(), argv);
}
