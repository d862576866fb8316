import { ExecutionContext } from "../runtime/context.js";
import type { DirectRuntime } from "../runtime/direct/direct-runtime.js";
import type { PreparedNode } from "../runtime/prepared.js";
import type { RunResult } from "../runtime/protocol.js";
import type { Runtime } from "../runtime/runtime.js";
import type { Value } from "../values/values.js";
import { defaultTools } from "../tools/index.js";

// Runs per second of one node on each runtime, measured in one process after
// warm-up (the direct runtime past its hot threshold), so the ratio compares the
// two on the same machine at the same moment. Each run gets a fresh context, as a
// real invocation would. Each figure says how its runs ended (every run has the same
// inputs and seed): a run refused at entry (C004) is timed as fast as it is refused,
// so a reader must see that it measured a refusal, not the node's work.

export interface BenchFigures {
  runs: number;
  seconds: number;
  runsPerSecond: number;
  /** How the measured runs ended: success, error (a declared error output), contract_violation or runtime_error. */
  status: string;
  /** The failure code when the runs failed (C00x, R1xx/R2xx). */
  code?: string;
}

export interface NodeBench {
  node: string;
  reference: BenchFigures;
  direct: BenchFigures;
  /** direct runs per second / reference runs per second. */
  ratio: number;
  directTier: string;
}

async function measure(
  runtime: Runtime,
  p: PreparedNode,
  inputs: Map<string, Value>,
  minMs: number,
): Promise<BenchFigures> {
  const tools = defaultTools();
  const ctx = () => new ExecutionContext({ seed: 0, clockStartMs: 0, grants: p.grants, tools });
  let runs = 0;
  let batch = 16;
  let last: RunResult | undefined;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) {
      // A run that finished without waiting answers at once (runtime.ts): awaiting it would cost a promise.
      const r = runtime.run(p, inputs, ctx());
      last = r instanceof Promise ? await r : r;
    }
    runs += batch;
    batch = Math.min(batch * 2, 4096);
    elapsed = performance.now() - started;
  }
  const ended = last!;
  return {
    runs,
    seconds: elapsed / 1000,
    runsPerSecond: runs / (elapsed / 1000),
    status: ended.status,
    ...(ended.failure ? { code: ended.failure.code } : {}),
  };
}

export async function benchNode(
  p: PreparedNode,
  inputs: Map<string, Value>,
  reference: Runtime,
  direct: DirectRuntime,
  minMs = 1000,
): Promise<NodeBench> {
  // Warm-up: both runtimes' JIT, and the direct runtime through its hot threshold.
  await measure(reference, p, inputs, minMs / 4);
  for (let i = 0; i <= direct.hotThreshold; i++)
    await direct.run(
      p,
      inputs,
      new ExecutionContext({ seed: 0, clockStartMs: 0, grants: p.grants, tools: defaultTools() }),
    );
  await measure(direct, p, inputs, minMs / 4);
  const ref = await measure(reference, p, inputs, minMs);
  const dir = await measure(direct, p, inputs, minMs);
  return {
    node: p.node.nodeId.value,
    reference: ref,
    direct: dir,
    ratio: dir.runsPerSecond / ref.runsPerSecond,
    directTier: direct.cached(p)?.tier.tier ?? "none",
  };
}
