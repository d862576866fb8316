// How long the programs take to answer --help, against a bare `node` start, in one run.
// Target (issue #2): `vesper --help` and `vesper validate --help` under 0.5 s on a 2-core machine.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.env.RUNS ?? 15);

function median(args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root });
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const bare = median(["-e", ""]);
const rows = [
  ["node -e ''", bare],
  ["vesper --help", median(["bin/vesper.js", "--help"])],
  ["vesper validate --help", median(["bin/vesper.js", "validate", "--help"])],
  ["veyra --help", median(["bin/veyra.js", "--help"])],
  ["vesper validate examples/payment.vsp", median(["bin/vesper.js", "validate", "examples/payment.vsp"])],
];
console.log(`median of ${runs} runs each`);
for (const [name, ms] of rows) {
  console.log(`${name.padEnd(40)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / bare).toFixed(2)}x bare node`);
}
