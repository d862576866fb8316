import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relativeError } from "../../../src/engine/bench.js";
import { createEngine } from "../../../src/engine/create-engine.js";
import { initMlp, syntheticBlobs, TfMlp } from "../../../src/engine/mlp.js";
import { referenceTrainStep } from "../../../src/engine/reference-mlp.js";
import type { TfjsEngine } from "../../../src/engine/tfjs-engine.js";

// The small MLP learns on the engine: training on synthetic blobs lowers the loss,
// and one SGD step matches the float64 reference step.

let engine: TfjsEngine;
beforeAll(async () => {
  engine = await createEngine({ backend: "wasm", env: {} });
});
afterAll(() => engine.dispose());

describe("MLP training on the engine", () => {
  it("training on synthetic blobs lowers the loss, on held-out points too", () => {
    const all = syntheticBlobs(768, 8, 4, 21);
    const split = (from: number, to: number) => ({
      ...all,
      samples: to - from,
      x: all.x.subarray(from * 8, to * 8),
      labels: all.labels.subarray(from, to),
      oneHot: all.oneHot.subarray(from * 4, to * 4),
    });
    const [train, heldOut] = [split(0, 512), split(512, 768)];
    const mlp = new TfMlp(engine.tf, initMlp({ inputs: 8, hidden: 32, classes: 4 }, 22));
    const [trainBefore, heldOutBefore] = [mlp.evaluate(train), mlp.evaluate(heldOut)];
    const epochs = mlp.fit(train, 12, 32, 0.05);
    expect(mlp.evaluate(train)).toBeLessThan(trainBefore * 0.5);
    expect(mlp.evaluate(heldOut)).toBeLessThan(heldOutBefore * 0.5);
    expect(epochs[epochs.length - 1]!).toBeLessThan(epochs[0]!);
    mlp.dispose();
  });

  it("one SGD step agrees with the float64 reference step within 1e-5", () => {
    const batch = 48;
    const data = syntheticBlobs(batch, 6, 3, 31);
    const params = initMlp({ inputs: 6, hidden: 20, classes: 3 }, 32);
    const ref = referenceTrainStep(params, data.x, data.oneHot, batch, 0.1);
    const mlp = new TfMlp(engine.tf, params);
    const x = engine.tf.tensor2d(data.x, [batch, 6]);
    const y = engine.tf.tensor2d(data.oneHot, [batch, 3]);
    const loss = mlp.trainStep(x, y, 0.1);
    const after = mlp.params();
    expect(Math.abs(loss - ref.loss) / ref.loss).toBeLessThan(1e-5);
    for (const k of ["w1", "b1", "w2", "b2"] as const)
      expect(relativeError(after[k], ref.params[k]), k).toBeLessThan(1e-5);
    engine.tf.dispose([x, y]);
    mlp.dispose();
  });
});
