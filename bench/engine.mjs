// The engine's throughput on this machine, in one run and side by side: the wasm
// backend on one thread (TensorFlow.js's stock Node set-up: "before"), on every core
// through the threaded build (our default: "after"), and the pure-JS cpu backend.
// Each column is `veyra engine bench --json` in its own process (TensorFlow.js has
// one wasm module per process), and every figure was checked against the float64
// reference before it was timed. Run: npm run bench:engine (after npm run build).
import { spawnSync } from "node:child_process";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
const columns = [
  { label: "wasm 1 thread", env: { VEYRA_BACKEND: "wasm", VEYRA_WASM_THREADS: "1" } },
  { label: `wasm ${cores} threads`, env: { VEYRA_BACKEND: "wasm", VEYRA_WASM_THREADS: String(cores) } },
  { label: "cpu", env: { VEYRA_BACKEND: "cpu" } },
];

const results = columns.map((c) => {
  const r = spawnSync(
    process.execPath,
    [join(root, "bin/veyra.js"), "engine", "bench", "--json", ...process.argv.slice(2)],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, ...c.env },
    },
  );
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`${c.label}: veyra engine bench exited ${r.status}`);
  }
  return JSON.parse(r.stdout);
});

console.log(
  `${os.cpus()[0]?.model ?? "CPU"}, ${cores} cores, Node ${process.version}, TensorFlow.js ${results[0].version}`,
);
for (let i = 0; i < columns.length; i++) console.log(`  ${columns[i].label}: ${results[i].notes.join("; ")}`);
const head = [
  "workload",
  "size",
  ...columns.map((c) => c.label),
  `${columns[1].label} / 1 thread`,
  `${columns[1].label} / cpu`,
  "max rel. error",
];
const rows = results[0].cases.map((c, i) => {
  const figs = results.map((r) => r.cases[i].figure);
  const fmt = (x) => (x === null ? "not timed" : `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ${c.unit}`);
  const ratio = (a, b) => (a === null || b === null ? "-" : `${(a / b).toFixed(2)}x`);
  const err = Math.max(...results.map((r) => r.cases[i].relError));
  return [c.name, c.size, ...figs.map(fmt), ratio(figs[1], figs[0]), ratio(figs[1], figs[2]), err.toExponential(1)];
});
const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
for (const r of [head, ...rows])
  console.log(r.map((cell, j) => (j < 2 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join("  "));

// Why the MLP's dense layer has its own gradient (src/engine/mlp.ts): TensorFlow.js's
// matMul gradient multiplies with transposeA/transposeB, which the wasm backend runs
// outside XNNPACK. Same product, both ways, on this process's default wasm backend.
const { createEngine } = await import("../dist/src/engine/create-engine.js");
const engine = await createEngine({ backend: "wasm" });
const tf = engine.tf;
const [x, dy] = [tf.randomNormal([256, 64]), tf.randomNormal([256, 256])];
const perCall = (f) => {
  for (let i = 0; i < 5; i++) tf.tidy(f).dispose();
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) {
    const r = tf.tidy(f);
    r.dataSync();
    r.dispose();
  }
  return (performance.now() - t0) / 100;
};
const flagged = perCall(() => tf.matMul(x, dy, true, false));
const explicit = perCall(() => tf.matMul(tf.transpose(x), dy));
console.log(
  `\nxᵀ·dy (256×64)ᵀ·(256×256) on wasm ${engine.info().device.threads} threads: matMul(transposeA) ${flagged.toFixed(2)} ms, transpose then matMul ${explicit.toFixed(2)} ms (${(flagged / explicit).toFixed(1)}x)`,
);
tf.dispose([x, dy]);
