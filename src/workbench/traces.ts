import type { Failure } from "../runtime/protocol.js";
import { exportJson, exportOtlp } from "../trace/export.js";
import { collectGarbage, type GcResult } from "../trace/gc.js";
import { allTraces, listTraces, TRACE_STATUSES } from "../trace/queries.js";
import { getTrace, type RecordedStep, type TraceRow, type TraceStatus, traceSteps } from "../trace/reader.js";
import { stateAt } from "../trace/state-at.js";
import { decodeValue, type Encoded } from "../trace/value-codec.js";
import { type ChainReport, verifyChain } from "../trace/verify-chain.js";
import { UsageError } from "../values/errors.js";
import type { Value } from "../values/values.js";
import { type StoreRef, withStore } from "./store-access.js";

// Reading the trace store from the outside: list, a trace's timeline, the recorded
// state after a step, hash-chain verification, export and garbage collection. Each
// takes a store (a path, opened for the call, or an open store) and returns typed
// rows; none creates a store, and only gc writes. An unknown trace id (or an
// ambiguous prefix) is a StoreError naming it.

export { TRACE_STATUSES, type ChainReport, type GcResult, type RecordedStep, type TraceRow, type TraceStatus };

export interface TraceListOptions {
  node?: string;
  status?: TraceStatus;
  /** At most this many, newest first (default 20). */
  limit?: number;
}

export function listRecordedTraces(store: StoreRef, options: TraceListOptions = {}): TraceRow[] {
  return withStore(store, (s) => listTraces(s, options));
}

export interface TraceTimeline {
  trace: TraceRow;
  /** Every step row, `enter` (index 0) included, in order. */
  steps: RecordedStep[];
  /** The recorded output record, or null (no output, or the trace never finished). */
  output: Value | null;
  /** The recorded failure, or null. */
  failure: Failure | null;
}

/** A trace (by id or a unique prefix) and its steps. */
export function traceTimeline(store: StoreRef, id: string): TraceTimeline {
  return withStore(store, (s) => {
    const trace = getTrace(s, id);
    return {
      trace,
      steps: traceSteps(s, trace),
      output: trace.output === null ? null : decodeValue(JSON.parse(trace.output) as Encoded),
      failure: trace.failure === null ? null : (JSON.parse(trace.failure) as Failure),
    };
  });
}

export interface TraceState {
  trace: TraceRow;
  step: number;
  /** The state machine's state after the step, or null for a node without one. */
  state: string | null;
  /** Every binding's value after the step, in the order they were first bound. */
  bindings: [string, Value][];
  /** The checkpoint the state was rebuilt from, or null when from the first step. */
  checkpoint: number | null;
  /** Step rows read after the checkpoint. */
  applied: number;
}

/**
 * The recorded bindings and state after step `step`, read from the nearest
 * checkpoint and the steps after it (nothing is re-run). A step the trace does not
 * have is a usage error, whose message starts with `label` (what named the step).
 */
export function traceStateAt(store: StoreRef, id: string, step: number, label = "step"): TraceState {
  return withStore(store, (s) => {
    const trace = getTrace(s, id);
    if (!Number.isSafeInteger(step) || step < 0 || step >= trace.step_count)
      throw new UsageError(`${label} ${step}: trace ${trace.id} has steps 0 (enter) to ${trace.step_count - 1}`);
    const r = stateAt(s, trace, step, null);
    return {
      trace,
      step,
      state: r.state,
      bindings: Object.entries(r.bindings).map(([k, v]) => [k, decodeValue(v)]),
      checkpoint: r.checkpoint,
      applied: r.applied,
    };
  });
}

export interface TraceVerification {
  /** One report per trace checked: oldest first when every trace was checked. */
  reports: ChainReport[];
  /** How many of them do not verify. */
  tampered: number;
}

/** Recomputes the hash chain of one trace, or of every trace when `id` is undefined. */
export function verifyTraces(store: StoreRef, id?: string): TraceVerification {
  return withStore(store, (s) => {
    const traces = id === undefined ? allTraces(s) : [getTrace(s, id)];
    const reports = traces.map((t) => verifyChain(s, t));
    return { reports, tampered: reports.filter((r) => r.problem).length };
  });
}

export type ExportFormat = "json" | "otlp";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["json", "otlp"];
export type TraceExport = ReturnType<typeof exportJson> | ReturnType<typeof exportOtlp>;

/** A trace as a JSON document: everything the store holds (json), or OTLP/JSON spans (otlp). */
export function exportTrace(store: StoreRef, id: string, format: ExportFormat): TraceExport {
  return withStore(store, (s) => {
    const trace = getTrace(s, id);
    return format === "otlp" ? exportOtlp(s, trace) : exportJson(s, trace);
  });
}

/** Deletes traces that started more than `keepDays` days before `now`, except those still running. */
export function collectOldTraces(store: StoreRef, keepDays: number, now = Date.now()): GcResult {
  return withStore(store, (s) => collectGarbage(s, keepDays, now));
}
