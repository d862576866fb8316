import type { MlpParams } from "./mlp.js";

// One SGD step of the MLP in mlp.ts, in float64 with plain loops: the oracle the
// engine's training step is checked against (`veyra engine bench`, tests).
// Forward: h = relu(x·W1 + b1), z = h·W2 + b2, loss = −mean(Σ y·log softmax(z)).
// Backward: dz = (softmax(z) − y)/B, dW2 = hᵀ·dz, db2 = Σ dz, dh = dz·W2ᵀ ⊙ [h > 0],
// dW1 = xᵀ·dh, db1 = Σ dh.

export interface ReferenceMlp {
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

export function referenceTrainStep(
  p: MlpParams,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  batch: number,
  learningRate: number,
): { loss: number; params: ReferenceMlp } {
  const { inputs: I, hidden: H, classes: C } = p.shape;
  const h = new Float64Array(batch * H);
  for (let n = 0; n < batch; n++) {
    for (let j = 0; j < H; j++) {
      let acc = p.b1[j]!;
      for (let i = 0; i < I; i++) acc += x[n * I + i]! * p.w1[i * H + j]!;
      h[n * H + j] = acc > 0 ? acc : 0;
    }
  }
  let loss = 0;
  const dz = new Float64Array(batch * C);
  for (let n = 0; n < batch; n++) {
    const z = new Float64Array(C);
    let max = -Infinity;
    for (let c = 0; c < C; c++) {
      let acc = p.b2[c]!;
      for (let j = 0; j < H; j++) acc += h[n * H + j]! * p.w2[j * C + c]!;
      z[c] = acc;
      max = Math.max(max, acc);
    }
    let total = 0;
    for (let c = 0; c < C; c++) total += Math.exp(z[c]! - max);
    const logTotal = Math.log(total) + max;
    for (let c = 0; c < C; c++) {
      const target = y[n * C + c]!;
      loss -= target * (z[c]! - logTotal);
      dz[n * C + c] = (Math.exp(z[c]! - logTotal) - target) / batch;
    }
  }
  loss /= batch;

  const w2 = Float64Array.from(p.w2);
  const b2 = Float64Array.from(p.b2);
  const w1 = Float64Array.from(p.w1);
  const b1 = Float64Array.from(p.b1);
  const dh = new Float64Array(batch * H);
  for (let n = 0; n < batch; n++) {
    for (let j = 0; j < H; j++) {
      if (h[n * H + j]! <= 0) continue;
      let acc = 0;
      for (let c = 0; c < C; c++) acc += dz[n * C + c]! * p.w2[j * C + c]!;
      dh[n * H + j] = acc;
    }
  }
  for (let j = 0; j < H; j++) {
    for (let c = 0; c < C; c++) {
      let g = 0;
      for (let n = 0; n < batch; n++) g += h[n * H + j]! * dz[n * C + c]!;
      w2[j * C + c]! -= learningRate * g;
    }
  }
  for (let c = 0; c < C; c++) {
    let g = 0;
    for (let n = 0; n < batch; n++) g += dz[n * C + c]!;
    b2[c]! -= learningRate * g;
  }
  for (let i = 0; i < I; i++) {
    for (let j = 0; j < H; j++) {
      let g = 0;
      for (let n = 0; n < batch; n++) g += x[n * I + i]! * dh[n * H + j]!;
      w1[i * H + j]! -= learningRate * g;
    }
  }
  for (let j = 0; j < H; j++) {
    let g = 0;
    for (let n = 0; n < batch; n++) g += dh[n * H + j]!;
    b1[j]! -= learningRate * g;
  }
  return { loss, params: { w1, b1, w2, b2 } };
}
