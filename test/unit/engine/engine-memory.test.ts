import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../../src/engine/create-engine.js";
import type { EngineMemory } from "../../../src/engine/engine.js";
import { initMlp, syntheticBlobs, TfMlp } from "../../../src/engine/mlp.js";
import type { TfjsEngine } from "../../../src/engine/tfjs-engine.js";
import { compareResults } from "../../../src/exec/comparator.js";
import { DirectRuntime } from "../../../src/runtime/direct/direct-runtime.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import { Tensor } from "../../../src/values/values.js";
import { context, example, reference } from "../../helpers/runtimes.js";

// Every tensor the engine makes is released: after 1,000 runs of op-heavy work the
// live tensor count and bytes are exactly what they were before.

let engine: TfjsEngine;
let start: EngineMemory;
beforeAll(async () => {
  engine = await createEngine({ backend: "wasm", env: {} });
  start = engine.memory();
});
afterAll(() => engine.dispose());

describe("the engine leaves no tensors behind", () => {
  it("1,000 runs of the tensor examples through the direct runtime (closures, then generated code)", async () => {
    const direct = new DirectRuntime({ engine, hotThreshold: 100 });
    for (const name of ["mlp_inference", "sensor_anomaly"]) {
      const p = example(name);
      const inputs = sampleInputs(p);
      const expected = await reference.run(p, inputs, context(p));
      for (let i = 0; i < 1000; i++) {
        const r = await direct.run(p, inputs, context(p));
        if (i === 0 || i === 999)
          expect(compareResults(expected, r, { tolerance: p.node.verification.tolerance })).toEqual([]);
      }
      expect(direct.cached(p)?.tier.tier).not.toBe("closures");
    }
    expect(engine.memory()).toEqual(start);
  });

  it("1,000 rounds of every kernel, shape errors included", () => {
    const a = new Tensor(
      [8, 16],
      Float64Array.from({ length: 128 }, (_, i) => Math.sin(i)),
    );
    const b = new Tensor(
      [16, 4],
      Float64Array.from({ length: 64 }, (_, i) => Math.cos(i)),
    );
    const row = new Tensor(
      [16],
      Float64Array.from({ length: 16 }, (_, i) => i - 8),
    );
    for (let i = 0; i < 1000; i++) {
      const h = engine.unary(
        "relu",
        engine.elementwise("add", engine.matmul(engine.transpose(engine.transpose(a)), b), 0.5),
      );
      engine.softmax(engine.elementwise("mul", h, 3));
      engine.elementwise("mod", a, row);
      engine.elementwise(
        "div",
        engine.unary("exp", engine.unary("neg", engine.unary("abs", a))),
        engine.unary("sqrt", row),
      );
      for (const op of ["sum", "mean", "max", "min"] as const) {
        engine.reduce(op, a);
        engine.reduce(op, a, 0);
        engine.reduce(op, a, 1);
      }
      expect(() => engine.matmul(a, a)).toThrow();
      expect(() => engine.elementwise("add", a, b)).toThrow();
    }
    expect(engine.memory()).toEqual(start);
  });

  it("300 MLP training steps (variables, gradients, assignments), then disposing the model", () => {
    const data = syntheticBlobs(32, 8, 3, 5);
    const mlp = new TfMlp(engine.tf, initMlp({ inputs: 8, hidden: 16, classes: 3 }, 6));
    const x = engine.tf.tensor2d(data.x, [32, 8]);
    const y = engine.tf.tensor2d(data.oneHot, [32, 3]);
    const during = engine.memory();
    for (let i = 0; i < 300; i++) mlp.trainStep(x, y, 0.05);
    expect(engine.memory()).toEqual(during);
    engine.tf.dispose([x, y]);
    mlp.dispose();
    expect(engine.memory()).toEqual(start);
  });
});
