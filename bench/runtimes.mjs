// Runs per second of every example node on the reference and the direct runtime,
// measured in one process after warm-up, and their ratio (direct / reference).
// Target: at least 20x on the scalar examples (payment, order total) once hot.
// Usage: npm run build && node bench/runtimes.mjs [--ms N] [--json]
import { readdirSync } from "node:fs";
import { benchNode } from "../dist/src/exec/bench.js";
import { prepareFile, sampleInputs } from "../dist/src/runtime/prepared.js";
import { DirectRuntime } from "../dist/src/runtime/direct/direct-runtime.js";
import { ReferenceRuntime } from "../dist/src/runtime/reference/reference-runtime.js";

const args = process.argv.slice(2);
const ms = Number(args[args.indexOf("--ms") + 1]) || 1500;
const json = args.includes("--json");
// http_fetch makes real network calls; a benchmark of the network is not a benchmark of the runtimes.
const files = readdirSync("examples")
  .filter((f) => f.endsWith(".vsp") && f !== "http_fetch.vsp")
  .sort();

const rows = [];
for (const f of files) {
  const p = prepareFile(`examples/${f}`);
  rows.push(await benchNode(p, sampleInputs(p), new ReferenceRuntime(), new DirectRuntime(), ms));
}
if (json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(`node ${process.version}, ${ms} ms per measurement, fresh context per run\n`);
  console.log("node                              reference runs/s   direct runs/s   direct/reference");
  for (const r of rows) {
    console.log(
      `${r.node.padEnd(34)}${r.reference.runsPerSecond.toFixed(0).padStart(16)}${r.direct.runsPerSecond.toFixed(0).padStart(16)}${(`${r.ratio.toFixed(1)}x`).padStart(19)}`,
    );
  }
}
