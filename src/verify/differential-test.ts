import fc from "fast-check";
import type { PreparedNode } from "../runtime/prepared.js";
import type { Value } from "../values/values.js";
import { inputsArbitrary } from "./arbitraries.js";
import { DifferentialRunner, type DifferentialOptions, type Verdict } from "./differential.js";
import { inputSize } from "./input-size.js";

// `vesper test`'s engine. Phase one draws `runs` input sets from the node's
// arbitraries with fast-check (seeded), runs each differentially and counts what
// happened, continuing past divergences so the counts describe all of them. Phase
// two replays fast-check from the first divergence (its run index is a replay
// path) and lets fast-check's shrinkers look for a smaller input set that still
// diverges.

export interface TestOptions extends DifferentialOptions {
  runs: number;
  /** Called for every verdict of phase one, in order (recording into the store). */
  onVerdict?: (inputs: Map<string, Value>, verdict: Verdict, index: number) => void;
  /** Shrinking stops after this many attempts and keeps the smallest found so far. */
  maxShrinkAttempts?: number;
  /** Called after every shrinking attempt with the attempts so far and the limit. */
  onShrinkAttempt?: (attempts: number, limit: number) => void;
  /**
   * Aborting it stops the test after the input running now (Ctrl-C): the report covers
   * what was compared so far, and shrinking keeps the smallest diverging set found. With
   * a signal, the test lets the event loop turn every few inputs so the abort is seen.
   */
  signal?: AbortSignal;
}

export interface Failing {
  inputs: Map<string, Value>;
  verdict: Verdict;
  size: number;
}

export interface TestReport {
  runs: number;
  discarded: number;
  compared: number;
  agreed: number;
  diverged: number;
  /** A runtime threw instead of returning a result: a vesper bug, reported with the first input that did it. */
  crashed: number;
  firstCrash?: { inputs: Map<string, Value>; verdict: Verdict; index: number };
  /** The first input set that diverged, as generated, and its run index. */
  first?: Failing & { index: number };
  /** The smallest diverging input set shrinking found (may be the first itself). */
  shrunk?: Failing & { attempts: number };
  seconds: number;
  /** The signal stopped the test before it ran every input (or finished shrinking). */
  interrupted: boolean;
}

/** How many inputs run between two turns of the event loop when a signal can stop the test. */
const YIELD_EVERY = 16;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Thrown inside fast-check's loop to leave it when the signal aborts (endOnFailure: nothing is shrunk). */
class Stopped extends Error {}

export const DEFAULT_MAX_SHRINK_ATTEMPTS = 2000;

export async function differentialTest(p: PreparedNode, options: TestOptions): Promise<TestReport> {
  const started = performance.now();
  const runner = new DifferentialRunner(p, options);
  const arb = inputsArbitrary(p);
  const report: TestReport = {
    runs: 0,
    discarded: 0,
    compared: 0,
    agreed: 0,
    diverged: 0,
    crashed: 0,
    seconds: 0,
    interrupted: false,
  };
  const signal = options.signal;
  await fc.check(
    fc.asyncProperty(arb, async (inputs) => {
      if (signal) {
        if (report.runs % YIELD_EVERY === 0) await turn();
        if (signal.aborted) throw new Stopped();
      }
      const index = report.runs++;
      const verdict = await runner.run(inputs);
      if (verdict.kind === "discarded") report.discarded++;
      else if (verdict.kind === "crashed") {
        report.crashed++;
        report.firstCrash ??= { inputs, verdict, index };
      } else {
        report.compared++;
        if (verdict.kind === "agreed") report.agreed++;
        else {
          report.diverged++;
          report.first ??= { inputs, verdict, size: inputSize(inputs), index };
        }
      }
      options.onVerdict?.(inputs, verdict, index);
      return true;
    }),
    // The property only ever fails to stop (Stopped), so ending on a failure shrinks nothing.
    { seed: options.seed, numRuns: options.runs, endOnFailure: true },
  );
  if (report.first)
    report.shrunk = signal?.aborted
      ? { ...report.first, attempts: 0 }
      : await shrink(arb, runner, report.first, options);
  report.interrupted = signal?.aborted ?? false;
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

async function shrink(
  arb: fc.Arbitrary<Map<string, Value>>,
  runner: DifferentialRunner,
  first: Failing & { index: number },
  options: TestOptions,
): Promise<Failing & { attempts: number }> {
  const index = first.index;
  const limit = options.maxShrinkAttempts ?? DEFAULT_MAX_SHRINK_ATTEMPTS;
  let attempts = 0;
  let best: Failing | undefined;
  await fc.check(
    fc.asyncProperty(arb, async (inputs) => {
      // Past the limit (or once stopped) every candidate "passes", so fast-check stops at the best so far.
      if (options.signal && attempts % YIELD_EVERY === 0) await turn();
      if (attempts++ > limit || options.signal?.aborted) return true;
      const verdict = await runner.run(inputs);
      options.onShrinkAttempt?.(Math.min(attempts, limit), limit);
      if (verdict.kind !== "diverged") return true;
      const size = inputSize(inputs);
      if (!best || size <= best.size) best = { inputs, verdict, size };
      return false;
    }),
    { seed: options.seed, numRuns: options.runs, path: String(index) },
  );
  // Stopped before the first attempt: the first divergence is the smallest known.
  if (!best && options.signal?.aborted) best = first;
  if (!best)
    throw new Error(
      `replaying run ${index} with seed ${options.seed} did not diverge again; the runtimes are not deterministic on it`,
    );
  return { ...best, attempts: Math.min(attempts, limit) };
}
