// The Seeds pane live, measured in a real terminal (a private tmux server per
// measurement): a writer process writes seed telemetry through the real sink at
// --rate rows/s (default 1,000: per epoch 85 step rows, 14 events and the epoch row,
// --rate/100 epochs a second, each epoch committed at its end as the trainer's are)
// while `veyra tui --pane seeds --run ID` shows the run. Each size (--sizes, default
// 80x24 and 200x50) is measured --rounds times, sizes alternating round by round;
// with --against DIR another checkout's build (its bin/veyra.js, e.g. /work/main) is
// measured in the same rounds, alternating with this one, so old and new share the
// machine's load. Reported per size (and build):
//   - the TUI process's CPU share of one core (the process alone: it starts no
//     children), from /proc/<pid>/stat (utime+stime) over the window, idle first (the
//     run open, nothing written) and then while the writer writes, median of the
//     rounds; the target: at most 15% at 1,000 rows/s;
//   - the latency from an epoch row's commit (writer clock) to the pane's header
//     showing that epoch or a later one, for EVERY epoch written (an epoch drawn in
//     the same frame as a newer one counts from its own commit), p50/p99/max over
//     all rounds; target: within 250 ms. The screen is read with capture-pane every
//     few ms (--capture-ms, default 5), so a latency is over-, never under-stated by
//     up to that. `newest` is the older measure: only the epoch the header jumped to;
//   - frames the TUI wrote per second (counted by a preloaded module that wraps its
//     stdout: each frame is one synchronized update), the rows the writer actually
//     wrote per second, and the machine's load beside.
// Usage: npm run build && node bench/tui-live.mjs [--rate N] [--seconds S] [--rounds R]
//        [--sizes 80x24,200x50] [--against DIR] [--json]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { machineLoad, median } from "./cpu-rounds.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const now = () => performance.timeOrigin + performance.now();
const root = fileURLToPath(new URL("..", import.meta.url));
const ROWS_PER_EPOCH = 100;

if (args[0] === "--writer") {
  const [, store, runId, rate, seconds] = args;
  const { openTelemetrySink } = await import("../dist/src/seeds/telemetry-sink.js");
  const { TraceStore } = await import("../dist/src/store/store.js");
  const { epochRecords, header } = await import("../test/fixtures/synthetic-seed-run.mjs");
  const s = TraceStore.open(store);
  const sink = openTelemetrySink(s);
  sink.startRun(header(runId, { epochs: 1_000_000, baseline: false }));
  sink.flush();
  process.stdout.write("ready\n");
  await new Promise((resolve) => process.stdin.once("data", resolve));
  const epochMs = (1000 * ROWS_PER_EPOCH) / Number(rate);
  const start = now();
  let seq = 0;
  let rows = 0;
  for (let epoch = 1; now() - start < Number(seconds) * 1000; epoch++) {
    const due = start + epoch * epochMs;
    if (due > now()) await sleep(due - now());
    // 14 events an epoch, as a busy one has (gate results padding it out).
    const r = epochRecords(runId, epoch, { stepsPerEpoch: 85, firstSeq: seq, eventsPerEpoch: 14 });
    sink.steps(r.steps);
    for (const e of r.events) sink.event(e);
    seq += r.events.length;
    sink.epoch(r.epochs[0]); // commits the epoch's batch
    rows += r.steps.length + r.events.length + 1;
    process.stdout.write(`E ${epoch} ${now()}\n`);
  }
  process.stdout.write(`rows ${rows} ${(now() - start) / 1000}\n`);
  sink.close();
  s.close();
  process.exit(0);
}

if (spawnSync("tmux", ["-V"]).status !== 0) {
  console.log(
    "bench/tui-live.mjs: tmux is not installed; the pane is measured in a real terminal, so nothing was measured",
  );
  process.exit(0);
}

const rate = Number(flag("--rate", "1000"));
const seconds = Number(flag("--seconds", "10"));
const rounds = Number(flag("--rounds", "2"));
const captureMs = Number(flag("--capture-ms", "5"));
const sizes = flag("--sizes", flag("--size", "80x24,200x50")).split(",");
const trees = [root, ...(flag("--against") ? [resolve(flag("--against"))] : [])];
const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
};
// Preloaded into the TUI: counts the frames it writes (Ink writes each inside a
// synchronized update at a terminal) and saves the count when it exits.
const COUNTER = `const { writeFileSync } = await import("node:fs");
const write = process.stdout.write.bind(process.stdout);
let frames = 0;
process.stdout.write = (chunk, ...rest) => {
  if (typeof chunk === "string" && chunk.startsWith("\\u001b[?2026h")) frames++;
  return write(chunk, ...rest);
};
process.on("exit", () => writeFileSync(process.env.BENCH_FRAMES_FILE, JSON.stringify({ frames })));
`;

/** One measurement: a fresh store, a writer, the TUI of `tree` at `size` in its own tmux server. */
async function measure(tree, size) {
  const [columns, lines] = size.split("x");
  const dir = mkdtempSync(join(tmpdir(), "bench-tui-live-"));
  const store = join(dir, "store.db");
  const counter = join(dir, "count-frames.mjs");
  const framesFile = join(dir, "frames.json");
  writeFileSync(counter, COUNTER);
  const runId = "sr_bench_live";
  const socket = `bench-tui-live-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...a) => spawnSync("tmux", ["-S", join(dir, socket), "-f", "/dev/null", ...a], { encoding: "utf8" });
  const screen = () => tmux("capture-pane", "-p", "-t", "s").stdout;
  const writer = spawn(process.execPath, [fileURLToPath(import.meta.url), "--writer", store, runId, rate, seconds], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const written = new Map();
  let wroteRows = 0;
  let wroteSeconds = 0;
  let ready;
  const isReady = new Promise((r) => {
    ready = r;
  });
  createInterface({ input: writer.stdout }).on("line", (line) => {
    const [kind, a, b] = line.split(" ");
    if (kind === "ready") ready();
    else if (kind === "E") written.set(Number(a), Number(b));
    else if (kind === "rows") [wroteRows, wroteSeconds] = [Number(a), Number(b)];
  });
  const writerDone = new Promise((r) => writer.on("exit", r));
  try {
    await isReady;
    tmux("new-session", "-d", "-s", "s", "-x", columns, "-y", lines, "-c", tree, "sh");
    const env = `env -u CI -u CONTINUOUS_INTEGRATION BENCH_FRAMES_FILE=${framesFile}`;
    // e.g. --node-args "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the TUI.
    const nodeArgs = `--import ${pathToFileURL(counter).href} ${flag("--node-args", "")}`;
    tmux(
      "send-keys",
      "-t",
      "s",
      `exec ${env} node ${nodeArgs} bin/veyra.js tui --store ${store} --pane seeds --run ${runId}`,
      "Enter",
    );
    const pid = Number(tmux("display", "-p", "-t", "s", "#{pane_pid}").stdout.trim());
    for (let i = 0; !/running\s+spirals/.test(screen()); i++) {
      if (i > 2000) throw new Error(`the pane never showed the run; it shows:\n${screen()}`);
      await sleep(10);
    }
    await sleep(1000); // settle after start-up
    // Idle: the run open, nothing written.
    let t0 = performance.now();
    let c0 = cpuTicks(pid);
    await sleep(3000);
    const idle = (cpuTicks(pid) - c0) / ticksPerSecond / ((performance.now() - t0) / 1000);

    writer.stdin.write("go\n");
    t0 = performance.now();
    c0 = cpuTicks(pid);
    const every = [];
    const newest = [];
    let shown = 0;
    const pattern = /epoch (\d+)\/1000000/;
    let writing = true;
    writerDone.then(() => {
      writing = false;
    });
    while (writing) {
      // Lets the writer's lines (its commit times) and its exit be read between captures.
      await sleep(captureMs);
      const m = pattern.exec(screen());
      const seenAt = now();
      const epoch = m ? Number(m[1]) : 0;
      if (epoch > shown && written.has(epoch)) {
        for (let e = shown + 1; e <= epoch; e++) if (written.has(e)) every.push(seenAt - written.get(e));
        newest.push(seenAt - written.get(epoch));
        shown = epoch;
      }
    }
    const window = (performance.now() - t0) / 1000;
    const busy = (cpuTicks(pid) - c0) / ticksPerSecond / window;
    await writerDone;
    const final = screen();
    // q, so the TUI exits as a user leaves it (its frame count, and a --cpu-prof profile, are written then).
    tmux("send-keys", "-t", "s", "q");
    for (let i = 0; i < 100 && !existsSync(framesFile); i++) await sleep(20);
    if (flag("--node-args")) await sleep(2000); // a profile is written after the exit handlers
    const counted = existsSync(framesFile) ? JSON.parse(readFileSync(framesFile, "utf8")) : {};
    const frames = counted.frames ?? Number.NaN;
    return {
      rowsPerSecond: wroteRows / wroteSeconds,
      epochsWritten: written.size,
      cpuIdle: idle,
      cpuWriting: busy,
      // Frames in the whole life of the TUI, over the writing window: start-up's few are noise.
      framesPerSecond: frames / window,
      every,
      newest,
      final,
    };
  } finally {
    tmux("kill-server");
    writer.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = new Map();
for (let round = 0; round < rounds; round++)
  for (const size of sizes)
    for (const tree of trees) {
      const r = await measure(tree, size);
      const key = `${size} ${tree}`;
      if (!results.has(key)) results.set(key, []);
      results.get(key).push(r);
      if (!args.includes("--json"))
        console.log(
          `round ${round + 1} ${key}: CPU ${(r.cpuWriting * 100).toFixed(1)}%, ${r.framesPerSecond.toFixed(1)} frames/s`,
        );
    }

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const summary = [...results].map(([key, rs]) => {
  const [size, tree] = key.split(" ");
  const every = rs.flatMap((r) => r.every);
  const newest = rs.flatMap((r) => r.newest);
  return {
    size,
    tree,
    rounds: rs.length,
    rowsPerSecond: Math.round(median(rs.map((r) => r.rowsPerSecond))),
    cpuShareWriting: median(rs.map((r) => r.cpuWriting)),
    cpuShareWritingRounds: rs.map((r) => r.cpuWriting),
    cpuShareIdle: median(rs.map((r) => r.cpuIdle)),
    framesPerSecond: median(rs.map((r) => r.framesPerSecond)),
    epochsWritten: rs.reduce((a, r) => a + r.epochsWritten, 0),
    epochsSeen: every.length,
    latencyMs: { p50: q(every, 0.5), p99: q(every, 0.99), max: Math.max(...every) },
    newestLatencyMs: { p50: q(newest, 0.5), p99: q(newest, 0.99), max: Math.max(...newest) },
    final: rs[rs.length - 1].final,
  };
});
const load = machineLoad();

if (args.includes("--json")) console.log(JSON.stringify({ summary: summary.map(({ final, ...s }) => s), load }));
else {
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const ms = (l) => `p50 ${l.p50.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms, max ${l.max.toFixed(0)} ms`;
  console.log(`The screen at the end (${summary[summary.length - 1].size}):\n${summary[summary.length - 1].final}`);
  for (const s of summary) {
    console.log(
      `veyra tui --pane seeds at ${s.size} (${s.tree}), writer at ${s.rowsPerSecond} rows/s (target 1,000), ${s.rounds} rounds of ${seconds} s:`,
    );
    console.log(
      `  TUI CPU share of one core: ${pct(s.cpuShareWriting)} while writing (rounds ${s.cpuShareWritingRounds.map(pct).join(", ")}; target ≤ 15%), ${pct(s.cpuShareIdle)} idle; ${s.framesPerSecond.toFixed(1)} frames/s`,
    );
    console.log(
      `  epoch row committed → on screen, every epoch: ${ms(s.latencyMs)} (target ≤ 250 ms; ${s.epochsSeen} of ${s.epochsWritten} epochs); newest drawn only: ${ms(s.newestLatencyMs)}`,
    );
  }
  console.log(`  ${load}`);
}
