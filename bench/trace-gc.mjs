// gc beside writers (issue #16): N old traces (default 100,000 copies of a recorded
// payment run, 8 steps and a call each) are collected with `vesper traces gc
// --keep-days 30 --vacuum` while three writers record into the same store
// (test/fixtures/record-forever.mjs: two run payments one after another, one writes
// a trace that never ends). Prints how long gc took, how many writers failed (the
// target is 0), how many traces the writers finished meanwhile, and the file size
// before and after.
// Usage: npm run build && node bench/trace-gc.mjs [--traces N]
import Database from "better-sqlite3";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const copies = Number(args[args.indexOf("--traces") + 1]) || 100_000;
const dir = mkdtempSync(join(tmpdir(), "vesper-bench-gc-"));
const store = join(dir, "store.db");
const vesper = (argv) =>
  spawnSync(process.execPath, ["bin/vesper.js", ...argv, "--store", store], { encoding: "utf8" });

const run = JSON.parse(vesper(["run", "examples/payment.vsp", "--runtime", "reference", "--json"]).stdout);
const template = run.traces[0].id;
const db = new Database(store);
const cols = (t) =>
  db
    .prepare("SELECT name FROM pragma_table_info(?)")
    .pluck()
    .all(t)
    .filter((c) => c !== "id" && c !== "trace_id");
const series = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${copies})`;
db.transaction(() => {
  const tc = cols("traces").map((c) => (c === "started_at" ? `started_at - ${40 * 86_400_000}` : c));
  db.prepare(
    `${series} INSERT INTO traces (id, ${cols("traces")}) SELECT printf('tr_old%08d', n.i), ${tc} FROM traces, n WHERE id = ?`,
  ).run(template);
  for (const t of ["steps", "tool_calls"])
    db.prepare(
      `${series} INSERT INTO ${t} (trace_id, ${cols(t)}) SELECT printf('tr_old%08d', n.i), ${cols(t)} FROM ${t}, n WHERE trace_id = ?`,
    ).run(template);
})();
db.pragma("wal_checkpoint(TRUNCATE)");
db.close();
const sizeBefore = statSync(store).size;

const writers = ["many", "many", "long"].map((kind) => {
  const child = spawn(process.execPath, ["test/fixtures/record-forever.mjs", store, kind], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const w = { child, stderr: "", started: new Promise((r) => child.stdout.once("data", r)) };
  child.stderr.on("data", (d) => (w.stderr += d));
  return w;
});
await Promise.all(writers.map((w) => w.started));
const finishedBefore = countFinished();
const t = performance.now();
const gc = await new Promise((resolve) => {
  const p = spawn(process.execPath, [
    "bin/vesper.js",
    "traces",
    "gc",
    "--keep-days",
    "30",
    "--vacuum",
    "--json",
    "--store",
    store,
  ]);
  let out = "";
  let err = "";
  p.stdout.on("data", (d) => (out += d));
  p.stderr.on("data", (d) => (err += d));
  p.on("exit", (status) => resolve({ status, out, err }));
});
const gcSeconds = (performance.now() - t) / 1000;
const finishedDuring = countFinished() - finishedBefore;
const failed = writers.filter((w) => w.child.exitCode !== null || w.stderr !== "");
for (const w of writers) w.child.kill("SIGKILL");
await new Promise((r) => setTimeout(r, 200));
console.log(
  `gc of ${copies} traces beside 3 writers: exit ${gc.status} in ${gcSeconds.toFixed(1)} s ${gc.out.trim()}${gc.err ? ` stderr: ${gc.err.trim()}` : ""}`,
);
console.log(
  `writer failures: ${failed.length}${failed.length ? ` (${failed.map((w) => w.stderr.trim()).join(" | ")})` : ""}`,
);
console.log(
  `traces the writers finished while gc ran: ${finishedDuring} (${(finishedDuring / gcSeconds).toFixed(0)}/s)`,
);
console.log(
  `file: ${(sizeBefore / 1_048_576).toFixed(1)} MB before, ${(statSync(store).size / 1_048_576).toFixed(1)} MB after`,
);
rmSync(dir, { recursive: true, force: true });

function countFinished() {
  const d = new Database(store, { readonly: true });
  try {
    return d.prepare("SELECT COUNT(*) FROM traces WHERE status = 'success' AND id NOT LIKE 'tr_old%'").pluck().get();
  } finally {
    d.close();
  }
}
