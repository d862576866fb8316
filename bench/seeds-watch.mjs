// Seed telemetry's two targets, measured in one run on one machine:
//   1. latency: an event the trainer hands the sink (sink.event()) in one process
//      is printed by `veyra seeds watch --json` in another within 250 ms (p50, p99
//      and max over --events events, spaced 20–60 ms apart as in the middle of an
//      epoch), for stage changes (the sink commits them at once) and gate results
//      (batched: committed when the oldest waiting row is 100 ms old, at the next
//      call or on the sink's timer; at an epoch's end all is committed at once).
//      Times are performance.timeOrigin + performance.now() in each process.
//   2. cost: the sink's time to write one realistic epoch's records (1 epoch row,
//      250 step rows in 10 calls, 10 events, committed at the epoch's end), and the
//      same with a 400 KB checkpoint (an MNIST MLP's weights), in interleaved rounds;
//      CPU and wall time per epoch, medians and spreads, as a share of a typical
//      MNIST epoch (1 s and 3 s). Target: at most 5%.
// Usage: npm run build && node bench/seeds-watch.mjs [--events N] [--rounds N] [--epochs N] [--json]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { cpuUs, machineLoad, median, spreadPct } from "./cpu-rounds.mjs";
import { openTelemetrySink } from "../dist/src/seeds/telemetry-sink.js";
import { TraceStore } from "../dist/src/store/store.js";
import { epochRecords, header } from "../test/fixtures/synthetic-seed-run.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const now = () => performance.timeOrigin + performance.now();
const STAGES = ["DORMANT", "GERMINATED", "TRAINING", "GRAFTING", "STABILIZATION", "EVALUATING", "FINE_TUNING"];

if (args[0] === "--writer") {
  // The trainer's side: one run, one stage event at a time through the real sink.
  const [, store, runId, count] = args;
  const s = TraceStore.open(store);
  const sink = openTelemetrySink(s);
  sink.startRun(header(runId, { epochs: 1 }));
  sink.flush();
  process.stdout.write("ready\n");
  await new Promise((resolve) => process.stdin.once("data", resolve)); // the watcher is following
  for (let seq = 0; seq < Number(count); seq++) {
    await sleep(20 + Math.random() * 40);
    const from = STAGES[seq % STAGES.length];
    const to = STAGES[(seq + 1) % STAGES.length];
    const event =
      seq % 2 === 0
        ? { kind: "stage", seedId: "s0", slot: "h1", blueprint: "bottleneck", from, to, reason: "bench" }
        : {
            kind: "gate",
            seedId: "s0",
            gate: "G1",
            passed: true,
            values: { norm: 1 },
            thresholds: { norm: 10 },
            detail: "",
          };
    const at = now();
    sink.event({ runId, seq, series: "seeded", epoch: 1, event, at: Date.now() });
    process.stdout.write(`${seq} ${at}\n`);
  }
  sink.finish({ runId, status: "finished", epochs: 1, finalTestAccuracy: 0, baselineTestAccuracy: null, seeds: [] });
  sink.close();
  s.close();
  process.exit(0);
}

const events = flag("--events", 200);
const rounds = flag("--rounds", 7);
const epochsPerRound = flag("--epochs", 20);
const json = args.includes("--json");
const dir = mkdtempSync(join(tmpdir(), "vesper-bench-seeds-"));
const store = join(dir, "store.db");
TraceStore.open(store).close();
const loadBefore = machineLoad();

// 1. Latency: writer → store → `veyra seeds watch --json` (a third process).
const runId = "sr_bench_watch";
const written = new Map();
const seen = new Map();
const writer = spawn(process.execPath, [new URL(import.meta.url).pathname, "--writer", store, runId, String(events)], {
  stdio: ["pipe", "pipe", "inherit"],
});
const writerLines = createInterface({ input: writer.stdout });
const ready = new Promise((resolve) => writerLines.once("line", resolve));
writerLines.on("line", (line) => {
  const [seq, at] = line.split(" ");
  if (at) written.set(Number(seq), Number(at));
});
await ready;
const bin = new URL("../bin/veyra.js", import.meta.url).pathname;
const watcher = spawn(process.execPath, [bin, "seeds", "watch", runId, "--json", "--store", store], {
  stdio: ["ignore", "pipe", "inherit"],
});
const watched = new Promise((resolve) => {
  createInterface({ input: watcher.stdout }).on("line", (line) => {
    const e = JSON.parse(line);
    if (e.event === "run_started") writer.stdin.write("go\n");
    if (e.event === "seed_event") seen.set(e.seq, { at: now(), kind: e.seedEvent.kind });
    if (e.event === "run_finished") resolve();
  });
});
await watched;
await new Promise((resolve) => (watcher.exitCode !== null ? resolve() : watcher.on("exit", resolve)));
const latenciesOf = (kind) =>
  [...seen]
    .filter(([, e]) => kind === undefined || e.kind === kind)
    .map(([seq, e]) => e.at - written.get(seq))
    .sort((a, b) => a - b);
const pct = (xs, q) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const latency = (xs) => ({ events: xs.length, p50: pct(xs, 0.5), p99: pct(xs, 0.99), max: xs[xs.length - 1] });
const latencies = latenciesOf();

// 2. The sink's cost per epoch, interleaved: A = the epoch's records, B = the same and a 400 KB checkpoint.
const s = TraceStore.open(store);
const sink = openTelemetrySink(s);
const weights = new Uint8Array(400 * 1024).map((_, i) => i & 0xff);
let epoch = 0;
let seq = 0;
function writeEpoch(runName, checkpoint) {
  epoch++;
  const r = epochRecords(runName, epoch, { stepsPerEpoch: 250, firstSeq: seq, eventsPerEpoch: 10 });
  for (let i = 0; i < 250; i += 25) sink.steps(r.steps.slice(i, i + 25));
  for (const e of r.events) sink.event(e);
  seq += r.events.length;
  sink.epoch(r.epochs[0]);
  if (checkpoint) sink.checkpoint(runName, epoch, weights);
}
sink.startRun(header("sr_bench_cost", { epochs: 1_000_000 }));
for (let i = 0; i < 5; i++) writeEpoch("sr_bench_cost", true); // warm up
const a = { cpu: [], wall: [] };
const b = { cpu: [], wall: [] };
for (let round = 0; round < rounds; round++) {
  for (const [into, checkpoint] of [
    [a, false],
    [b, true],
  ]) {
    const cpu0 = cpuUs();
    const wall0 = performance.now();
    for (let i = 0; i < epochsPerRound; i++) writeEpoch("sr_bench_cost", checkpoint);
    into.cpu.push((cpuUs() - cpu0) / 1000 / epochsPerRound);
    into.wall.push((performance.now() - wall0) / epochsPerRound);
  }
}
sink.close();
s.close();
rmSync(dir, { recursive: true, force: true });

const figures = (x) => ({ median: median(x), spread_pct: spreadPct(x) });
const result = {
  events: latencies.length,
  latency_ms: { stage: latency(latenciesOf("stage")), gate: latency(latenciesOf("gate")), all: latency(latencies) },
  within_250ms: latencies.filter((l) => l <= 250).length / latencies.length,
  epoch_cost_ms: {
    records: { cpu: figures(a.cpu), wall: figures(a.wall) },
    with_checkpoint: { cpu: figures(b.cpu), wall: figures(b.wall) },
  },
  share_of_epoch_pct: {
    records_1s: median(a.wall) / 10,
    records_3s: median(a.wall) / 30,
    with_checkpoint_1s: median(b.wall) / 10,
    with_checkpoint_3s: median(b.wall) / 30,
  },
  load_before: loadBefore,
  load_after: machineLoad(),
};
if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
else {
  const f = (x) => x.toFixed(2);
  const l = result.latency_ms;
  const line = (name, x) => `  ${name.padEnd(18)} p50 ${f(x.p50)} ms   p99 ${f(x.p99)} ms   max ${f(x.max)} ms\n`;
  const c = result.epoch_cost_ms;
  const sh = result.share_of_epoch_pct;
  process.stdout.write(
    `seeds watch latency, sink.event() in one process → printed by \`veyra seeds watch --json\` in another, over ${result.events} events:\n` +
      line("stage changes", l.stage) +
      line("gates (batched)", l.gate) +
      `  within 250 ms: ${(result.within_250ms * 100).toFixed(1)}% of all\n` +
      `sink cost per epoch (1 epoch row, 250 steps, 10 events; ${rounds} interleaved rounds of ${epochsPerRound} epochs; median, spread):\n` +
      `  records            wall ${f(c.records.wall.median)} ms (±${c.records.wall.spread_pct.toFixed(0)}%)  cpu ${f(c.records.cpu.median)} ms  → ${f(sh.records_1s)}% of a 1 s epoch, ${f(sh.records_3s)}% of a 3 s one\n` +
      `  + 400 KB checkpoint wall ${f(c.with_checkpoint.wall.median)} ms (±${c.with_checkpoint.wall.spread_pct.toFixed(0)}%)  cpu ${f(c.with_checkpoint.cpu.median)} ms  → ${f(sh.with_checkpoint_1s)}% of a 1 s epoch, ${f(sh.with_checkpoint_3s)}% of a 3 s one\n` +
      `machine: before ${result.load_before}; after ${result.load_after}\n`,
  );
}
