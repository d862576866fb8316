import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { SeededRandom } from "../engine/seeded-random.js";
import type { Dataset } from "./records.js";

// The data a seed run trains on, split deterministically by seed into train,
// validation (what the gates and the policy read) and test (what the run reports).
// MNIST: the 10,000 digits of the pinned `mnist` package, read straight from its ten
// JSON files (`.data` is a flat list of 784-pixel rows in [0, 1]); the package's own
// set() shuffles with Math.random and is not used. Spirals: two interleaved noisy
// spirals in the plane (one turn each), the classic set a linear model cannot separate. Nothing is
// downloaded; the same seed gives the same split, bit for bit.

export interface Split {
  count: number;
  features: number;
  classes: number;
  /** [count×features] */
  x: Float32Array;
  labels: Int32Array;
}

export interface DataSplits {
  dataset: Dataset;
  train: Split;
  validation: Split;
  test: Split;
}

export const MNIST_PIXELS = 784;

export function loadData(dataset: Dataset, seed: number): DataSplits {
  return dataset === "mnist" ? mnist(seed) : spirals(seed);
}

function mnist(seed: number): DataSplits {
  const require = createRequire(import.meta.url);
  const folder = join(dirname(require.resolve("mnist/package.json")), "src", "digits");
  const rows: Float32Array[] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(readFileSync(join(folder, `${digit}.json`), "utf8")) as { data: number[] };
    for (let i = 0; i + MNIST_PIXELS <= data.length; i += MNIST_PIXELS) {
      rows.push(Float32Array.from(data.slice(i, i + MNIST_PIXELS)));
      labels.push(digit);
    }
  }
  return split("mnist", rows, labels, MNIST_PIXELS, 10, seed, { validation: 1000, test: 2000 });
}

function spirals(seed: number): DataSplits {
  const rng = new SeededRandom(seed ^ 0x5eed);
  const rows: Float32Array[] = [];
  const labels: number[] = [];
  const perClass = 500;
  // One full turn each: a one-hidden-layer MLP of width 2 cannot separate them (about
  // 70%), one of width 4 or more can, so the spirals host is short of capacity that a
  // seed can add. (At 1.5 turns even a width-64 layer needs far more SGD steps than a
  // demo has, and no seed could show anything.)
  const turn = 2 * Math.PI;
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < perClass; i++) {
      const t = (i / perClass) * turn + 0.5;
      const r = t / turn;
      const angle = t + c * Math.PI;
      rows.push(Float32Array.of(r * Math.cos(angle) + rng.normal() * 0.02, r * Math.sin(angle) + rng.normal() * 0.02));
      labels.push(c);
    }
  }
  return split("spirals", rows, labels, 2, 2, seed, { validation: 200, test: 200 });
}

function split(
  dataset: Dataset,
  rows: Float32Array[],
  labels: number[],
  features: number,
  classes: number,
  seed: number,
  sizes: { validation: number; test: number },
): DataSplits {
  const order = [...rows.keys()];
  const rng = new SeededRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const take = (from: number, to: number): Split => {
    const idx = order.slice(from, to);
    const x = new Float32Array(idx.length * features);
    idx.forEach((r, k) => x.set(rows[r]!, k * features));
    return { count: idx.length, features, classes, x, labels: Int32Array.from(idx.map((r) => labels[r]!)) };
  };
  const trainEnd = order.length - sizes.validation - sizes.test;
  return {
    dataset,
    train: take(0, trainEnd),
    validation: take(trainEnd, trainEnd + sizes.validation),
    test: take(trainEnd + sizes.validation, order.length),
  };
}

/** The order of the training rows in an epoch: a shuffle seeded by (seed, epoch), so a resumed run sees the same batches. */
export function epochOrder(count: number, seed: number, epoch: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const rng = new SeededRandom((Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
