// engine.md: the TensorFlow.js engine's kernels follow the float64 reference except for
// float32 rounding. Found by the outside tensor oracle: on wasm (and cpu) a finite x %
// ±Infinity was NaN where the reference gives x; max/min of a tensor holding NaN were
// NaN where the reference passes over NaN; on wasm the mean of [3e38, 3e38, -1e-40]
// was Infinity (float32 running sum) where the reference gives 2e38.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../../src/engine/create-engine.js";
import type { TfjsEngine } from "../../../src/engine/tfjs-engine.js";
import { Tensor } from "../../../src/values/values.js";

const t = (...v: number[]) => new Tensor([v.length], Float64Array.from(v));

describe("the TensorFlow.js engine (wasm) on special elements", () => {
  let engine: TfjsEngine;
  beforeAll(async () => {
    engine = await createEngine({ backend: "wasm", env: { VEYRA_WASM_THREADS: "1" } });
  }, 60_000);
  afterAll(() => engine?.dispose());

  it("a finite x % ±Infinity is x, as JavaScript's % gives", () => {
    const r = engine.elementwise("mod", t(-0, 1, -2.5, 3, Infinity), t(-Infinity, -Infinity, Infinity, Infinity, 2));
    expect([...r.data]).toEqual([-0, 1, -2.5, 3, Number.NaN]);
  });

  it("max and min pass over NaN elements, as the reference's do", () => {
    expect(engine.reduce("max", t(Number.NaN, 1, Infinity))).toBe(Infinity);
    expect(engine.reduce("min", t(1, Number.NaN, -2))).toBe(-2);
    expect(engine.reduce("max", t(Number.NaN, Number.NaN))).toBe(-Infinity);
    const rows = engine.reduce("max", new Tensor([2, 2], Float64Array.of(Number.NaN, 1, 2, 3)), 1) as Tensor;
    expect([...rows.data]).toEqual([1, 3]);
  });

  it("a sum or mean of finite elements stays finite where binary64's does", () => {
    expect(engine.reduce("mean", t(3e38, 3e38, -1e-40))).toBe(Math.fround(2e38 - 1e-40 / 3));
    expect(engine.reduce("sum", t(3e38, 3e38, -3e38))).toBe(Math.fround(3e38));
    expect(engine.reduce("sum", t(3e38, 3e38))).toBe(Infinity);
  });

  it("relu keeps NaN and zeroes -0 and negatives", () => {
    expect([...engine.unary("relu", t(Number.NaN, -0, -1, 2)).data]).toEqual([Number.NaN, 0, 0, 2]);
  });
});
