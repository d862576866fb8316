import type { ExecutionContext } from "./context.js";
import type { PreparedNode } from "./prepared.js";
import type { Execution, RunResult, RuntimeName } from "./protocol.js";
import type { Value } from "../values/values.js";

/** What the executor, debugger and benchmarks hold: a way to start runs of a node. */
export interface Runtime {
  readonly name: RuntimeName;
  start(node: PreparedNode, inputs: Map<string, Value>, ctx: ExecutionContext): Execution;
  /** Runs straight through on the fastest path the runtime has. */
  run(node: PreparedNode, inputs: Map<string, Value>, ctx: ExecutionContext): Promise<RunResult>;
}
