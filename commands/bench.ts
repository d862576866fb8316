import { EXIT } from "./exit-codes.js";
import { wholeNumber } from "./common-flags.js";
import { inputsFromFlags, type RunFlags } from "./run-options.js";
import { loadNodeOrReport } from "./node-file.js";
import { benchNode } from "../src/workbench/bench-node.js";

// `vesper bench <file>`: runs per second of one node on each runtime, and the ratio,
// and how the runs ended when that was not a success (a refused input is timed too).

export async function benchCommand(file: string, flags: RunFlags & { json?: boolean; ms?: string }): Promise<number> {
  const p = loadNodeOrReport(file);
  if (!p) return EXIT.USAGE;
  const ms = wholeNumber(flags.ms, "--ms", { min: 10, fallback: 1000 });
  const r = await benchNode(p, { inputs: inputsFromFlags(p, flags), ms });
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
    for (const [name, f] of [
      ["reference", r.reference],
      ["direct", r.direct],
    ] as const) {
      if (f.status !== "success")
        process.stdout.write(
          `  every ${name} run ended ${f.status}${f.code ? ` ${f.code}` : ""}: that is what was timed\n`,
        );
    }
  }
  return EXIT.OK;
}
