import { hash } from "node:crypto";
import { compareResults, type DiffEntry } from "../exec/comparator.js";
import { ExecutionContext } from "../runtime/context.js";
import { DirectRuntime } from "../runtime/direct/direct-runtime.js";
import type { PreparedNode } from "../runtime/prepared.js";
import type { RunResult } from "../runtime/protocol.js";
import { ReferenceRuntime } from "../runtime/reference/reference-runtime.js";
import type { Runtime } from "../runtime/runtime.js";
import type { Value } from "../values/values.js";
import type { ToolRegistry } from "../tools/registry.js";
import { inputKey } from "./input-key.js";
import { servedTools, tapeServer } from "./served-tools.js";

// One differential execution: the reference runs live, then the other side runs
// on the same inputs and compares. Differential: the direct runtime, served the
// reference's recorded clock, random numbers and tool results (as dual_verify
// does), so only the runtimes can differ. A/A: the reference again, on a later
// clock and another random stream, served the same tool results, so only the
// node's own nondeterminism (now(), random()) can differ.

export type VerdictKind = "discarded" | "agreed" | "diverged" | "crashed";

export interface Verdict {
  kind: VerdictKind;
  /** The seed of the execution context this input ran with (`vesper run --seed` reproduces it). */
  contextSeed: number;
  expected: RunResult;
  actual?: RunResult;
  diffs: DiffEntry[];
  /** crashed: a runtime threw instead of returning a result (a bug in vesper, not in the node). */
  crash?: { runtime: "reference" | "direct"; message: string };
}

export interface DifferentialOptions {
  /** The test's seed; each input's context seed is derived from it and the input. */
  seed: number;
  aa?: boolean;
  tools: ToolRegistry;
  reference?: Runtime;
  direct?: Runtime;
  /** Where the virtual clock starts (epoch ms); fixed for a test so runs are repeatable. */
  clockStartMs?: number;
}

/** How far the A/A second run's clock is moved: a request an hour later. */
const AA_CLOCK_SHIFT_MS = 3_600_000;

export class DifferentialRunner {
  readonly reference: Runtime;
  readonly other: Runtime;
  readonly clockStartMs: number;
  private readonly compareOptions;

  constructor(
    readonly p: PreparedNode,
    readonly options: DifferentialOptions,
  ) {
    this.reference = options.reference ?? new ReferenceRuntime();
    this.other = options.aa ? this.reference : (options.direct ?? new DirectRuntime());
    this.clockStartMs = options.clockStartMs ?? Date.UTC(2026, 0, 1);
    this.compareOptions = {
      tolerance: p.node.verification.tolerance,
      noisy: p.node.verification.noisyFields.map((f) => f.value),
    };
  }

  async run(inputs: Map<string, Value>): Promise<Verdict> {
    const contextSeed = contextSeedOf(this.options.seed, inputs);
    const ctx = this.context(contextSeed, this.clockStartMs, this.options.tools);
    let expected: RunResult;
    try {
      expected = await this.reference.run(this.p, inputs, ctx);
    } catch (err) {
      return crashed(contextSeed, "reference", err);
    }
    if (isDiscard(expected)) return { kind: "discarded", contextSeed, expected, diffs: [] };
    const second = this.options.aa
      ? this.context(
          `${contextSeed}/aa`,
          this.clockStartMs + AA_CLOCK_SHIFT_MS,
          servedTools(this.options.tools, tapeServer(ctx.tape.calls)),
        )
      : ctx.replay();
    let actual: RunResult;
    try {
      // The direct run usually answers at once (runtime.ts): await only a promise.
      const r = this.other.run(this.p, inputs, second);
      actual = r instanceof Promise ? await r : r;
    } catch (err) {
      return { ...crashed(contextSeed, this.options.aa ? "reference" : "direct", err), expected };
    }
    const diffs = compareResults(expected, actual, this.compareOptions);
    return { kind: diffs.length === 0 ? "agreed" : "diverged", contextSeed, expected, actual, diffs };
  }

  private context(seed: number | string, clockStartMs: number, tools: ToolRegistry): ExecutionContext {
    return new ExecutionContext({
      seed,
      clockStartMs,
      tools,
      grants: this.p.grants,
      budgetMs: this.p.node.performance.timeout_ms,
    });
  }
}

function crashed(contextSeed: number, runtime: "reference" | "direct", err: unknown): Verdict {
  const message = err instanceof Error ? err.message : String(err);
  return {
    kind: "crashed",
    contextSeed,
    expected: { status: "runtime_error", steps: 0 },
    diffs: [],
    crash: { runtime, message },
  };
}

/**
 * Inputs the node refuses at entry (a precondition or an input constraint, before
 * any step ran) say nothing about the runtimes: they are discarded and counted.
 */
export function isDiscard(r: RunResult): boolean {
  return (
    r.status === "contract_violation" && r.steps === 0 && (r.failure?.code === "C001" || r.failure?.code === "C004")
  );
}

/**
 * A context seed for one input: the same test seed and input always get the same one (a uint32, as --seed takes):
 * the first 4 bytes of SHA-256 over `<seed>\0<canonical key of the inputs, sorted by name>`. Regression cases
 * and stored tests name these seeds, so the derivation never changes (test/unit/verify/context-seeds-are-stable).
 */
export function contextSeedOf(seed: number, inputs: ReadonlyMap<string, Value>): number {
  return hash("sha256", `${seed}\0${inputKey(inputs)}`, "buffer").readUInt32BE(0);
}
