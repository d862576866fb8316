import { type BenchCase, engineBenchCases } from "../engine/bench.js";
import { createEngine, type EngineOptions } from "../engine/create-engine.js";
import type { EngineDevice, EngineInfo } from "../engine/engine.js";

// The TensorFlow.js engine's use cases: which backend runs (and why each other one
// does not), and how fast the active one is. Both start an engine and dispose of it
// before they finish. Starting loads TensorFlow.js, so front ends import this module
// only when one of these runs. A misspelt backend name throws BackendChoiceError
// (usage); a named backend that cannot start here throws BackendStartError
// (environment), before any event.

export type { BenchCase } from "../engine/bench.js";
export type { EngineDevice, EngineInfo } from "../engine/engine.js";

/** Which backend: --backend's value, else VEYRA_BACKEND from `env`, else the first that starts. */
export type EngineChoice = EngineOptions;

export async function engineInfo(options: EngineChoice = {}): Promise<EngineInfo> {
  const engine = await createEngine(options);
  try {
    return engine.info();
  } finally {
    engine.dispose();
  }
}

export interface EngineBenchOptions extends EngineChoice {
  /** Small sizes and one repetition: proves the bench runs; the figures mean little. */
  quick?: boolean;
  /** Seconds to spend timing each workload (default 1). */
  budgetSeconds?: number;
}

export interface EngineBenchReport {
  backend: string;
  version: string | null;
  device: EngineDevice;
  notes: string[];
  quick: boolean;
  cases: BenchCase[];
}

export type EngineBenchEvent =
  /** The engine started; the workloads follow. */
  | { kind: "started"; info: EngineInfo; quick: boolean; workloads: number }
  /** One workload, checked against the float64 reference and timed only if it agreed. */
  | { kind: "case"; case: BenchCase }
  /** All of them; `failed` are those that disagreed with the reference (and were not timed). */
  | { kind: "finished"; report: EngineBenchReport; failed: BenchCase[] };

/** The workloads engineBenchCases times: three matmuls, an elementwise chain, softmax, an MLP step (for a progress bar). */
export const BENCH_WORKLOADS = 6;

export async function* engineBench(options: EngineBenchOptions = {}): AsyncGenerator<EngineBenchEvent> {
  const engine = await createEngine(options);
  try {
    const info = engine.info();
    const quick = Boolean(options.quick);
    yield { kind: "started", info, quick, workloads: BENCH_WORKLOADS };
    const cases: BenchCase[] = [];
    for (const c of engineBenchCases(engine, { quick, budgetSeconds: options.budgetSeconds })) {
      cases.push(c);
      yield { kind: "case", case: c };
    }
    const report = {
      backend: info.backend,
      version: info.version,
      device: info.device,
      notes: info.notes,
      quick,
      cases,
    };
    yield { kind: "finished", report, failed: cases.filter((c) => !c.ok) };
  } finally {
    engine.dispose();
  }
}
