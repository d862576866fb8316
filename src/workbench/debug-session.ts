import { loadNode } from "./load-node.js";
import { type InputChoice, nodeInputs } from "./node-inputs.js";
import {
  Breakpoints,
  type BreakSpec,
  DebugError,
  DebugSession,
  FlowMap,
  LockstepSession,
  type PairMeta,
  PairRecorder,
  parseBreakSpec,
} from "../debug/comparative/index.js";
import { type ContextOptions, ExecutionContext, type Tape } from "../runtime/context.js";
import { DirectRuntime } from "../runtime/direct/direct-runtime.js";
import type { PreparedNode } from "../runtime/prepared.js";
import type { RuntimeName } from "../runtime/protocol.js";
import { ReferenceRuntime } from "../runtime/reference/reference-runtime.js";
import { TraceStore } from "../store/store.js";
import { defaultTools } from "../tools/index.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { ServiceBehaviour } from "../tools/sim-world.js";
import { getTrace, traceContext, traceInputs, traceSteps, traceTape } from "../trace/reader.js";
import { UsageError } from "../values/errors.js";
import type { Value } from "../values/values.js";

// Opening a comparative (lockstep) debug session: the reference and direct runtimes
// on the same inputs, each on its own ExecutionContext, stepped together and
// compared step by step. Either from a node and inputs (the direct run is served
// the reference's clock, random numbers and tool results), or from a recorded
// trace (both runs are served its tape: the recorded inputs, seed, services and
// tool results). Everything the caller gives is checked before anything is
// written: the node, the inputs, every breakpoint. Only then, when asked, are the
// two runs recorded to the store as a linked pair; the session's close() finishes
// the recording (a run that did not reach its end is marked incomplete).
//
//   const session = openDebugSession({ node: "examples/payment.vsp", inputs: { sample: "default" } });
//   const stop = await session.continue();   // typed: frames, reason, hits
//   session.divergences(); session.where(); session.evaluate("fee"); session.back(1);
//   session.close();
//
// Re-exports the session's types, so a front end imports this file only.

export type {
  Breakpoint,
  DebugSession,
  DebugSummary,
  DiffReport,
  Divergence,
  Evaluated,
  Evaluation,
  Frame,
  Hit,
  MoveOutcome,
  RecordingIds,
  SidePosition,
  StepDiff,
  StepPlace,
  StopReason,
  Upcoming,
} from "../debug/comparative/index.js";
import { REFERENCE_BACKEND } from "../exec/recording.js";

/** The debugger's text command language over a DebugSession (what `vesper debug` types). */
export { DebugCommands } from "../debug/comparative/index.js";

export type DirectTier = "closures" | "generated";

export interface DebugSessionOptions {
  /**
   * The node: a loaded one, or a .vsp file to load (an invalid file throws
   * InvalidNodeError with its diagnostics). With `trace`, defaults to the file the
   * recorded run ran, and must be the same node id.
   */
  node?: PreparedNode | string;
  /** A recorded trace (its id or a unique prefix) whose inputs, seed, services and tool results both runtimes re-execute. */
  trace?: string;
  /** The inputs (not with `trace`): a sample, a mapping and NAME=VALUE assignments, or the values themselves. Default: the node's first sample, then declared defaults. */
  inputs?: InputChoice | ReadonlyMap<string, Value>;
  /** Seed for random() and the simulated services (not with `trace`); default 0. */
  seed?: number;
  /** How simulated services behave, by tool name or "*" (not with `trace`). */
  behaviour?: Record<string, Partial<ServiceBehaviour>>;
  /** Which compiled form of the direct runtime is stepped: closures (a node's first runs, the default) or generated (hot nodes). */
  directTier?: DirectTier;
  /** Breakpoint specs set before the first step; default ["divergence"]. A bad one is refused before anything is recorded. */
  breakpoints?: readonly string[];
  /** How a bad breakpoint's origin is named in its error, e.g. "--break-on"; default "breakpoint". */
  breakpointsFrom?: string;
  /** Record the two runs to the store as a linked pair (needs `store`); default false. */
  record?: boolean;
  /**
   * The trace store, needed with `trace` or `record`: an open store (the caller's
   * to close), or a path, opened only when needed (read-only to read a trace;
   * read-write once everything was checked, to record) and closed by close().
   */
  store?: TraceStore | string;
  /** The tool registry both runs call through; default: a fresh one with the simulated services. */
  tools?: ToolRegistry;
}

/** What both runs start from. */
interface Start {
  node: PreparedNode;
  inputs: Map<string, Value>;
  seed: string;
  context: ContextOptions;
  /** A recorded run's tape: both runtimes are served it. */
  tape?: Tape;
  replaying?: { trace: string; nodeChanged: boolean };
  notes: string[];
}

export function openDebugSession(options: DebugSessionOptions): DebugSession {
  if (options.record && options.store === undefined)
    throw new UsageError("recording a debug session needs a trace store");
  const tools = options.tools ?? defaultTools();
  const start = options.trace !== undefined ? fromTrace(options.trace, options, tools) : fromNode(options, tools);
  // Breakpoints are checked before anything runs or is recorded: a bad one is the caller's mistake.
  const breakpoints = checkedBreakpoints(start.node, options);
  const contexts = contextsFor(start);

  const owned = options.record && typeof options.store === "string" ? TraceStore.open(options.store) : undefined;
  let recorder: PairRecorder | undefined;
  try {
    // The tier is fixed for the session: closures as a node's first runs use, or the generated code of a hot node.
    const direct = new DirectRuntime({ hotThreshold: options.directTier === "generated" ? 0 : Infinity });
    if (options.record) {
      const backends = { reference: REFERENCE_BACKEND, direct: direct.engine.info().backend };
      recorder = new PairRecorder(
        owned ?? (options.store as TraceStore),
        pairMeta(start, contexts, backends),
        contexts,
      );
    }
    const lockstep = new LockstepSession({
      node: start.node,
      inputs: start.inputs,
      runtimes: { reference: new ReferenceRuntime(), direct },
      contexts,
      observer: recorder,
    });
    return new DebugSession({
      lockstep,
      breakpoints,
      replaying: start.replaying,
      notes: start.notes,
      recorder,
      release: owned ? () => owned.close() : undefined,
    });
  } catch (err) {
    recorder?.close({});
    owned?.close();
    throw err;
  }
}

/**
 * Each run's context. From a trace, both are served its tape; otherwise the
 * reference draws live and the direct one is served what the reference drew.
 */
function contextsFor(start: Start): Record<RuntimeName, ExecutionContext> {
  if (start.tape)
    return {
      reference: new ExecutionContext(start.context, start.tape),
      direct: new ExecutionContext(start.context, start.tape),
    };
  const reference = new ExecutionContext(start.context);
  return { reference, direct: reference.replay() };
}

/** What the recorded pair says about its runs: enough for `vesper debug --trace` and replay to rebuild them. */
function pairMeta(
  start: Start,
  contexts: Record<RuntimeName, ExecutionContext>,
  backends: Record<RuntimeName, string>,
): PairMeta {
  return {
    node: start.node,
    inputs: start.inputs,
    seed: start.seed,
    backends,
    context: {
      clockStartMs: contexts.reference.clockStartMs,
      budgetMs: start.context.budgetMs,
      behaviour: start.context.behaviour,
    },
  };
}

function checkedBreakpoints(node: PreparedNode, options: DebugSessionOptions): Breakpoints {
  const flow = new FlowMap(node.node);
  const from = options.breakpointsFrom ?? "breakpoint";
  const breakpoints = new Breakpoints();
  for (const spec of options.breakpoints?.length ? options.breakpoints : ["divergence"])
    breakpoints.add(breakSpec(node, flow, spec, from));
  return breakpoints;
}

function breakSpec(node: PreparedNode, flow: FlowMap, spec: string, from: string): BreakSpec {
  try {
    return parseBreakSpec(node, flow, spec);
  } catch (err) {
    // The same problem, said with where the spec came from (a flag, a config).
    if (err instanceof DebugError) throw new DebugError(`${from} '${spec}': ${err.message}`, err.code);
    throw err;
  }
}

function fromNode(options: DebugSessionOptions, tools: ToolRegistry): Start {
  if (options.node === undefined)
    throw new UsageError("a debug session needs a .vsp file, or --trace <id> to debug a recorded run");
  const node = typeof options.node === "string" ? loadNode(options.node) : options.node;
  const seed = options.seed ?? 0;
  const inputs =
    options.inputs instanceof Map
      ? new Map(options.inputs)
      : nodeInputs(node, (options.inputs as InputChoice | undefined) ?? {});
  return {
    node,
    inputs,
    seed: String(seed),
    context: {
      seed,
      grants: node.grants,
      tools,
      budgetMs: node.node.performance.timeout_ms,
      behaviour: options.behaviour,
    },
    notes: [],
  };
}

function fromTrace(id: string, options: DebugSessionOptions, tools: ToolRegistry): Start {
  const choice = options.inputs instanceof Map ? undefined : (options.inputs as InputChoice | undefined);
  for (const [flag, given] of [
    ["--input", (choice?.assignments?.length ?? 0) > 0 || options.inputs instanceof Map],
    ["--inputs", choice?.mapping !== undefined],
    ["--sample", choice?.sample !== undefined],
    ["--seed", options.seed !== undefined],
    ["--sim", options.behaviour !== undefined && Object.keys(options.behaviour).length > 0],
  ] as const) {
    if (given)
      throw new UsageError(
        `${flag} cannot be combined with --trace: a recorded run's inputs, seed and services are used`,
      );
  }
  if (options.store === undefined) throw new UsageError(`debugging trace ${id} needs the trace store it is in`);
  const store = typeof options.store === "string" ? TraceStore.open(options.store, { readonly: true }) : options.store;
  try {
    const row = getTrace(store, id);
    const node = typeof options.node === "object" ? options.node : loadNode(options.node ?? row.node_file);
    if (node.node.nodeId.value !== row.node_id) {
      const file = typeof options.node === "string" ? options.node : node.node.file;
      throw new UsageError(`trace ${row.id} ran ${row.node_id}, but ${file} is ${node.node.nodeId.value}`);
    }
    const recorded = traceContext(row);
    const nodeChanged = node.node.contentHash !== row.content_hash;
    return {
      node,
      inputs: traceInputs(row),
      seed: row.seed,
      tape: traceTape(traceSteps(store, row)),
      context: {
        seed: row.seed,
        grants: node.grants,
        tools,
        budgetMs: recorded.budgetMs,
        clockStartMs: recorded.clockStartMs,
        behaviour: recorded.behaviour,
      },
      replaying: { trace: row.id, nodeChanged },
      notes: nodeChanged
        ? [
            `${node.node.file} has changed since trace ${row.id} was recorded; both runtimes run the file as it is now, against the recorded inputs and tool results`,
          ]
        : [],
    };
  } finally {
    if (typeof options.store === "string") store.close();
  }
}
