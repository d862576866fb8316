import type * as TF from "@tensorflow/tfjs";
import { initMlp, syntheticBlobs, TfMlp } from "./mlp.js";
import * as K from "../values/reference-kernels.js";
import { referenceTrainStep } from "./reference-mlp.js";
import { SeededRandom } from "./seeded-random.js";
import type { TfjsEngine } from "./tfjs-engine.js";
import { Tensor } from "../values/values.js";

// `veyra engine bench`: a few workloads on the active backend. Each one is first
// checked against the float64 reference kernels (relative error ‖a − b‖ / ‖b‖, the
// comparator's measure) and timed only if it agrees within its tolerance. Timings
// keep operands resident on the backend and include reading the result back
// (dataSync), which is what forces a GPU backend to finish.

type Tf = typeof TF;

export interface BenchCase {
  name: string;
  size: string;
  /** Throughput, or null when the check failed and the case was not timed. */
  figure: number | null;
  unit: string;
  relError: number;
  tolerance: number;
  ok: boolean;
  /** What the check compared, when not everything (e.g. sampled rows). */
  checked?: string;
  /** Seconds per repetition (median) and how many were timed. */
  seconds: number | null;
  reps: number;
}

export interface BenchOptions {
  /** Small sizes and one repetition: proves the bench runs; the figures mean little. */
  quick?: boolean;
  /** Seconds to spend timing each case (default 1). */
  budgetSeconds?: number;
  onCase?: (c: BenchCase) => void;
}

export const TOLERANCE = { matmul: 1e-5, elementwise: 1e-6, softmax: 1e-5, mlp: 1e-4 } as const;

export function runEngineBench(engine: TfjsEngine, options: BenchOptions = {}): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const c of engineBenchCases(engine, options)) {
    cases.push(c);
    options.onCase?.(c);
  }
  return cases;
}

/** The same workloads one at a time, each checked and timed when the caller asks for it. */
export function* engineBenchCases(
  engine: TfjsEngine,
  options: Omit<BenchOptions, "onCase"> = {},
): Generator<BenchCase> {
  const quick = options.quick ?? false;
  const timer = new Timer(quick ? 0 : (options.budgetSeconds ?? 1), quick ? 0 : 2);
  const rng = new SeededRandom(7);
  for (const n of quick ? [16, 32, 64] : [256, 512, 1024]) yield matmulCase(engine, rng, n, timer);
  yield elementwiseCase(engine, rng, quick ? 4096 : 1 << 20, timer);
  yield softmaxCase(engine, rng, quick ? 8 : 512, quick ? 10 : 1000, timer);
  yield mlpCase(
    engine,
    quick ? { batch: 16, inputs: 8, hidden: 16, classes: 3 } : { batch: 256, inputs: 64, hidden: 256, classes: 10 },
    timer,
  );
}

function matmulCase(engine: TfjsEngine, rng: SeededRandom, n: number, timer: Timer): BenchCase {
  const a = new Tensor([n, n], rng.float32s(n * n));
  const b = new Tensor([n, n], rng.float32s(n * n));
  const got = engine.matmul(a, b);
  // The float64 loops take seconds at 1024; above 512 a sample of rows is checked.
  const rows = n > 512 ? sampleRows(rng, n, 32) : [...Array(n).keys()];
  const aRows = new Tensor(
    [rows.length, n],
    Float64Array.from(rows.flatMap((r) => Array.from(a.data.subarray(r * n, (r + 1) * n)))),
  );
  const want = K.matmul(aRows, b);
  const gotRows = Float64Array.from(rows.flatMap((r) => Array.from(got.data.subarray(r * n, (r + 1) * n))));
  const relError = relativeError(gotRows, want.data);
  const base = { name: "matmul", size: `${n}×${n}×${n}`, unit: "GFLOP/s", relError, tolerance: TOLERANCE.matmul };
  const checked = rows.length < n ? `${rows.length} of ${n} rows` : undefined;
  return timed(base, checked, () => {
    const tf = engine.tf;
    const [ta, tb] = [engine.upload(a), engine.upload(b)] as TF.Tensor2D[];
    try {
      return timer.time(
        () => readAndDispose(tf.matMul(ta!, tb!)),
        (s) => (2 * n ** 3) / s / 1e9,
      );
    } finally {
      tf.dispose([ta!, tb!]);
    }
  });
}

/** relu(a·b + c) / (|a| + 1): six kernels over the same elements. */
function elementwiseCase(engine: TfjsEngine, rng: SeededRandom, size: number, timer: Timer): BenchCase {
  const [a, b, c] = [0, 1, 2].map(
    () =>
      new Tensor(
        [size],
        rng.float32s(size, () => rng.uniform(-4, 4)),
      ),
  ) as [Tensor, Tensor, Tensor];
  const chain = (tf: Tf, x: TF.Tensor, y: TF.Tensor, z: TF.Tensor) =>
    tf.div(tf.relu(tf.add(tf.mul(x, y), z)), tf.add(tf.abs(x), 1));
  const tf = engine.tf;
  const operands = [a, b, c].map((t) => engine.upload(t)) as [TF.Tensor, TF.Tensor, TF.Tensor];
  try {
    const result = tf.tidy(() => chain(tf, ...operands));
    const got = result.dataSync() as Float32Array;
    result.dispose();
    const mulAdd = K.elementwise(
      K.elementwise(a, b, (x, y) => x * y),
      c,
      (x, y) => x + y,
    );
    const want = K.elementwise(
      K.map(mulAdd, (x) => (x > 0 ? x : 0)),
      K.map(a, (x) => Math.abs(x) + 1),
      (x, y) => x / y,
    );
    const relError = relativeError(got, want.data);
    const base = {
      name: "elementwise chain",
      size: `6 ops × ${size}`,
      unit: "Melem/s",
      relError,
      tolerance: TOLERANCE.elementwise,
    };
    return timed(base, undefined, () =>
      timer.time(
        () => readAndDispose(tf.tidy(() => chain(tf, ...operands))),
        (s) => size / s / 1e6,
      ),
    );
  } finally {
    tf.dispose(operands);
  }
}

function softmaxCase(engine: TfjsEngine, rng: SeededRandom, rows: number, cols: number, timer: Timer): BenchCase {
  const x = new Tensor(
    [rows, cols],
    rng.float32s(rows * cols, () => rng.uniform(-20, 20)),
  );
  const relError = relativeError(engine.softmax(x).data, K.softmax(x).data);
  const base = { name: "softmax", size: `${rows}×${cols}`, unit: "Melem/s", relError, tolerance: TOLERANCE.softmax };
  const tf = engine.tf;
  const t = engine.upload(x);
  try {
    return timed(base, undefined, () =>
      timer.time(
        () => readAndDispose(tf.softmax(t)),
        (s) => (rows * cols) / s / 1e6,
      ),
    );
  } finally {
    t.dispose();
  }
}

interface MlpSize {
  batch: number;
  inputs: number;
  hidden: number;
  classes: number;
}

function mlpCase(engine: TfjsEngine, size: MlpSize, timer: Timer): BenchCase {
  const { batch, inputs, hidden, classes } = size;
  const tf = engine.tf;
  const data = syntheticBlobs(batch, inputs, classes, 11);
  const params = initMlp({ inputs, hidden, classes }, 12);
  const ref = referenceTrainStep(params, data.x, data.oneHot, batch, 0.05);
  const mlp = new TfMlp(tf, params);
  const x = tf.tensor2d(data.x, [batch, inputs]);
  const y = tf.tensor2d(data.oneHot, [batch, classes]);
  try {
    const loss = mlp.trainStep(x, y, 0.05);
    const after = mlp.params();
    const relError = Math.max(
      Math.abs(loss - ref.loss) / Math.abs(ref.loss),
      relativeError(
        concat(after.w1, after.b1, after.w2, after.b2),
        concat(ref.params.w1, ref.params.b1, ref.params.w2, ref.params.b2),
      ),
    );
    const base = {
      name: "MLP train step",
      size: `batch ${batch}, ${inputs}→${hidden}→${classes}`,
      unit: "samples/s",
      relError,
      tolerance: TOLERANCE.mlp,
    };
    return timed(base, "loss and updated weights after one SGD step", () =>
      timer.time(
        () => mlp.trainStep(x, y, 0.05),
        (s) => batch / s,
      ),
    );
  } finally {
    tf.dispose([x, y]);
    mlp.dispose();
  }
}

type CaseBase = Pick<BenchCase, "name" | "size" | "unit" | "relError" | "tolerance">;

function timed(base: CaseBase, checked: string | undefined, run: () => Timing): BenchCase {
  const ok = Number.isFinite(base.relError) && base.relError <= base.tolerance;
  const result: BenchCase = { ...base, ok, figure: null, seconds: null, reps: 0 };
  if (checked) result.checked = checked;
  if (!ok) return result;
  const t = run();
  return { ...result, figure: t.figure, seconds: t.seconds, reps: t.reps };
}

interface Timing {
  figure: number;
  seconds: number;
  reps: number;
}

/** Warm-up runs, then repetitions until the budget is spent (at least one); the median counts. */
class Timer {
  constructor(
    private readonly budgetSeconds: number,
    private readonly warmups: number,
  ) {}
  time(fn: () => unknown, figureOf: (seconds: number) => number): Timing {
    for (let i = 0; i < this.warmups; i++) fn();
    const times: number[] = [];
    const start = performance.now();
    do {
      const t0 = performance.now();
      fn();
      times.push((performance.now() - t0) / 1000);
    } while ((performance.now() - start) / 1000 < this.budgetSeconds && times.length < 1000);
    times.sort((x, y) => x - y);
    const seconds = times[Math.floor(times.length / 2)]!;
    return { figure: figureOf(seconds), seconds, reps: times.length };
  }
}

function readAndDispose(t: TF.Tensor): void {
  t.dataSync();
  t.dispose();
}

export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < want.length; i++) {
    diff += (got[i]! - want[i]!) ** 2;
    norm += want[i]! ** 2;
  }
  return norm === 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
}

function sampleRows(rng: SeededRandom, n: number, count: number): number[] {
  const rows = new Set<number>([0, n - 1]);
  while (rows.size < count) rows.add(rng.int(n));
  return [...rows].sort((x, y) => x - y);
}

function concat(...parts: ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
