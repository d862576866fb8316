import type { StepOp } from "../ir/ast.js";
import type { Loc } from "../ir/diagnostics.js";
import type { VRecord, Value } from "../values/values.js";

// The step protocol: what both runtimes emit and what the debugger, recorder and
// replayer consume. A run is a sequence of StepEvents; it can be advanced one
// event at a time, snapshotted and restored, or run straight through.

export type RuntimeName = "reference" | "direct";

export interface SourcePoint {
  file: string;
  line: number;
  col: number;
}

/** One external call as the step made it: arguments, result or failure, attempts. */
export interface Effect {
  tool: string;
  capability: string;
  args: Value;
  ok: boolean;
  result?: Value;
  error?: { code: string; message: string };
  attempts: number;
  /** Virtual milliseconds the call took, retries and back-off included. */
  elapsedMs: number;
}

export interface ContractCheck {
  kind: ContractKind;
  name: string;
  text: string;
  passed: boolean;
}

export type ContractKind = "precondition" | "postcondition" | "invariant" | "input constraint";

/** Why a step or run failed. Codes: R1xx expression errors, R2xx runtime failures, C00x contracts. */
export interface Failure {
  code: string;
  message: string;
  location: SourcePoint;
  step?: string;
  /** For contract violations: which contract. */
  contract?: { kind: ContractKind; name: string; text: string };
}

/** `enter` checks inputs and preconditions and captures old() values before the flow. */
export type EventOp = StepOp | "enter";

export interface StepEvent {
  /** 0 for `enter`, then one per step executed, in order. */
  index: number;
  step: string;
  op: EventOp;
  location: SourcePoint;
  /** Bindings this step made or changed, in order. */
  changed: [string, Value][];
  effects: Effect[];
  contracts: ContractCheck[];
  transition?: { from: string; to: string };
  /** The step's guard was false, so it did nothing. */
  skipped?: boolean;
  /** For a branch: the arm it took. */
  branch?: "then" | "else";
  /** A failure the step recovered from through error_handling.fallback, or the one that ended the run. */
  error?: Failure;
  recovered?: "fallback" | "on_error";
  /** Present on the last event of a run. */
  result?: RunResult;
}

export type RunStatus = "success" | "error" | "contract_violation" | "runtime_error";

export interface RunResult {
  /** success and error are outputs the node declares; the other two are failures. */
  status: RunStatus;
  output?: VRecord;
  failure?: Failure;
  /** The state machine's state at the end, when the node declares one. */
  state?: string;
  /** Steps executed (the `enter` event not counted). */
  steps: number;
}

/** A run in progress that can be advanced one event at a time. */
export interface Execution {
  readonly runtime: RuntimeName;
  readonly done: boolean;
  /** Runs the next step (the first call runs `enter`) and describes it. */
  next(): Promise<StepEvent>;
  /** Runs every remaining step; the result of the run. */
  finish(): Promise<RunResult>;
  /** A copy of everything the run depends on, to return to later. */
  snapshot(): Snapshot;
  restore(snapshot: Snapshot): void;
  readonly result: RunResult | undefined;
}

/** Opaque to consumers; each runtime stores what it needs. */
export interface Snapshot {
  readonly runtime: RuntimeName;
  readonly index: number;
}

export function pointOf(loc: Loc): SourcePoint {
  return { file: loc.file, line: loc.line, col: loc.col };
}
