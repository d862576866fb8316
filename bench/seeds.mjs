// Seeds: what the seed machinery costs, side by side in one run on the wasm backend.
//  1. Training-step throughput: samples/s of an epoch of training steps through the
//     seeds path (the trainer's host step: slots, blending joins, the breaker's loss
//     check) against the same-shaped bare MLP step `veyra engine bench` times
//     (src/engine/mlp.ts: batch 256, 64 → 256 → 10). Target: ≥ 70%.
//  2. Telemetry: the seeded trainer's epoch time with its records going to a sink
//     (through the recorder) against the same epochs with the records dropped.
//     Target: ≤ 5%. The sink is the in-memory one until the store's is wired in.
// Run: npm run bench:seeds (after npm run build).
import { defaultSeedsConfig } from "../dist/src/config/seeds-config.js";
import { createEngine } from "../dist/src/engine/create-engine.js";
import { initMlp, syntheticBlobs, TfMlp } from "../dist/src/engine/mlp.js";
import { MemorySink } from "../dist/src/seeds/memory-sink.js";
import { Recorder } from "../dist/src/seeds/recorder.js";
import { Trainer } from "../dist/src/seeds/trainer.js";
import { interfaceCheck, loadBlueprints } from "../dist/src/workbench/seed-blueprints.js";

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

// 1. Step throughput: the bare MLP's fit over the training rows against the trainer's training loop.
const bare = new TfMlp(tf, initMlp(shape, 3));
const bareData = {
  ...blobs,
  samples: trainCount,
  x: data.train.x,
  labels: data.train.labels,
  oneHot: blobs.oneHot.slice(0, trainCount * shape.classes),
};
const blueprints = loadBlueprints();
const config = {
  ...defaultSeedsConfig("mnist"),
  hostHidden: [shape.hidden],
  batchSize: shape.batch,
  learningRate: 0.05,
  epochs: 1000,
  origins: {},
};
const drop = { event() {}, steps() {}, epoch() {} };
const seedsPath = new Trainer({
  tf,
  config,
  data,
  blueprints,
  interfaceCheck: interfaceCheck(blueprints),
  runId: "bench",
  series: "baseline",
  seedsEnabled: false,
  output: drop,
});
bare.fit(bareData, 1, shape.batch, 0.05); // warm-up
await seedsPath.runEpoch();
// Interleaved, so both sides see the same load from other processes; the ratio is per round.
const bareTimes = [];
const seedTimes = [];
const ratios = [];
for (let i = 0; i < 7; i++) {
  const t0 = performance.now();
  bare.fit(bareData, 1, shape.batch, 0.05);
  bareTimes.push((performance.now() - t0) / 1000);
  const r = await seedsPath.runEpoch();
  // The epoch's seconds include evaluating train, validation and test; time the steps alone.
  const t1 = performance.now();
  seedsPath.evaluate(data.train);
  seedsPath.evaluate(data.validation);
  seedsPath.evaluate(data.test);
  seedTimes.push(r.seconds - (performance.now() - t1) / 1000);
  ratios.push(bareTimes[i] / seedTimes[i]);
}
bare.dispose();
seedsPath.dispose();
const bareRate = trainCount / median(bareTimes);
const seedRate = trainCount / median(seedTimes);

// 2. Telemetry: whole seeded epochs (policy, gates, seeds) with a sink against without.
async function seededEpochs(output) {
  const cfg = {
    ...defaultSeedsConfig("mnist"),
    hostHidden: [32],
    epochs: 1000,
    origins: {},
    policy: { ...defaultSeedsConfig("mnist").policy, warmupEpochs: 1, plateauThreshold: 10 },
  };
  const trainer = new Trainer({
    tf,
    config: cfg,
    data,
    blueprints,
    interfaceCheck: interfaceCheck(blueprints),
    runId: "bench",
    series: "seeded",
    seedsEnabled: true,
    output,
  });
  const times = [];
  for (let e = 0; e < 8; e++) {
    const t0 = performance.now();
    await trainer.runEpoch();
    times.push((performance.now() - t0) / 1000);
  }
  trainer.dispose();
  return times.reduce((a, b) => a + b, 0);
}
const sink = new MemorySink();
// The time spent inside the recorder and sink, measured directly (the whole-epoch
// difference below is at the mercy of other processes on a shared machine).
let inside = 0;
const timedRecorder = () => {
  const r = new Recorder(sink, "bench");
  const wrap =
    (fn) =>
    (...args) => {
      const t0 = performance.now();
      try {
        return fn.apply(r, args);
      } finally {
        inside += (performance.now() - t0) / 1000;
      }
    };
  return { event: wrap(r.event), steps: wrap(r.steps), epoch: wrap(r.epoch) };
};
const rounds = [];
let withTotal = 0;
for (let i = 0; i < 3; i++) {
  const without = await seededEpochs(drop);
  const withSink = await seededEpochs(timedRecorder());
  withTotal += withSink;
  rounds.push(withSink / without - 1);
}
const overhead = median(rounds);

console.log(
  `backend ${engine.backend}; MLP ${shape.inputs}→${shape.hidden}→${shape.classes}, batch ${shape.batch}, ${trainCount} training rows`,
);
console.log(
  `training step   bare MLP ${bareRate.toFixed(0)} samples/s   seeds path ${seedRate.toFixed(0)} samples/s   ratio ${(median(ratios) * 100).toFixed(1)}% (median of ${ratios.length} interleaved rounds; target ≥ 70%)`,
);
console.log(
  `telemetry       ${((inside / withTotal) * 100).toFixed(3)}% of epoch time spent in the recorder and sink (target ≤ 5%; ${sink.events.length} events, ${sink.stepRecords.length} step rows)`,
);
console.log(
  `                whole epochs with the sink against without: ${(overhead * 100).toFixed(2)}% (median of ${rounds.length}; noisy on a shared machine)`,
);
