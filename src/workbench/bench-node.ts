import { benchNode as measureBoth, type NodeBench } from "../exec/bench.js";
import { DirectRuntime } from "../runtime/direct/direct-runtime.js";
import type { PreparedNode } from "../runtime/prepared.js";
import { ReferenceRuntime } from "../runtime/reference/reference-runtime.js";
import type { Value } from "../values/values.js";

// Bench a node: runs per second on each runtime after warm-up, and their ratio,
// measured in this process on fresh runtimes (so the direct runtime's tier is the
// one this node reaches from cold). Nothing is recorded.

export type { BenchFigures, NodeBench } from "../exec/bench.js";

export interface BenchNodeOptions {
  /** The inputs, complete (see nodeInputs). */
  inputs: Map<string, Value>;
  /** Milliseconds per measurement (default 1000). */
  ms?: number;
}

export function benchNode(p: PreparedNode, options: BenchNodeOptions): Promise<NodeBench> {
  return measureBoth(p, options.inputs, new ReferenceRuntime(), new DirectRuntime(), options.ms ?? 1000);
}
