// Seeds: what the seed machinery costs, side by side in one run on the wasm backend.
//  1. Training-step throughput: samples/s of an epoch of training steps (the trainer's
//     own step time, evaluation excluded) through the seeds path, in three states:
//     no seed (slots empty), a seed TRAINING in L0 (its isolated step and the host's),
//     and a seed grafted in L0 at an alpha in (0, 1) (the host step with the blend),
//     each against the same-shaped bare MLP step `veyra engine bench` times
//     (src/engine/mlp.ts: batch 256, 64 → 256 → 10). Rounds are interleaved so every
//     side sees the same load from other processes; median and spread of the per-round
//     ratios, and the machine's load, are printed. Target: ≥ 70%.
//  2. Telemetry: whole seeded epochs (policy, gates, seeds) recording through the
//     recorder into the real SQLite sink (openTelemetrySink on a temporary store) and
//     into the in-memory sink; the time spent in the recorder, the sink, the epoch's
//     checkpoint and its flush, as a share of epoch time, per epoch. Target: ≤ 5%.
// Run: npm run bench:seeds (after npm run build).
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { defaultSeedsConfig } from "../dist/src/config/seeds-config.js";
import { createEngine } from "../dist/src/engine/create-engine.js";
import { initMlp, syntheticBlobs, TfMlp } from "../dist/src/engine/mlp.js";
import { MemorySink } from "../dist/src/seeds/memory-sink.js";
import { Recorder } from "../dist/src/seeds/recorder.js";
import { openTelemetrySink } from "../dist/src/seeds/telemetry-sink.js";
import { Trainer } from "../dist/src/seeds/trainer.js";
import { TraceStore } from "../dist/src/store/store.js";
import { interfaceCheck, loadBlueprints } from "../dist/src/workbench/seed-blueprints.js";

const loadAtStart = loadavg();
const engine = await createEngine({ backend: process.env.VEYRA_BACKEND ?? "wasm" });
const tf = engine.tf;
const shape = { batch: 256, inputs: 64, hidden: 256, classes: 10 };
const samples = 8192;
const blobs = syntheticBlobs(samples, shape.inputs, shape.classes, 11);
const split = (from, to) => ({
  count: to - from,
  features: shape.inputs,
  classes: shape.classes,
  x: blobs.x.slice(from * shape.inputs, to * shape.inputs),
  labels: blobs.labels.slice(from, to),
});
const data = {
  dataset: "mnist",
  train: split(0, samples - 512),
  validation: split(samples - 512, samples - 256),
  test: split(samples - 256, samples),
};
const trainCount = data.train.count;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// 1. Step throughput, interleaved rounds: bare MLP fit, and the seeds path empty, with a
// TRAINING seed and with a grafted one.
const bare = new TfMlp(tf, initMlp(shape, 3));
const bareData = {
  ...blobs,
  samples: trainCount,
  x: data.train.x,
  labels: data.train.labels,
  oneHot: blobs.oneHot.slice(0, trainCount * shape.classes),
};
const blueprints = loadBlueprints();
const check = interfaceCheck(blueprints);
const drop = { event() {}, steps() {}, epoch() {} };
const never = 1_000_000;
// Settings that hold a seed where it is put: no germination by the policy, no move on,
// no gate that would take it out, no breaker; the steps are the ordinary ones.
const stepConfig = {
  ...defaultSeedsConfig("mnist"),
  hostHidden: [shape.hidden],
  batchSize: shape.batch,
  learningRate: 0.05,
  seedLearningRate: 0.05,
  epochs: never,
  origins: {},
  lifecycle: {
    minTrainingEpochs: never,
    maxTrainingEpochs: never,
    // A graft that runs over 20 epochs: alpha is well inside (0, 1) for the whole bench.
    graftEpochs: 20,
    stabilizationEpochs: 1,
    fineTuneEpochs: 1,
  },
  policy: { ...defaultSeedsConfig("mnist").policy, warmupEpochs: never },
  gates: { ...defaultSeedsConfig("mnist").gates, g1MaxGradNorm: 1e30, g4MaxDrop: 1, breakerLossFactor: 1e30 },
};
const SLOT = "L0";
const BLUEPRINT = "bottleneck_adapter";
function stepTrainer(stage) {
  const t = new Trainer({
    tf,
    config: stepConfig,
    data,
    blueprints,
    interfaceCheck: check,
    runId: "bench",
    series: stage === "empty" ? "baseline" : "seeded",
    seedsEnabled: stage !== "empty",
    output: drop,
  });
  if (stage !== "empty") {
    const seed = t.manager.germinate(SLOT, BLUEPRINT);
    t.manager.advance(seed);
    if (stage === "grafted") t.manager.request(seed, "GRAFTING", "bench: blend in");
  }
  return t;
}
const sides = { empty: stepTrainer("empty"), training: stepTrainer("training"), grafted: stepTrainer("grafted") };
bare.fit(bareData, 1, shape.batch, 0.05); // warm-up
for (const t of Object.values(sides)) await t.runEpoch();
const times = { bare: [], empty: [], training: [], grafted: [] };
const ratios = { empty: [], training: [], grafted: [] };
const rounds = 7;
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  bare.fit(bareData, 1, shape.batch, 0.05);
  times.bare.push((performance.now() - t0) / 1000);
  for (const [name, t] of Object.entries(sides)) {
    await t.runEpoch();
    times[name].push(t.lastStepSeconds);
    ratios[name].push(times.bare[i] / t.lastStepSeconds);
  }
}
const stages = Object.fromEntries(
  Object.entries(sides).map(([name, t]) => [name, t.manager.all().map((s) => `${s.stage} α=${s.alpha.toFixed(3)}`)]),
);
bare.dispose();
for (const t of Object.values(sides)) t.dispose();

// 2. Telemetry: whole seeded epochs, the recorder writing into the SQLite sink or the memory sink.
const telemetryConfig = {
  ...defaultSeedsConfig("mnist"),
  hostHidden: [32],
  epochs: never,
  origins: {},
  policy: { ...defaultSeedsConfig("mnist").policy, warmupEpochs: 1, plateauThreshold: 10 },
};
const folder = mkdtempSync(join(tmpdir(), "veyra-bench-seeds-"));
const store = TraceStore.open(join(folder, "bench.db"));
let runs = 0;
async function seededEpochs(kind) {
  runs += 1;
  const runId = `sr_bench${runs}`;
  const sink = kind === "sqlite" ? openTelemetrySink(store) : new MemorySink();
  sink.startRun({
    runId,
    dataset: "mnist",
    epochs: 8,
    seed: 1,
    backend: engine.backend,
    baseline: false,
    config: {},
    resumed: false,
    startedAt: Date.now(),
  });
  const recorder = new Recorder(sink, runId);
  let inside = 0;
  const timed = (fn) => {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      inside += (performance.now() - t0) / 1000;
    }
  };
  const output = {
    event: (...a) => timed(() => recorder.event(...a)),
    steps: (...a) => timed(() => recorder.steps(...a)),
    epoch: (...a) => timed(() => recorder.epoch(...a)),
  };
  const trainer = new Trainer({
    tf,
    config: telemetryConfig,
    data,
    blueprints,
    interfaceCheck: check,
    runId,
    series: "seeded",
    seedsEnabled: true,
    output,
  });
  let epochSeconds = 0;
  const shares = [];
  for (let e = 0; e < 8; e++) {
    const before = inside;
    const t0 = performance.now();
    await trainer.runEpoch();
    // What seed-run.ts does after each epoch: a checkpoint event, the checkpoint, a flush.
    timed(() => {
      recorder.event("seeded", trainer.epoch, { kind: "checkpoint", epoch: trainer.epoch });
      sink.checkpoint(runId, trainer.epoch, trainer.checkpoint());
      sink.flush();
    });
    const seconds = (performance.now() - t0) / 1000;
    epochSeconds += seconds;
    shares.push((inside - before) / seconds);
  }
  timed(() => {
    sink.finish({ runId, status: "finished", epochs: 8, finalTestAccuracy: 0, baselineTestAccuracy: null, seeds: [] });
    sink.flush();
  });
  if (kind === "sqlite") sink.close();
  trainer.dispose();
  return { shares, share: inside / epochSeconds, epochSeconds, events: recorder.seq };
}
const telemetry = { memory: [], sqlite: [] };
for (let i = 0; i < 3; i++) {
  telemetry.memory.push(await seededEpochs("memory"));
  telemetry.sqlite.push(await seededEpochs("sqlite"));
}
store.close();
rmSync(folder, { recursive: true, force: true });
const loadAtEnd = loadavg();

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const spread = (xs) => `${pct(Math.min(...xs))}–${pct(Math.max(...xs))}`;
console.log(
  `backend ${engine.backend}; MLP ${shape.inputs}→${shape.hidden}→${shape.classes}, batch ${shape.batch}, ${trainCount} training rows; load average ${loadAtStart.map((x) => x.toFixed(2)).join(" ")} at start, ${loadAtEnd.map((x) => x.toFixed(2)).join(" ")} at end (${(await import("node:os")).cpus().length} CPUs)`,
);
console.log(
  `training step (samples/s, median of ${rounds} interleaved rounds; ratio to the bare MLP step, target ≥ 70%)`,
);
console.log(`  bare MLP (veyra engine bench's step)   ${(trainCount / median(times.bare)).toFixed(0)}`);
for (const [name, label] of [
  ["empty", "seeds path, slots empty             "],
  ["training", `seeds path, ${BLUEPRINT} TRAINING in ${SLOT}`],
  ["grafted", `seeds path, ${BLUEPRINT} grafted in ${SLOT}`],
])
  console.log(
    `  ${label}   ${(trainCount / median(times[name])).toFixed(0)}   ratio ${pct(median(ratios[name]))} (rounds ${spread(ratios[name])})${name === "empty" ? "" : `  [${stages[name].join(", ")}]`}`,
  );
console.log("telemetry (recorder + sink + per-epoch checkpoint and flush, as a share of epoch time; target ≤ 5%)");
for (const kind of ["memory", "sqlite"]) {
  const all = telemetry[kind].flatMap((r) => r.shares);
  const whole = telemetry[kind].map((r) => r.share);
  console.log(
    `  ${kind === "sqlite" ? "SQLite sink (temp store)" : "memory sink             "}   ${pct(median(whole))} of epoch time (median of ${whole.length} runs of 8 epochs; per epoch ${spread(all)}; ${telemetry[kind][0].events} events a run; ${(median(telemetry[kind].map((r) => r.epochSeconds)) / 8).toFixed(2)} s an epoch)`,
  );
}
