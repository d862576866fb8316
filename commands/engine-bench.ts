import { type BenchCase, type EngineInfo, engineBench } from "../src/workbench/engine.js";
import { describeDevice } from "./engine-format.js";
import { reportingStartFailure } from "./engine-start.js";
import { EXIT } from "./exit-codes.js";

/**
 * `veyra engine bench [--json] [--backend NAME] [--quick]`: throughput on the active
 * backend, each workload checked against the float64 reference before it is timed.
 * The text table grows a line as each workload finishes.
 */
export function engineBenchCommand(opts: { json?: boolean; backend?: string; quick?: boolean }): Promise<number> {
  return reportingStartFailure("engine bench", async () => {
    let status: number = EXIT.OK;
    for await (const ev of engineBench({ backend: opts.backend, quick: opts.quick })) {
      if (ev.kind === "started" && !opts.json) printHeader(ev.info, ev.quick);
      else if (ev.kind === "case" && !opts.json) process.stdout.write(formatCase(ev.case));
      else if (ev.kind === "finished") {
        if (opts.json) process.stdout.write(`${JSON.stringify(ev.report, null, 2)}\n`);
        if (ev.failed.length > 0) {
          const n = ev.failed.length;
          process.stderr.write(
            `veyra engine bench: error: ${ev.failed.map((c) => `${c.name} ${c.size}`).join(", ")} disagreed with the float64 reference beyond tolerance, so ${n === 1 ? "it was" : "they were"} not timed\n`,
          );
          status = EXIT.FAILURE;
        }
      }
    }
    return status;
  });
}

function printHeader(info: EngineInfo, quick: boolean): void {
  const build = info.notes.length > 0 ? ` (${info.notes.join("; ")})` : "";
  process.stdout.write(
    `backend ${info.backend}${build} on ${describeDevice(info.device)}; TensorFlow.js ${info.version}\n`,
  );
  if (quick)
    process.stdout.write("--quick: small sizes, one repetition; the figures show the bench runs, not how fast it is\n");
  process.stdout.write(
    `${"workload".padEnd(18)}${"size".padEnd(28)}${"throughput".padStart(22)}   rel. error vs float64\n`,
  );
}

export function formatCase(c: BenchCase): string {
  const figure =
    c.figure === null ? "not timed" : `${c.figure >= 100 ? c.figure.toFixed(0) : c.figure.toFixed(1)} ${c.unit}`;
  const check = `${c.relError.toExponential(1)} ${c.ok ? "≤" : "> tolerance"} ${c.tolerance.toExponential(0)}${c.checked ? ` (${c.checked})` : ""}`;
  return `${c.name.padEnd(18)}${c.size.padEnd(28)}${figure.padStart(22)}   ${check}\n`;
}
