// verify beside writers (issue #16): four writers record into one store
// (test/fixtures/record-forever.mjs: two endless traces, two loops of payment runs)
// while `vesper traces verify --json` checks every trace again and again for
// --seconds (default 60). Prints how many verify runs and trace reports were made,
// how many of those saw a running trace, and how many reported a problem (the
// target is 0: every trace is read in one snapshot).
// Usage: npm run build && node bench/trace-verify-live.mjs [--seconds N]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf("--seconds") + 1]) || 60;
const dir = mkdtempSync(join(tmpdir(), "vesper-bench-verify-"));
const store = join(dir, "store.db");
spawnSync(process.execPath, ["bin/vesper.js", "run", "examples/payment.vsp", "--store", store]);
const writers = ["long", "long", "many", "many"].map((kind) => {
  const child = spawn(process.execPath, ["test/fixtures/record-forever.mjs", store, kind], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const w = { child, stderr: "", started: new Promise((r) => child.stdout.once("data", r)) };
  child.stderr.on("data", (d) => (w.stderr += d));
  return w;
});
await Promise.all(writers.map((w) => w.started));
const until = Date.now() + seconds * 1000;
let runs = 0;
let reports = 0;
let running = 0;
const problems = [];
while (Date.now() < until) {
  const r = await new Promise((resolve) => {
    const p = spawn(process.execPath, ["bin/vesper.js", "traces", "verify", "--json", "--store", store]);
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (status) => resolve({ status, out, err }));
  });
  runs++;
  if (r.err) problems.push(r.err.trim());
  for (const line of r.out.trim().split("\n").filter(Boolean)) {
    const rep = JSON.parse(line);
    reports++;
    if (rep.status === "running") running++;
    if (!rep.ok) problems.push(`${rep.trace}: ${rep.problem.reason}`);
  }
}
const failed = writers.filter((w) => w.child.exitCode !== null || w.stderr !== "").length;
for (const w of writers) w.child.kill("SIGKILL");
console.log(`${seconds} s, 4 writers: ${runs} verify runs, ${reports} trace reports (${running} of running traces)`);
console.log(
  `false reports: ${problems.length}${problems.length ? `\n  ${problems.slice(0, 5).join("\n  ")}` : ""}; writer failures: ${failed}`,
);
await new Promise((r) => setTimeout(r, 200));
rmSync(dir, { recursive: true, force: true });
