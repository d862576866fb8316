import { ExecutionContext, type ContextOptions } from "../../src/runtime/context.js";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { prepareFile, prepareSource, type PreparedNode } from "../../src/runtime/prepared.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import { ReferenceRuntime } from "../../src/runtime/reference/reference-runtime.js";
import type { Value } from "../../src/values/values.js";
import { toJson, type Json } from "../../src/values/json.js";
import { defaultTools } from "../../src/tools/index.js";

export const reference = new ReferenceRuntime();

/** A node from inline YAML (the file name appears in locations). */
export function node(yaml: string, file = "inline.vsp"): PreparedNode {
  return prepareSource(file, yaml);
}

export function example(name: string): PreparedNode {
  return prepareFile(`examples/${name}.vsp`);
}

export function context(p: PreparedNode, options: Partial<ContextOptions> = {}): ExecutionContext {
  return new ExecutionContext({
    seed: 7,
    clockStartMs: Date.UTC(2026, 0, 1),
    grants: p.grants,
    ...options,
    tools: options.tools ?? defaultTools(),
  });
}

export interface ThreeRuns {
  reference: RunResult;
  closures: RunResult;
  generated: RunResult;
}

/** The same inputs on the reference runtime and on both tiers of the direct runtime, each in a fresh context. */
export async function runAll(
  p: PreparedNode,
  inputs: Map<string, Value>,
  options: Partial<ContextOptions> = {},
): Promise<ThreeRuns> {
  return {
    reference: await reference.run(p, inputs, context(p, options)),
    closures: await new DirectRuntime({ hotThreshold: Infinity }).run(p, inputs, context(p, options)),
    generated: await new DirectRuntime({ hotThreshold: 0 }).run(p, inputs, context(p, options)),
  };
}

export function inputs(values: Record<string, Value>): Map<string, Value> {
  return new Map(Object.entries(values));
}

/** A result as plain JSON, for exact comparisons and readable failures. */
export function plain(r: RunResult): { status: string; output: Json; failure: unknown; state: unknown } {
  return {
    status: r.status,
    output: r.output ? toJson(r.output) : null,
    failure: r.failure ?? null,
    state: r.state ?? null,
  };
}
