import { existsSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { EditError, editStep } from "./edit-step.js";
import { firstDifference } from "./event-difference.js";
import type { Edit } from "./edit.js";
import { type Json, toJson } from "../../values/json.js";
import { scopeAfter, type StepScope } from "../scope.js";
import { ExecutionContext } from "../../runtime/context.js";
import { DirectRuntime } from "../../runtime/direct/direct-runtime.js";
import { InvalidNodeError, prepareSource, type PreparedNode } from "../../runtime/prepared.js";
import type { Effect, Execution, RunResult, Snapshot, StepEvent } from "../../runtime/protocol.js";
import { ReferenceRuntime } from "../../runtime/reference/reference-runtime.js";
import type { Runtime } from "../../runtime/runtime.js";
import type { Value } from "../../values/values.js";
import {
  getTrace,
  traceContext,
  traceInputs,
  traceResult,
  traceSteps,
  traceTape,
  type RecordedStep,
  type TraceRow,
} from "../../trace/reader.js";
import { encodeEvent, StepCollector, type StepTape } from "../../trace/step-codec.js";
import { StoreError } from "../../store/store-error.js";
import { UsageError } from "../../values/errors.js";
import { verifyChain, type ChainProblem } from "../../trace/verify-chain.js";
import type { TraceStore } from "../../store/store.js";
import type { RecordedContext } from "../../trace/recorder.js";
import { defaultTools, type ToolRegistry } from "../../tools/index.js";

// Time travel through a recorded run. The session re-executes the node on the
// runtime that recorded it, serving every clock reading, random number and tool
// result from the trace, and checks each re-executed step against its recorded
// row: a replay that departs from the recording (the node file changed, or the
// runtime is not deterministic) is reported at the first step that differs. Going
// back restores a snapshot taken after each step; nothing is re-run to go back.

export interface ReplayOptions {
  /** Replay this .vsp file instead of the one recorded with the trace. */
  file?: string;
}

export interface Mismatch {
  index: number;
  step: string;
  message: string;
}

export class ReplaySession {
  readonly trace: TraceRow;
  readonly recorded: RecordedStep[];
  readonly file: string;
  /** The file's text when the session opened: edits apply to it. */
  readonly source: string;
  readonly node: PreparedNode;
  readonly inputs: Map<string, Value>;
  readonly context: RecordedContext;
  readonly runtime: Runtime;
  /** The tools the node's calls are served through (recorded results, or the simulated services in a fork). */
  readonly tools: ToolRegistry = defaultTools();
  /** Set when the node file is not the one that was recorded. */
  readonly fileChanged: boolean;
  /** sha256 of the text replayed (the recorded one is the trace's content_hash). */
  readonly contentHash: string;
  /** Set when the trace's hash chain does not verify: the recording itself was changed. */
  readonly tampered?: ChainProblem;
  /** Re-executed events, index = event index, up to the current position. */
  readonly events: StepEvent[] = [];
  readonly mismatches: Mismatch[] = [];
  private execution: Execution;
  private ctx: ExecutionContext;
  /** snapshots[i + 1] is the state after event i; snapshots[0] the state before `enter`. */
  private readonly snapshots: Snapshot[] = [];
  private readonly received = new StepCollector();

  constructor(
    readonly store: TraceStore,
    traceId: string,
    options: ReplayOptions = {},
  ) {
    this.trace = getTrace(store, traceId);
    if (this.trace.status === "running")
      throw new StoreError(
        `trace ${this.trace.id} is still being recorded (by process ${this.trace.writer_pid})`,
        "S102",
      );
    this.recorded = traceSteps(store, this.trace);
    this.tampered = verifyChain(store, this.trace).problem;
    this.file = options.file ?? this.trace.node_file;
    if (!existsSync(this.file)) {
      throw new StoreError(
        `the node file recorded with trace ${this.trace.id}, ${this.file}, no longer exists; pass --file to replay another copy`,
        "S102",
      );
    }
    // A fork ran its parent's file with edits: the same edits give the text it ran, whether
    // the file is the recorded one or a copy given with --file. Setting a value is
    // idempotent, so a copy the edits were already applied to gives the same text.
    this.source = forkSource(readFileSync(this.file, "utf8"), this.trace.fork_change, this.trace.id);
    this.contentHash = createHash("sha256").update(this.source).digest("hex");
    this.fileChanged = this.contentHash !== this.trace.content_hash;
    this.node = prepareRecorded(this.file, this.source, this.trace.id);
    const nodeId = this.node.node.nodeId.value;
    if (nodeId !== this.trace.node_id) {
      throw new UsageError(
        `trace ${this.trace.id} ran ${this.trace.node_id}, but ${this.file} holds ${nodeId}; pass --file with a copy of ${this.trace.node_id}`,
      );
    }
    this.inputs = traceInputs(this.trace);
    this.context = traceContext(this.trace);
    this.runtime = this.trace.runtime === "reference" ? new ReferenceRuntime() : new DirectRuntime();
    [this.execution, this.ctx] = this.start();
  }

  private start(): [Execution, ExecutionContext] {
    const ctx = new ExecutionContext(
      { seed: this.trace.seed, grants: this.node.grants, tools: this.tools, ...this.context },
      traceTape(this.recorded),
    );
    ctx.onRecord = this.received.onRecord;
    const execution = this.runtime.start(this.node, new Map(this.inputs), ctx);
    this.snapshots[0] = execution.snapshot();
    return [execution, ctx];
  }

  /** Index of the last event re-executed; -1 before `enter`. */
  get position(): number {
    return this.events.length - 1;
  }

  /** The last event index a replay can reach. */
  get last(): number {
    return this.recorded.length - 1;
  }

  get done(): boolean {
    return this.execution.done;
  }

  get result(): RunResult | undefined {
    return this.execution.result;
  }

  get recordedResult(): RunResult | undefined {
    return traceResult(this.trace);
  }

  /** Runs the next step and checks it against the recording. Undefined at the end. */
  async stepForward(): Promise<{ event: StepEvent; mismatch?: Mismatch } | undefined> {
    if (this.execution.done) return undefined;
    this.received.clear();
    const event = await this.execution.next();
    this.events[event.index] = event;
    this.events.length = event.index + 1;
    this.snapshots[event.index + 1] = this.execution.snapshot();
    const mismatch = this.check(event, this.received.tape, this.received.calls);
    return { event, mismatch };
  }

  private check(event: StepEvent, tape: StepTape, calls: Effect[]): Mismatch | undefined {
    const recorded = this.recorded[event.index];
    const known = this.mismatches.find((m) => m.index === event.index);
    if (known) return known;
    let message: string | undefined;
    if (!recorded) message = "the recorded run had ended before this step";
    else if (recorded.event.step !== event.step)
      message = `the recorded run went to step '${recorded.event.step}' here, the replay to '${event.step}'`;
    else {
      // Failure locations name the file as the recording run was given it (relative or
      // absolute); only the line and column are the step's.
      const now = withoutFiles(encodeEvent(event, tape, calls));
      const then = withoutFiles(JSON.parse(recorded.eventJson));
      if (JSON.stringify(now) !== JSON.stringify(then)) message = firstDifference(then as Json, now as unknown as Json);
    }
    if (message === undefined) return undefined;
    const m = { index: event.index, step: event.step, message };
    this.mismatches.push(m);
    return m;
  }

  /** Goes back to the state after event `index` (-1: before enter), from a snapshot. */
  rewindTo(index: number): void {
    const target = Math.max(-1, Math.min(index, this.position));
    this.execution.restore(this.snapshots[target + 1]!);
    this.events.length = target + 1;
  }

  scope(): StepScope {
    return scopeAfter(this.inputs, this.node.node.states?.initial.value, this.events);
  }

  /** Virtual milliseconds the run had spent at the current position. */
  get elapsedMs(): number {
    return this.ctx.elapsedMs;
  }
}

/** A copy of an event's or result's JSON with every `file` field blanked. */
export function withoutFiles<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === "file" ? "" : v))) as T;
}

/** Whether two outcomes are the same, as their JSON shows them (locations' file names aside). */
export function sameOutcome(a: RunResult, b: RunResult): boolean {
  const key = (r: RunResult) =>
    JSON.stringify(
      withoutFiles({
        status: r.status,
        output: r.output ? toJson(r.output) : null,
        failure: r.failure ?? null,
        state: r.state ?? null,
      }),
    );
  return key(a) === key(b);
}

/** The node a trace ran; a file that no longer validates makes the trace unreplayable (a store problem, exit 2). */
function prepareRecorded(file: string, text: string, traceId: string): PreparedNode {
  try {
    return prepareSource(file, text);
  } catch (err) {
    if (!(err instanceof InvalidNodeError)) throw err;
    const d = err.diagnostics.find((x) => x.severity === "error") ?? err.diagnostics[0]!;
    throw new StoreError(
      `the node file no longer validates, so trace ${traceId} cannot be replayed: ${d.file}:${d.line}:${d.col}: ${d.code}: ${d.message}`,
      "S102",
    );
  }
}

/** The text a fork ran: its recorded step edits applied to the parent's file. */
function forkSource(text: string, forkChange: string | null, traceId: string): string {
  if (!forkChange) return text;
  let out = text;
  for (const e of JSON.parse(forkChange) as Edit[]) {
    if (e.kind !== "step") continue;
    try {
      out = editStep(out, e.step, e.param, e.value).text;
    } catch (err) {
      if (!(err instanceof EditError)) throw err;
      throw new StoreError(
        `fork ${traceId} edited step '${e.step}' (${e.param}), but this copy of the node cannot take that edit: ${err.message}`,
        "S102",
      );
    }
  }
  return out;
}
