import { runEngineBench, type BenchCase } from "../src/engine/bench.js";
import { describeDevice } from "./engine-info.js";
import { startEngine } from "./engine-start.js";
import { EXIT } from "./exit-codes.js";

/**
 * `veyra engine bench [--json] [--backend NAME] [--quick]`: throughput on the active
 * backend, each workload checked against the float64 reference before it is timed.
 */
export async function engineBenchCommand(opts: { json?: boolean; backend?: string; quick?: boolean }): Promise<number> {
  const started = await startEngine("engine bench", opts.backend);
  if ("failure" in started) {
    process.stderr.write(started.failure);
    return EXIT.FAILURE;
  }
  const { engine } = started;
  const info = engine.info();
  if (!opts.json) {
    const build = info.notes.length > 0 ? ` (${info.notes.join("; ")})` : "";
    process.stdout.write(
      `backend ${info.backend}${build} on ${describeDevice(info.device)}; TensorFlow.js ${info.version}\n`,
    );
    if (opts.quick)
      process.stdout.write(
        "--quick: small sizes, one repetition; the figures show the bench runs, not how fast it is\n",
      );
    process.stdout.write(
      `${"workload".padEnd(18)}${"size".padEnd(28)}${"throughput".padStart(22)}   rel. error vs float64\n`,
    );
  }
  const cases = runEngineBench(engine, {
    quick: opts.quick,
    onCase: opts.json ? undefined : (c) => process.stdout.write(formatCase(c)),
  });
  engine.dispose();
  const failed = cases.filter((c) => !c.ok);
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ backend: info.backend, version: info.version, device: info.device, notes: info.notes, quick: Boolean(opts.quick), cases }, null, 2)}\n`,
    );
  }
  if (failed.length > 0) {
    process.stderr.write(
      `veyra engine bench: error: ${failed.map((c) => `${c.name} ${c.size}`).join(", ")} disagreed with the float64 reference beyond tolerance, so ${failed.length === 1 ? "it was" : "they were"} not timed\n`,
    );
    return EXIT.FAILURE;
  }
  return EXIT.OK;
}

export function formatCase(c: BenchCase): string {
  const figure =
    c.figure === null ? "not timed" : `${c.figure >= 100 ? c.figure.toFixed(0) : c.figure.toFixed(1)} ${c.unit}`;
  const check = `${c.relError.toExponential(1)} ${c.ok ? "≤" : "> tolerance"} ${c.tolerance.toExponential(0)}${c.checked ? ` (${c.checked})` : ""}`;
  return `${c.name.padEnd(18)}${c.size.padEnd(28)}${figure.padStart(22)}   ${check}\n`;
}
