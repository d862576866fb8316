// Whole-process start-up of the programs against a bare `node -e 0`, in one run:
// every command is spawned N times, the commands interleaved round by round (so a
// busy moment on the machine hits them all alike). Each reports the median wall time
// of the whole process, its spread ((max − min) / median) and its multiple of bare
// node, and the same for CPU time (user + system of the child, all its threads, read
// by bash's `time`; wall time on a shared machine also measures the neighbours). The
// machine's load is printed beside them, and whether vesper started from its code
// cache (see scripts/bundle.mjs).
// Targets: `vesper --help` and `vesper validate --help` under 0.5 s (issue #2);
// `vesper run examples/payment.vsp` at most 2x bare node (issue #15; it records into
// a trace store in a temporary folder, as a default run records into ./traces).
// The TUI's first frame needs a terminal: bench/tui.mjs (npm run bench:tui) measures it.
// With --against DIR (another checkout, built), each vesper/veyra command also runs from
// DIR in the same rounds, right after this build's, and prints its own row marked
// "(against)": an old/new comparison under one machine state.
// With --only WORD, only the commands whose name contains WORD (and bare node) run.
// Usage: npm run build && RUNS=15 node bench/startup.mjs [--json] [--against DIR] [--only WORD]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { machineLoad, median, spreadPct } from "./cpu-rounds.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.env.RUNS ?? 15);
const json = process.argv.includes("--json");
const flagValue = (flag) => {
  const i = process.argv.indexOf(flag);
  return i < 0 ? undefined : process.argv[i + 1];
};
const against = flagValue("--against") && resolve(flagValue("--against"));
const only = flagValue("--only");
const dir = mkdtempSync(join(tmpdir(), "vesper-bench-startup-"));
// Each build records into a store of its own: their schemas may differ.
const storeOf = (which) => join(dir, `${which}.db`);
const store = storeOf("this");
const hasBash = spawnSync("bash", ["-c", "true"]).status === 0;

const ours = [
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
].filter(([name], i) => i === 0 || only === undefined || name.includes(only));

/** [name, args, cwd]: each command of this build, then the same from --against DIR. */
const commands = ours.flatMap(([name, args], i) => {
  const here = [name, args, root];
  if (i === 0 || !against) return [here];
  const theirs = args.map((a) => (a === store ? storeOf("against") : a));
  return [here, [`${name} (against)`, theirs, against]];
});

const quote = (word) => `'${word.replace(/'/g, "'\\''")}'`;

/** Wall and CPU milliseconds of one whole process (CPU undefined without bash). */
function measure(name, args, cwd) {
  if (!hasBash) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd });
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: undefined };
  }
  const line = `${[process.execPath, ...args].map(quote).join(" ")} >/dev/null 2>"$ERR" || { cat "$ERR" >&2; exit 9; }`;
  const script = `ERR=$(mktemp); TIMEFORMAT='%3R %3U %3S'; time { ${line}; }; rm -f "$ERR"`;
  const r = spawnSync("bash", ["-c", script], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
  const [real, user, sys] = r.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return { wall: real * 1000, cpu: (user + sys) * 1000 };
}

const loadBefore = machineLoad();
const wall = commands.map(() => []);
const cpu = commands.map(() => []);
for (let i = 0; i < runs; i++) {
  commands.forEach(([name, args, cwd], c) => {
    const m = measure(name, args, cwd);
    wall[c].push(m.wall);
    if (m.cpu !== undefined) cpu[c].push(m.cpu);
  });
}
rmSync(dir, { recursive: true, force: true });
const bareWall = median(wall[0]);
const bareCpu = hasBash ? median(cpu[0]) : undefined;
const rows = commands.map(([name], c) => ({
  name,
  medianMs: median(wall[c]),
  ofBare: median(wall[c]) / bareWall,
  spreadPct: spreadPct(wall[c]),
  cpuMedianMs: hasBash ? median(cpu[c]) : undefined,
  cpuOfBare: hasBash ? median(cpu[c]) / bareCpu : undefined,
  cpuSpreadPct: hasBash ? spreadPct(cpu[c]) : undefined,
}));

/** Whether a build's vesper starts from its code cache, asked of its own loader in a process of its own. */
function cacheOf(build) {
  const loader = JSON.stringify(join(build, "bin", "load-bundle.js"));
  const bundle = JSON.stringify(join(build, "dist", "bundle", "vesper.cjs"));
  const script = `process.stdout.write(require(${loader}).loadBundle(${bundle}).cache)`;
  return spawnSync(process.execPath, ["-e", script], { encoding: "utf8" }).stdout;
}
// The code cache is what makes vesper's start cheap; a rejected one (another Node) shows here.
const codeCache = cacheOf(root);
const theirCache = against && cacheOf(against);

if (json)
  console.log(
    JSON.stringify({ runs, loadBefore, loadAfter: machineLoad(), codeCache, against, theirCache, rows }, null, 2),
  );
else {
  console.log(`median of ${runs} runs each, commands interleaved; the whole process, wall and CPU time`);
  console.log(`before: ${loadBefore}\nafter:  ${machineLoad()}\nvesper's code cache: ${codeCache}`);
  if (against) console.log(`against: ${against} (its code cache: ${theirCache})`);
  console.log("");
  const width = Math.max(44, ...rows.map((r) => r.name.length));
  const pct = (x) => `±${(x / 2).toFixed(0)}%`.padStart(5);
  for (const r of rows) {
    const wallPart = `${r.medianMs.toFixed(1).padStart(7)} ms ${pct(r.spreadPct)} ${r.ofBare.toFixed(2)}x`;
    const cpuPart = hasBash
      ? `   cpu ${r.cpuMedianMs.toFixed(1).padStart(6)} ms ${pct(r.cpuSpreadPct)} ${r.cpuOfBare.toFixed(2)}x`
      : "";
    console.log(`${r.name.padEnd(width)} wall ${wallPart}${cpuPart}`);
  }
  console.log("\nmultiples are of bare node; target: vesper run at most 2x. The TUI's first frame: npm run bench:tui");
}
