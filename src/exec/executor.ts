import { compareResults, type DiffEntry } from "./comparator.js";
import { inputBucket, inputHash, type Mode } from "./modes.js";
import { runObserved, type ObserverFactory } from "../runtime/observed-run.js";
import type { ExecutionContext } from "../runtime/context.js";
import type { PreparedNode } from "../runtime/prepared.js";
import type { RunResult, RuntimeName } from "../runtime/protocol.js";
import type { Runtime } from "../runtime/runtime.js";
import type { Value } from "../values/values.js";

// The dual-path executor: runs a node in one of the five modes and reports which
// runtime answered and whether the two agreed. A second runtime never repeats a
// side effect: it runs on a context that serves the first run's recorded clock,
// random numbers and tool results, so a shadow charge is never a second charge.

export interface ExecutorOptions {
  reference: Runtime;
  direct: Runtime;
  /** canary_direct: the percentage of input hashes sent to the direct runtime (default 5). */
  canaryPercent?: number;
  /** direct_only: the percentage of runs verified against the reference (default 1). */
  samplePercent?: number;
}

export interface Divergence {
  /** The runtime whose result is taken as expected (always the reference). */
  expected: RuntimeName;
  actual: RuntimeName;
  diffs: DiffEntry[];
}

export interface ExecutionReport {
  mode: Mode;
  /** The runtime whose result is the answer. */
  runtime: RuntimeName;
  result: RunResult;
  /** Whether both runtimes ran and were compared. */
  compared: boolean;
  /** Present when they were compared and disagreed. */
  divergence?: Divergence;
  /** canary_direct: the direct runtime failed and the reference answered instead. */
  fellBack?: RunResult;
  /** The other runtime's result, when it ran. */
  secondary?: RunResult;
  inputHash: string;
  /** Where the inputs fall in [0, 100) for canary and sampling decisions. */
  bucket: number;
  durationUs: number;
}

export class DualPathExecutor {
  readonly canaryPercent: number;
  readonly samplePercent: number;

  constructor(private readonly options: ExecutorOptions) {
    this.canaryPercent = options.canaryPercent ?? 5;
    this.samplePercent = options.samplePercent ?? 1;
  }

  /** Which runtime answers these inputs in this mode (before anything runs). */
  route(mode: Mode, bucket: number): { answer: RuntimeName; verify: boolean } {
    switch (mode) {
      case "reference_only":
        return { answer: "reference", verify: false };
      case "shadow_direct":
      case "dual_verify":
        return { answer: "reference", verify: true };
      case "canary_direct":
        return { answer: bucket < this.canaryPercent ? "direct" : "reference", verify: false };
      case "direct_only":
        return { answer: "direct", verify: bucket < this.samplePercent };
    }
  }

  /** `observe` gives an observer (the trace recorder) for each run the execution makes. */
  async execute(
    p: PreparedNode,
    inputs: Map<string, Value>,
    mode: Mode,
    ctx: ExecutionContext,
    observe?: ObserverFactory,
  ): Promise<ExecutionReport> {
    const started = performance.now();
    const nodeId = p.node.nodeId.value;
    const bucket = inputBucket(nodeId, inputs);
    const { answer, verify } = this.route(mode, bucket);
    const runtime = answer === "reference" ? this.options.reference : this.options.direct;
    let result = await runObserved(runtime, p, inputs, ctx, observe?.(answer, "primary"));
    const report: ExecutionReport = {
      mode,
      runtime: answer,
      result,
      compared: false,
      inputHash: inputHash(nodeId, inputs),
      bucket,
      durationUs: 0,
    };
    if (mode === "canary_direct" && answer === "direct" && result.status === "runtime_error") {
      // The reference picks up where the direct run stopped: recorded effects are served, new ones run live.
      report.fellBack = result;
      result = await runObserved(
        this.options.reference,
        p,
        inputs,
        ctx.replay(true),
        observe?.("reference", "fallback"),
      );
      Object.assign(report, { runtime: "reference", result });
    }
    if (verify) {
      const other = answer === "reference" ? this.options.direct : this.options.reference;
      const secondary = await runObserved(other, p, inputs, ctx.replay(), observe?.(other.name, "secondary"));
      const [expected, actual] = answer === "reference" ? [result, secondary] : [secondary, result];
      const diffs = compareResults(expected, actual, {
        tolerance: p.node.verification.tolerance,
        noisy: p.node.verification.noisyFields.map((f) => f.value),
      });
      report.compared = true;
      report.secondary = secondary;
      if (diffs.length > 0) report.divergence = { expected: "reference", actual: "direct", diffs };
    }
    report.durationUs = Math.round((performance.now() - started) * 1000);
    return report;
  }
}
