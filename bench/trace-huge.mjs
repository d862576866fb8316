// Huge traces in bounded memory (issue #16): records a synthetic N-step trace
// (default 1,000,000, a few decimal bindings per step, a checkpoint every 256),
// then runs the real CLI on it and prints the peak resident memory (maxRSS) of
//   vesper traces export ID            (JSON, to a file)
//   vesper traces export ID --format otlp
//   vesper traces show ID --all        (every step row, to a pipe)
//   vesper traces show ID              (the default: the first 1000 rows)
//   vesper traces verify ID
// and of an idle `vesper traces list` for comparison, against a 256 MB target; then
// export, show --all and verify again with V8's heap capped at 32 MB, which they
// survive only if the trace is never held in memory.
// Also times the quick check a writer runs when it opens the store.
// Usage: npm run build && node bench/trace-huge.mjs [--steps N] [--keep DIR]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TraceStore } from "../dist/src/store/store.js";
import { TraceRecorder } from "../dist/src/trace/recorder.js";
import { prepareFile, sampleInputs } from "../dist/src/runtime/prepared.js";
import { syntheticStep } from "./synthetic-steps.mjs";

const args = process.argv.slice(2);
const steps = Number(args[args.indexOf("--steps") + 1]) || 1_000_000;
const dir = mkdtempSync(join(tmpdir(), "vesper-bench-huge-"));
const store = join(dir, "huge.db");
const p = prepareFile("examples/payment.vsp");

let t = performance.now();
const s = TraceStore.open(store);
const rec = TraceRecorder.begin(s, {
  node: p,
  runtime: "reference",
  backend: "reference-float64",
  mode: null,
  inputs: sampleInputs(p),
  seed: "0",
  context: { clockStartMs: 0 },
});
for (let i = 0; i < steps; i++) rec.step(syntheticStep(i, p.node.file), 1);
rec.finish({ status: "success", steps, output: undefined }, 1);
s.close();
const recordS = (performance.now() - t) / 1000;
const mb = (bytes) => (bytes / 1_048_576).toFixed(1);
console.log(`recorded ${steps} steps in ${recordS.toFixed(1)} s; store ${mb(statSync(store).size)} MB`);

t = performance.now();
TraceStore.open(store).close();
console.log(`a writer's open (quick check included): ${(performance.now() - t).toFixed(0)} ms`);

// Each CLI run reports its own peak RSS on exit through a preloaded hook.
const hook = join(dir, "rss.cjs");
writeFileSync(
  hook,
  `process.on("exit", () => require("node:fs").writeSync(2, "\\nmaxrss " + process.resourceUsage().maxRSS + "\\n"));`,
);
function measure(label, argv, nodeFlags = []) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [...nodeFlags, "--require", hook, "bin/vesper.js", ...argv, "--store", store], {
    encoding: "utf8",
    maxBuffer: 4 * 1024 ** 3,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const kb = Number(/maxrss (\d+)/.exec(r.stderr)?.[1]);
  const ok = r.status === 0 || (label.startsWith("verify") && r.status !== null);
  console.log(
    `${label.padEnd(34)} exit ${r.status}  peak RSS ${(kb / 1024).toFixed(0).padStart(5)} MB  ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s${ok && kb / 1024 <= 256 ? "" : "  <-- over 256 MB or failed"}`,
  );
  if (!ok) console.log(r.stderr.slice(0, 500));
}
const out = join(dir, "export.json");
measure("traces list", ["traces", "list"]);
measure("traces export (json, --out)", ["traces", "export", rec.id, "--out", out]);
console.log(`  export file ${mb(statSync(out).size)} MB`);
rmSync(out);
measure("traces export --format otlp", ["traces", "export", rec.id, "--format", "otlp", "--out", out]);
rmSync(out);
measure("traces show --all (to /dev/null)", ["traces", "show", rec.id, "--all"]);
measure("traces show (first 1000 rows)", ["traces", "show", rec.id]);
measure("traces verify ID", ["traces", "verify", rec.id]);
// Memory the trace does not hold: the same commands with V8's heap capped at 32 MB still succeed.
const capped = ["--max-old-space-size=32"];
measure("export, heap capped at 32 MB", ["traces", "export", rec.id, "--out", out], capped);
rmSync(out);
measure("show --all, heap capped at 32 MB", ["traces", "show", rec.id, "--all"], capped);
measure("verify, heap capped at 32 MB", ["traces", "verify", rec.id], capped);
if (args.includes("--keep")) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
