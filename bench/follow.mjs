// The follow reader's two targets, measured in one run on one machine:
//   1. latency: a trace row committed by another process is seen within 50 ms
//      (write → trace_started event; p50, p99 and max over --writes writes, spaced
//      20–40 ms apart so the follower is idle before each, as it would be live);
//   2. idle cost: a follower of a store nobody writes costs nearly nothing. CPU time
//      (process.cpuUsage) over --idle-ms, in interleaved rounds against a bare timer
//      at the same interval (what any poller costs), medians and spreads.
// Both processes stamp times with performance.timeOrigin + performance.now().
// Usage: npm run build && node bench/follow.mjs [--writes N] [--rounds N] [--idle-ms MS] [--json]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { TraceStore } from "../dist/src/store/store.js";
import { TraceRecorder } from "../dist/src/trace/recorder.js";
import { prepareFile, sampleInputs } from "../dist/src/runtime/prepared.js";
import { DEFAULT_POLL_MS, followStore } from "../dist/src/workbench/follow.js";

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const now = () => performance.timeOrigin + performance.now();

if (args[0] === "--writer") {
  // The second process: begin (and at once finish) one trace per write, printing
  // each trace's id and the moment its row was committed.
  const [, store, count] = args;
  const s = TraceStore.open(store);
  const p = prepareFile(new URL("../examples/payment.vsp", import.meta.url).pathname);
  const meta = {
    node: p,
    runtime: "reference",
    backend: "reference-float64",
    mode: null,
    inputs: sampleInputs(p),
    seed: "0",
    context: { clockStartMs: 0 },
  };
  process.stdout.write("ready\n");
  await sleep(300);
  for (let i = 0; i < Number(count); i++) {
    await sleep(20 + Math.random() * 20);
    const rec = TraceRecorder.begin(s, meta);
    const at = now();
    process.stdout.write(`${rec.id} ${at}\n`);
    rec.finish({ status: "success", steps: 0 }, 0);
  }
  s.close();
  process.exit(0);
}

const writes = flag("--writes", 200);
const rounds = flag("--rounds", 5);
const idleMs = flag("--idle-ms", 1000);
const json = args.includes("--json");
const dir = mkdtempSync(join(tmpdir(), "vesper-bench-follow-"));
const store = join(dir, "store.db");
TraceStore.open(store).close();

// 1. Latency.
const follow = followStore(store);
const seen = new Map();
const written = new Map();
const writer = spawn(process.execPath, [new URL(import.meta.url).pathname, "--writer", store, String(writes)], {
  stdio: ["ignore", "pipe", "inherit"],
});
createInterface({ input: writer.stdout }).on("line", (line) => {
  const [id, at] = line.split(" ");
  if (at) written.set(id, Number(at));
});
const writerDone = new Promise((resolve) => writer.on("exit", resolve));
for await (const e of follow) {
  if (e.kind === "trace_started") seen.set(e.traceId, now());
  if (seen.size >= writes) break;
}
await writerDone;
const latencies = [...seen].map(([id, at]) => at - written.get(id)).sort((a, b) => a - b);
const pct = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];

// 2. Idle cost, interleaved: A = a follower of the idle store, B = a bare timer at the same interval.
async function cpuOver(ms, start, stop) {
  const handle = start();
  await sleep(50); // let it settle
  const before = process.cpuUsage();
  await sleep(ms);
  const used = process.cpuUsage(before);
  await stop(handle);
  return (used.user + used.system) / 1000 / (ms / 1000); // CPU ms per second
}
const followerRound = () =>
  cpuOver(
    idleMs,
    () => {
      const stopper = new AbortController();
      const f = followStore(store, { signal: stopper.signal });
      const done = (async () => {
        for await (const _ of f);
      })();
      return { stopper, done };
    },
    async ({ stopper, done }) => {
      stopper.abort();
      await done;
    },
  );
const timerRound = () =>
  cpuOver(
    idleMs,
    () => setInterval(() => {}, DEFAULT_POLL_MS),
    async (t) => clearInterval(t),
  );
const a = [];
const b = [];
for (let i = 0; i < rounds; i++) {
  a.push(await followerRound());
  b.push(await timerRound());
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const spread = (xs) => [Math.min(...xs), Math.max(...xs)];
rmSync(dir, { recursive: true, force: true });

const result = {
  writes: latencies.length,
  poll_ms: DEFAULT_POLL_MS,
  latency_ms: { p50: pct(0.5), p99: pct(0.99), max: latencies[latencies.length - 1] },
  within_50ms: latencies.filter((l) => l <= 50).length / latencies.length,
  idle_cpu_ms_per_s: {
    follower: { median: median(a), min: spread(a)[0], max: spread(a)[1] },
    bare_timer: { median: median(b), min: spread(b)[0], max: spread(b)[1] },
  },
};
if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else {
  const f = (x) => x.toFixed(2);
  const l = result.latency_ms;
  const c = result.idle_cpu_ms_per_s;
  process.stdout.write(
    `follow latency, write → seen, over ${result.writes} writes from another process (poll every ${DEFAULT_POLL_MS} ms):\n` +
      `  p50 ${f(l.p50)} ms   p99 ${f(l.p99)} ms   max ${f(l.max)} ms   within 50 ms: ${(result.within_50ms * 100).toFixed(1)}%\n` +
      `idle cost, CPU ms per second of following (${rounds} interleaved rounds of ${idleMs} ms, median [min–max]):\n` +
      `  follower   ${f(c.follower.median)} [${f(c.follower.min)}–${f(c.follower.max)}]  (${f(c.follower.median / 10)}% of a core)\n` +
      `  bare timer ${f(c.bare_timer.median)} [${f(c.bare_timer.min)}–${f(c.bare_timer.max)}]  (a setInterval every ${DEFAULT_POLL_MS} ms doing nothing)\n`,
  );
}
