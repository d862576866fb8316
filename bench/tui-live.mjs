// The Seeds pane live, measured in a real terminal (a private tmux server): a
// writer process writes seed telemetry through the real sink at --rate rows/s
// (default 1,000: per epoch 85 step rows, 14 events and the epoch row, --rate/100
// epochs a second, each epoch committed at its end as the trainer's are) while
// `veyra tui --pane seeds --run ID` shows the run. Reported:
//   - the TUI process's CPU share of one core, from /proc/<pid>/stat (utime+stime)
//     over the window, idle first (the run open, nothing written) and then while
//     the writer writes; the target: at most 15% at 1,000 rows/s;
//   - the latency from an epoch row's commit (writer clock) to its number showing in
//     the pane's header (capture-pane polled as fast as tmux answers; both clocks
//     are performance.timeOrigin + now()), p50/p99/max; target: within 250 ms;
//   - the rows the writer actually wrote per second, and the machine's load beside.
// Usage: npm run build && node bench/tui-live.mjs [--rate N] [--seconds S] [--size 200x50] [--json]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { machineLoad } from "./cpu-rounds.mjs";

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
    const r = epochRecords(runId, epoch, { stepsPerEpoch: 85, firstSeq: seq });
    const events = r.events.map((e) => ({ ...e, at: Date.now() }));
    // More gate results, as a busy epoch has, up to 14 events.
    for (let i = events.length; i < 14; i++) {
      events.push({
        runId,
        seq: seq + i,
        series: "seeded",
        epoch,
        event: {
          kind: "gate",
          seedId: "s0",
          gate: "G1",
          passed: true,
          values: { max_grad_norm: i },
          thresholds: { max_grad_norm: 100 },
          detail: "bench",
        },
        at: Date.now(),
      });
    }
    sink.steps(r.steps);
    for (const e of events) sink.event(e);
    seq += events.length;
    sink.epoch(r.epochs[0]); // commits the epoch's batch
    rows += r.steps.length + events.length + 1;
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
const [columns, lines] = flag("--size", "200x50").split("x");
const dir = mkdtempSync(join(tmpdir(), "bench-tui-live-"));
const store = join(dir, "store.db");
const runId = "sr_bench_live";
const socket = `bench-tui-live-${process.pid}`;
const tmux = (...a) => spawnSync("tmux", ["-L", socket, "-f", "/dev/null", ...a], { encoding: "utf8" });
const screen = () => tmux("capture-pane", "-p", "-t", "s").stdout;
const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
};

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

const out = {};
try {
  await isReady;
  tmux("new-session", "-d", "-s", "s", "-x", columns, "-y", lines, "-c", root, "sh");
  const env = "env -u CI -u CONTINUOUS_INTEGRATION";
  // e.g. --node-args "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the TUI.
  const nodeArgs = flag("--node-args", "");
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
  const latencies = [];
  let shown = 0;
  const pattern = /epoch (\d+)\/1000000/;
  let writing = true;
  writerDone.then(() => {
    writing = false;
  });
  while (writing) {
    // Let the writer's lines (its commit times) and its exit be read between captures.
    await new Promise((r) => setImmediate(r));
    const m = pattern.exec(screen());
    const seenAt = now();
    const epoch = m ? Number(m[1]) : 0;
    if (epoch > shown && written.has(epoch)) {
      latencies.push(seenAt - written.get(epoch));
      shown = epoch;
    }
  }
  const busy = (cpuTicks(pid) - c0) / ticksPerSecond / ((performance.now() - t0) / 1000);
  await writerDone;
  const final = screen();
  latencies.sort((x, y) => x - y);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  Object.assign(out, {
    size: `${columns}x${lines}`,
    rowsPerSecond: Math.round(wroteRows / wroteSeconds),
    epochsWritten: written.size,
    epochsSeen: latencies.length,
    cpuShareIdle: idle,
    cpuShareWriting: busy,
    latencyMs: { p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1] },
    load: machineLoad(),
  });
  if (!args.includes("--json")) {
    console.log("The screen at the end:\n" + final);
  }
} finally {
  // q first, so the TUI exits as a user leaves it (a --cpu-prof profile is written then).
  tmux("send-keys", "-t", "s", "q");
  await sleep(500);
  tmux("kill-server");
  writer.kill();
  rmSync(dir, { recursive: true, force: true });
}

if (args.includes("--json")) console.log(JSON.stringify(out));
else {
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `veyra tui --pane seeds at ${out.size}, writer at ${out.rowsPerSecond} rows/s (target 1,000) for ${seconds} s:`,
  );
  console.log(
    `  TUI CPU share of one core: ${pct(out.cpuShareWriting)} while writing (target ≤ 15%), ${pct(out.cpuShareIdle)} idle`,
  );
  console.log(
    `  epoch row committed → on screen: p50 ${out.latencyMs.p50.toFixed(0)} ms, p99 ${out.latencyMs.p99.toFixed(0)} ms, max ${out.latencyMs.max.toFixed(0)} ms (target ≤ 250 ms; ${out.epochsSeen} of ${out.epochsWritten} epochs caught on screen)`,
  );
  console.log(`  ${out.load}`);
}
