// Whole-process start-up of the programs against a bare `node -e 0`, in one run:
// every command is spawned N times, the commands interleaved round by round (so a
// busy moment on the machine hits them all alike), and each reports its median wall
// time and its multiple of bare node. The machine's load is printed beside them.
// Targets: `vesper --help` and `vesper validate --help` under 0.5 s (issue #2);
// `vesper run examples/payment.vsp` at most 2x bare node (issue #15; it records into
// a trace store in a temporary folder, as a default run records into ./traces).
// Usage: npm run build && RUNS=15 node bench/startup.mjs [--json]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { machineLoad, median } from "./cpu-rounds.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.env.RUNS ?? 15);
const json = process.argv.includes("--json");
const dir = mkdtempSync(join(tmpdir(), "vesper-bench-startup-"));
const store = join(dir, "vesper.db");

const commands = [
  ["node -e 0", ["-e", "0"]],
  ["vesper --help", ["bin/vesper.js", "--help"]],
  ["vesper validate --help", ["bin/vesper.js", "validate", "--help"]],
  ["veyra --help", ["bin/veyra.js", "--help"]],
  ["vesper validate examples/payment.vsp", ["bin/vesper.js", "validate", "examples/payment.vsp"]],
  ["vesper run examples/payment.vsp", ["bin/vesper.js", "run", "examples/payment.vsp", "--store", store]],
  [
    "vesper run examples/payment.vsp --no-record",
    ["bin/vesper.js", "run", "examples/payment.vsp", "--no-record", "--store", store],
  ],
];

const loadBefore = machineLoad();
const times = commands.map(() => []);
for (let i = 0; i < runs; i++) {
  commands.forEach(([name, args], c) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root });
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    times[c].push(Number(process.hrtime.bigint() - t0) / 1e6);
  });
}
rmSync(dir, { recursive: true, force: true });
const bare = median(times[0]);
const rows = commands.map(([name], c) => ({ name, medianMs: median(times[c]), ofBare: median(times[c]) / bare }));

if (json) console.log(JSON.stringify({ runs, loadBefore, loadAfter: machineLoad(), rows }, null, 2));
else {
  console.log(`median of ${runs} runs each, commands interleaved; wall time of the whole process`);
  console.log(`before: ${loadBefore}\nafter:  ${machineLoad()}\n`);
  for (const r of rows)
    console.log(`${r.name.padEnd(46)} ${r.medianMs.toFixed(1).padStart(7)} ms   ${r.ofBare.toFixed(2)}x bare node`);
}
