import type { ExecutionContext } from "./context.js";
import type { PreparedNode } from "./prepared.js";
import type { Execution, RunResult, RuntimeName } from "./protocol.js";
import type { Value } from "../values/values.js";

/**
 * What the executor, debugger and benchmarks hold: a way to start runs of a node.
 * `inputs` are resolved inputs (prepared.ts resolveInputs: every declared input present,
 * defaults filled in, values read against their types as input-text.ts and read-value.ts
 * read them). Both runtimes rely on it and agree on every failure only for such inputs:
 * a missing required input or a record missing a required field is refused before a run
 * starts, with the input's name, and is not a run-time error of either runtime.
 */
export interface Runtime {
  readonly name: RuntimeName;
  start(node: PreparedNode, inputs: Map<string, Value>, ctx: ExecutionContext): Execution;
  /**
   * Runs straight through on the fastest path the runtime has. Returns a result, or a
   * promise of one where the run had to wait (or the runtime always runs asynchronously,
   * as the reference does). It never throws: a failure is always a rejected promise, so
   * `await runtime.run(...)` in a try block catches every failure, and a hot loop may test
   * `instanceof Promise` and await only then. A caller that needs a promise (`.then`,
   * `.catch`) writes `Promise.resolve(runtime.run(...))`.
   */
  run(node: PreparedNode, inputs: Map<string, Value>, ctx: ExecutionContext): RunResult | Promise<RunResult>;
}
