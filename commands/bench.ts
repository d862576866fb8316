import { EXIT } from "./exit-codes.js";
import { UsageError } from "../src/values/errors.js";
import { inputsFromFlags, type RunFlags } from "./run-options.js";
import { loadNodeOrReport } from "./node-file.js";
import { benchNode } from "../src/exec/bench.js";
import { DirectRuntime } from "../src/runtime/direct/direct-runtime.js";
import { ReferenceRuntime } from "../src/runtime/reference/reference-runtime.js";

// `vesper bench <file>`: runs per second of one node on each runtime, and the ratio.

export async function benchCommand(file: string, flags: RunFlags & { json?: boolean; ms?: string }): Promise<number> {
  const p = loadNodeOrReport(file);
  if (!p) return EXIT.USAGE;
  const ms = flags.ms === undefined ? 1000 : Number(flags.ms);
  if (!(Number.isInteger(ms) && ms >= 10))
    throw new UsageError(`--ms must be a whole number of milliseconds, at least 10, not '${flags.ms}'`);
  const inputs = inputsFromFlags(p, flags);
  const r = await benchNode(p, inputs, new ReferenceRuntime(), new DirectRuntime(), ms);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  } else {
    process.stdout.write(`${r.node}\n`);
    process.stdout.write(
      `  reference  ${r.reference.runsPerSecond.toFixed(0).padStart(9)} runs/s  (${r.reference.runs} runs)\n`,
    );
    process.stdout.write(
      `  direct     ${r.direct.runsPerSecond.toFixed(0).padStart(9)} runs/s  (${r.direct.runs} runs, ${r.directTier} tier)\n`,
    );
    process.stdout.write(`  direct/reference  ${r.ratio.toFixed(1)}x\n`);
  }
  return EXIT.OK;
}
