// The trace store's two targets, measured in one run on one machine:
//   1. recording through the recorder (event encoding, hash chain, batching,
//      checkpoints) at >= 50% of the rate of raw better-sqlite3 inserts of rows of
//      the same size, batched the same way;
//   2. reaching a random step of a 1,000,000-step trace via checkpoints at least
//      100x faster than rebuilding its state from the first step.
// Also sweeps the checkpoint interval K (the default, 256, was chosen from it).
// Usage: npm run build && node bench/trace.mjs [--steps N] [--json]
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TraceStore } from "../dist/src/store/store.js";
import { TraceRecorder } from "../dist/src/trace/recorder.js";
import { stateAt } from "../dist/src/trace/state-at.js";
import { encodeEvent } from "../dist/src/trace/step-codec.js";
import { prepareFile, sampleInputs } from "../dist/src/runtime/prepared.js";
import { syntheticStep } from "./synthetic-steps.mjs";

const args = process.argv.slice(2);
const bigSteps = Number(args[args.indexOf("--steps") + 1]) || 1_000_000;
const json = args.includes("--json");
const dir = mkdtempSync(join(tmpdir(), "vesper-bench-trace-"));
const p = prepareFile("examples/payment.vsp");
const meta = {
  node: p,
  runtime: "reference",
  backend: "reference-float64",
  mode: null,
  inputs: sampleInputs(p),
  seed: "0",
  context: { clockStartMs: 0 },
};
const event = (i) => syntheticStep(i, p.node.file);

const seconds = (f) => {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
};

// 1. Raw inserts vs the recorder, same rows, same batch size (512), fresh files.
function rawInsertRate(n, round) {
  const store = TraceStore.open(join(dir, `raw-${round}.db`));
  store.db
    .prepare(
      "INSERT INTO traces (id, node_id, node_file, content_hash, runtime, engine_backend, status, inputs, seed, context, started_at) VALUES ('tr_raw', 'n', 'f', 'h', 'reference', 'x', 'running', '{}', '0', '{}', 0)",
    )
    .run();
  const insert = store.db.prepare(
    "INSERT INTO steps (trace_id, idx, step, op, line, col, event, duration_us, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  // Rows of exactly the recorder's size, prepared beforehand: only the inserts are timed.
  const rows = Array.from({ length: 512 }, (_, i) => [JSON.stringify(encodeEvent(event(i))), "f".repeat(64)]);
  const batch = store.db.transaction((from) => {
    for (let i = from; i < from + 512; i++)
      insert.run("tr_raw", i, `compute_${i % 40}`, "compute", 64, 5, rows[i % 512][0], 3, rows[i % 512][1]);
  });
  const s = seconds(() => {
    for (let i = 0; i < n; i += 512) batch(i);
  });
  store.close();
  return n / s;
}

// The runtime builds events whatever happens to them; only the recorder's work is timed.
const EVENTS = Array.from({ length: 4096 }, (_, i) => event(i));

function recordTrace(store, n, checkpointEvery) {
  const rec = TraceRecorder.begin(store, meta, { checkpointEvery });
  const s = seconds(() => {
    for (let i = 0; i < n; i++) {
      const e = EVENTS[i % 4096];
      e.index = i;
      rec.step(e, 3);
    }
    rec.finish({ status: "success", steps: n - 1 }, 1);
  });
  return { id: rec.id, rate: n / s };
}

function seekTimes(store, id, n, samples, useCheckpoints) {
  const t = store.db.prepare("SELECT * FROM traces WHERE id = ?").get(id);
  let rng = 12345;
  const next = () => (rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const times = [];
  for (let k = 0; k < samples; k++) {
    const target = Math.floor(next() * n);
    times.push(seconds(() => stateAt(store, t, target, null, useCheckpoints)) * 1000);
  }
  return times.reduce((a, b) => a + b, 0) / times.length;
}

// Alternating rounds, each into a fresh file, and the median of each: the machine is
// shared, and a single pair of measurements moves by several percent.
const N = 100_000;
const ROUNDS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rawRates = [];
const recRates = [];
for (let r = 0; r < ROUNDS; r++) {
  rawRates.push(rawInsertRate(N, r));
  const recStore = TraceStore.open(join(dir, `rec-${r}.db`));
  recRates.push(recordTrace(recStore, N, 256).rate);
  recStore.close();
}
const raw = median(rawRates);
const recorded = { rate: median(recRates) };

// Checkpoint interval sweep on 200,000-step traces.
const SWEEP_STEPS = 200_000;
const sweep = [];
for (const K of [64, 256, 1024, 4096]) {
  const file = join(dir, `k${K}.db`);
  const store = TraceStore.open(file);
  const r = recordTrace(store, SWEEP_STEPS, K);
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  sweep.push({
    K,
    recordPerSec: r.rate,
    seekMs: seekTimes(store, r.id, SWEEP_STEPS, 200, true),
    fileMB: statSync(file).size / 2 ** 20,
  });
  store.close();
}

// 2. The million-step trace.
const bigStore = TraceStore.open(join(dir, "big.db"));
const big = recordTrace(bigStore, bigSteps, 256);
const viaCheckpoints = seekTimes(bigStore, big.id, bigSteps, 500, true);
const fromStart = seekTimes(bigStore, big.id, bigSteps, 6, false);
bigStore.close();
rmSync(dir, { recursive: true, force: true });

const result = {
  raw_inserts_per_sec: Math.round(raw),
  recorded_steps_per_sec: Math.round(recorded.rate),
  recording_vs_raw: recorded.rate / raw,
  big_trace_steps: bigSteps,
  seek_ms_via_checkpoints: viaCheckpoints,
  seek_ms_from_start: fromStart,
  seek_speedup: fromStart / viaCheckpoints,
  checkpoint_sweep: sweep,
};
if (json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(
    `node ${process.version}; step rows of ${JSON.stringify(encodeEvent(event(12345))).length} bytes of event JSON, batches of 512; median of ${ROUNDS} alternating rounds of ${N.toLocaleString("en")} rows\n`,
  );
  console.log(`raw better-sqlite3 inserts      ${result.raw_inserts_per_sec.toLocaleString("en")} rows/s`);
  console.log(`recorder (encode, hash, batch)  ${result.recorded_steps_per_sec.toLocaleString("en")} steps/s`);
  console.log(`recording / raw                 ${(result.recording_vs_raw * 100).toFixed(0)}%   (target >= 50%)\n`);
  console.log(`${bigSteps.toLocaleString("en")}-step trace, state at a random step:`);
  console.log(`  via checkpoints (K = 256)     ${viaCheckpoints.toFixed(3)} ms`);
  console.log(`  from the first step           ${fromStart.toFixed(1)} ms`);
  console.log(`  speed-up                      ${result.seek_speedup.toFixed(0)}x   (target >= 100x)\n`);
  console.log("checkpoint interval K (200,000-step traces):");
  console.log("     K   record steps/s   seek ms   file MB");
  for (const s of sweep)
    console.log(
      `${String(s.K).padStart(6)}${Math.round(s.recordPerSec).toLocaleString("en").padStart(17)}${s.seekMs.toFixed(3).padStart(10)}${s.fileMB.toFixed(1).padStart(10)}`,
    );
}
