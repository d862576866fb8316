import { isAbandoned } from "../store/liveness.js";
import type { Failure } from "../runtime/protocol.js";
import { exportJson, exportOtlp, type Sink } from "../trace/export.js";
import { collectGarbage, type GcOptions, type GcResult } from "../trace/gc.js";
import { allTraces, listTraces, TRACE_STATUSES } from "../trace/queries.js";
import {
  getTrace,
  parseStored,
  type RecordedStep,
  recordedStep,
  stepRowCount,
  type TraceRow,
  type TraceStatus,
} from "../trace/reader.js";
import { RowPages } from "../trace/row-pages.js";
import { stateAt } from "../trace/state-at.js";
import type { StepRow } from "../trace/step-codec.js";
import { decodeValue, type Encoded } from "../trace/value-codec.js";
import { type ChainProblem, type ChainReport, type TamperKind, verifyChain } from "../trace/verify-chain.js";
import { UsageError } from "../values/errors.js";
import type { Value } from "../values/values.js";
import { type StoreRef, withStore } from "./store-access.js";

// Reading the trace store from the outside: list, a trace's timeline, the recorded
// state after a step, verification, export and garbage collection. Each takes a
// store (a path, opened for the call, or an open store) and returns typed rows;
// none creates a store, and only gc writes: the others open the store read-only,
// so they work on a store the user may only read, and see it as one snapshot. A
// trace whose writer is gone (its lease ran out) reads as `incomplete` even before
// a writer marks it so. An unknown trace id (or an ambiguous prefix) is a
// StoreError naming it.

export { FAILED_STATUSES, STATUS_NAMES, TRACE_TIME_EXAMPLE, traceStatusesNamed, traceTimeOf } from "./trace-terms.js";
export {
  TRACE_STATUSES,
  type ChainProblem,
  type ChainReport,
  type GcResult,
  type RecordedStep,
  type TamperKind,
  type TraceRow,
  type TraceStatus,
};

const READING = { readonly: true } as const;

/** The trace as a reader should see it: a running trace whose writer is gone is incomplete. */
function live(t: TraceRow, now = Date.now()): TraceRow {
  return isAbandoned(t, now) ? { ...t, status: "incomplete" } : t;
}

export interface TraceListOptions {
  /** Only traces of exactly this node id. */
  node?: string;
  /** Only traces whose node id or node file contains each of these (ASCII letters in any case). */
  nodeContains?: readonly string[];
  status?: TraceStatus;
  /** Only traces with any of these statuses (with `status`, either); FAILED_STATUSES for `failed`. */
  statuses?: readonly TraceStatus[];
  /** Only traces started at or after this (Unix ms or a Date). */
  since?: number | Date;
  /** Only traces started before this (Unix ms or a Date). */
  until?: number | Date;
  /** At most this many, newest first (default 20). */
  limit?: number;
}

/**
 * Recorded traces, newest first, filtered by the store (every trace is reached, not
 * only the newest): by node, status as the reader sees it (a running trace whose
 * writer is gone is incomplete), and start time (since ≤ started_at < until).
 */
export function listRecordedTraces(store: StoreRef, options: TraceListOptions = {}): TraceRow[] {
  const wanted = [...(options.status === undefined ? [] : [options.status]), ...(options.statuses ?? [])];
  const filter = {
    node: options.node,
    nodeContains: options.nodeContains,
    since: timeOf(options.since, "since"),
    until: timeOf(options.until, "until"),
    limit: options.limit ?? 20,
  };
  return withStore(
    store,
    (s) => {
      const now = Date.now();
      if (wanted.length === 0) return listTraces(s, filter).map((t) => live(t, now));
      // A trace stored as running may read as incomplete: ask for it, then filter on what the reader sees.
      const reread = wanted.includes("running") || wanted.includes("incomplete");
      if (!reread) return listTraces(s, { ...filter, statuses: wanted }).map((t) => live(t, now));
      const stored = [...new Set<TraceStatus>([...wanted, "running"])];
      const seen = (t: TraceRow) => wanted.includes(live(t, now).status);
      return listTraces(s, { ...filter, statuses: stored }, seen).map((t) => live(t, now));
    },
    READING,
  );
}

function timeOf(t: number | Date | undefined, name: string): number | undefined {
  if (t === undefined) return undefined;
  const ms = typeof t === "number" ? t : t.getTime();
  if (!Number.isFinite(ms)) throw new UsageError(`${name} must be a time (Unix ms or a valid Date), not ${String(t)}`);
  return ms;
}

/** A step row whose event cannot be decoded: shown with what the row's columns say, and why. */
export interface MalformedStep {
  index: number;
  step: string;
  op: string;
  line: number;
  durationUs: number;
  malformed: string;
}

export type TimelineEntry = RecordedStep | MalformedStep;

export const isMalformed = (e: TimelineEntry): e is MalformedStep => "malformed" in e;

export interface TimelineOptions {
  /** At most this many step rows (from the first); all when undefined. */
  limit?: number;
  /** Receives each step as it is read, instead of the steps being collected (bounded memory for huge traces). */
  onStep?: (entry: TimelineEntry) => void;
  /** Called once before the first step, with the trace, its check and its number of step rows. */
  onStart?: (trace: TraceRow, check: ChainReport, total: number) => void;
}

export interface TraceTimeline {
  trace: TraceRow;
  /** The step rows read, `enter` (index 0) included, in order (empty when `onStep` received them). */
  steps: TimelineEntry[];
  /** Step rows the trace has. */
  total: number;
  /** Step rows shown (fewer than `total` when limited). */
  shown: number;
  /** The recorded output record, or null (no output, the trace never finished, or it cannot be read). */
  output: Value | null;
  /** The recorded failure, or null. */
  failure: Failure | null;
  /** Problems reading the trace row's own fields (broken JSON): shown, not fatal. */
  unreadable: string[];
  /** The trace's verification: what `show` warns about at the top. */
  check: ChainReport;
}

/**
 * A trace (by id or a unique prefix), checked, and its steps, all from one snapshot.
 * A step row whose event cannot be decoded is a MalformedStep, not an error.
 */
export function traceTimeline(store: StoreRef, id: string, options: TimelineOptions = {}): TraceTimeline {
  return withStore(
    store,
    (s) =>
      s.read(() => {
        const trace = live(getTrace(s, id));
        // The rows shown are checked one by one; past them, a huge trace's count, last hash and seal.
        const check = verifyChain(s, trace, { rows: options.limit });
        const unreadable: string[] = [];
        const field = <T>(text: string | null, what: string, decode: (j: unknown) => T): T | null => {
          if (text === null) return null;
          try {
            return parseStored(text, trace.id, what, decode);
          } catch (err) {
            unreadable.push((err as Error).message);
            return null;
          }
        };
        const steps: TimelineEntry[] = [];
        const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
        const total = stepRowCount(s, trace);
        options.onStart?.(trace, check, total);
        let shown = 0;
        for (const row of new RowPages<StepRow>(s, "steps", trace.id, 0, Number.MAX_SAFE_INTEGER)) {
          if (shown >= limit) break;
          const entry = timelineEntry(trace, row);
          shown++;
          if (options.onStep) options.onStep(entry);
          else steps.push(entry);
        }
        return {
          trace,
          steps,
          total,
          shown,
          output: field(trace.output, "its output", (j) => decodeValue(j as Encoded)),
          failure: field(trace.failure, "its failure", (j) => j as Failure),
          unreadable,
          check,
        };
      }),
    READING,
  );
}

function timelineEntry(trace: TraceRow, row: StepRow): TimelineEntry {
  try {
    return recordedStep(trace, row);
  } catch (err) {
    return {
      index: row.idx,
      step: row.step,
      op: row.op,
      line: row.line,
      durationUs: row.duration_us,
      malformed: (err as Error).message,
    };
  }
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
  return withStore(
    store,
    (s) =>
      s.read(() => {
        const trace = live(getTrace(s, id));
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
      }),
    READING,
  );
}

export interface TraceVerification {
  /** One report per trace checked: oldest first when every trace was checked. */
  reports: ChainReport[];
  /** How many of them do not verify. */
  tampered: number;
  /** How many were still being recorded (checked as far as they go). */
  running: number;
  /** How many were recorded before sealing (their chain checked; their outcome cannot be). */
  unsealed: number;
}

/**
 * Verifies one trace, or every trace when `id` is undefined, each in its own read
 * transaction; `onReport` receives each report as it is made (verify-all of a big
 * store prints as it goes). A trace with a malformed row is reported and the rest
 * are still checked.
 */
export function verifyTraces(
  store: StoreRef,
  id?: string,
  onReport?: (report: ChainReport) => void,
): TraceVerification {
  return withStore(
    store,
    (s) => {
      const traces = id === undefined ? allTraces(s) : [getTrace(s, id)];
      const out: TraceVerification = { reports: [], tampered: 0, running: 0, unsealed: 0 };
      for (const t of traces) {
        const r = verifyChain(s, t);
        if (r.deleted) continue;
        if (r.problem) out.tampered++;
        if (r.status === "running") out.running++;
        if (r.seal === "unsealed") out.unsealed++;
        out.reports.push(r);
        onReport?.(r);
      }
      return out;
    },
    { readonly: true, check: true },
  );
}

export type ExportFormat = "json" | "otlp";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["json", "otlp"];

/** What an export wrote: the trace, and how many characters. */
export interface TraceExport {
  trace: TraceRow;
  characters: number;
}

/**
 * A trace as a JSON document — everything the store holds (json), or OTLP/JSON spans
 * (otlp) — handed to `write` a chunk at a time as its rows are read, so memory stays
 * bounded whatever the trace's length.
 */
export function exportTrace(store: StoreRef, id: string, format: ExportFormat, write: Sink): TraceExport {
  return withStore(
    store,
    (s) =>
      s.read(() => {
        const trace = getTrace(s, id);
        let characters = 0;
        const counted: Sink = (chunk) => {
          characters += chunk.length;
          write(chunk);
        };
        if (format === "otlp") exportOtlp(s, trace, counted);
        else exportJson(s, trace, counted);
        return { trace, characters };
      }),
    READING,
  );
}

/**
 * Deletes traces that started more than `keepDays` days before `now`, except those
 * running with a fresh heartbeat, in short transactions that never hold writers up
 * for long; with `vacuum`, returns the freed space to the file system.
 */
export function collectOldTraces(
  store: StoreRef,
  keepDays: number,
  options: Omit<GcOptions, "now"> & { now?: number } = {},
): GcResult {
  return withStore(store, (s) => collectGarbage(s, keepDays, options), { mustExist: true });
}
