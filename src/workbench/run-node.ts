import { DualPathExecutor, type ExecutionReport } from "../exec/executor.js";
import type { Mode } from "../runtime/mode-names.js";
import { startRecording, type RecordedRun } from "../exec/recording.js";
import { ExecutionContext } from "../runtime/context.js";
import { DirectRuntime } from "../runtime/direct/direct-runtime.js";
import type { PreparedNode } from "../runtime/prepared.js";
import { ReferenceRuntime } from "../runtime/reference/reference-runtime.js";
import type { Runtime } from "../runtime/runtime.js";
import type { TraceStore } from "../store/store.js";
import { defaultTools, type ServiceBehaviour, type ToolRegistry } from "../tools/index.js";
import type { Value } from "../values/values.js";
import { controllerMode, observeExecution, type Observation } from "../verify/observe.js";

/** How a simulated service behaves (what --sim sets), and its defaults. */
export { DEFAULT_BEHAVIOUR, type ServiceBehaviour } from "../tools/sim-world.js";

// Run a node once: route it through the dual-path executor in a mode (or `auto`,
// the migration controller's mode), record one trace per runtime run in the given
// store, and let the controller observe the execution. The caller owns the store:
// it opens it before anything runs (a bad store stops the run with nothing done)
// and closes it after. Without a store nothing is read or written, and `auto`
// falls back to reference_only; with a store and `record: false` an auto mode is
// still read from it but nothing is written.

export type ModeChoice = Mode | "auto";

export interface RunNodeOptions {
  /** The inputs, complete (see nodeInputs). */
  inputs: Map<string, Value>;
  /** An execution mode, or "auto" for the migration controller's (reference_only when it has none). */
  mode: ModeChoice;
  /** Seed for random() and the simulated services (default 0). */
  seed?: number;
  /** canary_direct: the percentage of inputs sent to the direct runtime (the executor's default when absent). */
  canaryPercent?: number;
  /** direct_only: the percentage of runs verified against the reference (the executor's default when absent). */
  samplePercent?: number;
  /** How simulated services behave in this run, per tool name or "*"; recorded with the traces. */
  behaviour?: Record<string, Partial<ServiceBehaviour>>;
  /** An open trace store: recorded into (unless `record` is false) and read for `auto`. */
  store?: TraceStore;
  /** Whether to record into `store` and let the controller observe (default true when a store is given). */
  record?: boolean;
  /** The tools a step may call; a session passes one registry to all its runs (default: a fresh defaultTools()). */
  tools?: ToolRegistry;
  /** The runtimes; a session may keep one direct runtime so its code cache stays warm (default: fresh ones). */
  runtimes?: { reference?: Runtime; direct?: DirectRuntime };
  /** Where the virtual clock starts, epoch ms (default: now). */
  clockStartMs?: number;
}

export interface RunNodeOutcome {
  report: ExecutionReport;
  /** The traces recorded, one per runtime run, in the order the runs started; empty when not recorded. */
  traces: RecordedRun[];
  /** The group id linking the traces, when recorded. */
  groupId?: string;
  /** What the store learned, and the controller's change if any; absent when not recorded. */
  observation?: Observation;
  /** Whether the mode was "auto". */
  auto: boolean;
  /** With auto: the controller's mode, or undefined when it had none (then reference_only ran). */
  controlled?: Mode;
}

export async function runNode(p: PreparedNode, options: RunNodeOptions): Promise<RunNodeOutcome> {
  const { store, inputs } = options;
  const recordInto = options.record === false ? undefined : store;
  const auto = options.mode === "auto";
  // A node the controller has no mode for yet runs on the reference alone: the safe default.
  const controlled = auto && store ? controllerMode(store, p.node.nodeId.value) : undefined;
  const mode: Mode = options.mode === "auto" ? (controlled ?? "reference_only") : options.mode;
  const direct = options.runtimes?.direct ?? new DirectRuntime();
  const executor = new DualPathExecutor({
    reference: options.runtimes?.reference ?? new ReferenceRuntime(),
    direct,
    canaryPercent: options.canaryPercent,
    samplePercent: options.samplePercent,
  });
  const seed = options.seed ?? 0;
  const context = {
    clockStartMs: options.clockStartMs ?? Date.now(),
    budgetMs: p.node.performance.timeout_ms,
    behaviour: options.behaviour,
  };
  const recording = recordInto
    ? startRecording(recordInto, {
        node: p,
        inputs,
        seed: String(seed),
        context,
        mode,
        directBackend: direct.engine.info().backend,
      })
    : undefined;
  const ctx = new ExecutionContext({ seed, grants: p.grants, tools: options.tools ?? defaultTools(), ...context });
  const report = await executor.execute(p, inputs, mode, ctx, recording?.observe);
  const traces = recording?.traces ?? [];
  let observation: Observation | undefined;
  if (recordInto) {
    const byRuntime = {
      reference: traces.find((t) => t.runtime === "reference")?.id,
      direct: traces.find((t) => t.runtime === "direct")?.id,
    };
    observation = observeExecution(recordInto, p, report, byRuntime, inputs);
  }
  return { report, traces, groupId: recording?.groupId, observation, auto, controlled };
}

/** The tools whose behaviour a run can set (what --sim names): the simulated services, sorted. */
export function simulatedToolNames(tools: ToolRegistry = defaultTools()): string[] {
  return tools.names().filter((name) => tools.get(name)?.simulated === true);
}
