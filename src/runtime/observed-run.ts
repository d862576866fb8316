import type { ExecutionContext, TapeEntry } from "./context.js";
import type { PreparedNode } from "./prepared.js";
import type { RunResult, RuntimeName, StepEvent } from "./protocol.js";
import type { Runtime } from "./runtime.js";
import type { Value } from "../values/values.js";

// A run watched step by step (the trace recorder is the observer). A runtime that
// can emit its events while running straight through (the direct runtime's
// `observe`: its generated code tells the observer of each step as it ends) is run
// that way; any other is stepped one event at a time. The context's clock readings,
// random numbers and tool results reach the observer through its onRecord hook.

export interface RunObserver {
  onRecord(entry: TapeEntry): void;
  step(event: StepEvent, durationUs: number): void;
  finish(result: RunResult, durationUs: number): void;
  /** The run ended without a result (an internal error). */
  abandon(): void;
}

/** Which of an execution's runs this is: the answer, the check, or the reference after a canary failure. */
export type RunRole = "primary" | "secondary" | "fallback";

/** Gives the executor an observer for each run it makes (or none, not to watch that run). */
export type ObserverFactory = (runtime: RuntimeName, role: RunRole) => RunObserver | undefined;

/** A runtime that runs straight through while telling an observer of every step. */
interface EmitsEvents {
  observe(
    p: PreparedNode,
    inputs: Map<string, Value>,
    ctx: ExecutionContext,
    observer: RunObserver,
  ): Promise<RunResult>;
}

const emitsEvents = (r: Runtime): r is Runtime & EmitsEvents =>
  typeof (r as Partial<EmitsEvents>).observe === "function";

export async function runObserved(
  runtime: Runtime,
  p: PreparedNode,
  inputs: Map<string, Value>,
  ctx: ExecutionContext,
  observer: RunObserver | undefined,
): Promise<RunResult> {
  if (!observer) return runtime.run(p, inputs, ctx);
  ctx.onRecord = (e) => observer.onRecord(e);
  const started = performance.now();
  if (emitsEvents(runtime)) {
    let result: RunResult;
    try {
      result = await runtime.observe(p, inputs, ctx, observer);
    } catch (err) {
      observer.abandon();
      throw err;
    }
    observer.finish(result, (performance.now() - started) * 1000);
    return result;
  }
  const execution = runtime.start(p, inputs, ctx);
  let last = started;
  try {
    while (!execution.done) {
      const ev = await execution.next();
      const now = performance.now();
      observer.step(ev, (now - last) * 1000);
      last = now;
    }
  } catch (err) {
    observer.abandon();
    throw err;
  }
  const result = execution.result!;
  observer.finish(result, (performance.now() - started) * 1000);
  return result;
}
