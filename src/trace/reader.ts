import { decodeStep, type StepRow, storedEventJson } from "./step-codec.js";
import { StoreError } from "../store/store-error.js";
import type { TraceStore } from "../store/store.js";
import type { RecordedContext } from "./recorder.js";
import { decodeBindings, decodeValue, type Encoded } from "./value-codec.js";
import type { Tape, TapeCall } from "../runtime/context.js";
import type { Effect, Failure, RunResult, StepEvent } from "../runtime/protocol.js";
import type { Value, VRecord } from "../values/values.js";
import type { TraceRow } from "./trace-row.js";

// Reading traces back: the trace row, its steps as StepEvents, and the tape (every
// clock reading, random number and tool result in order) that a replay serves.

export type { TraceRow, TraceStatus } from "./trace-row.js";

/** A trace by id or by a unique prefix of its id (like git's short hashes). */
export function getTrace(store: TraceStore, idOrPrefix: string): TraceRow {
  const exact = store.db.prepare("SELECT * FROM traces WHERE id = ?").get(idOrPrefix) as TraceRow | undefined;
  if (exact) return exact;
  const prefixLike = /^[A-Za-z0-9_]+$/.test(idOrPrefix);
  // A prefix under 4 characters (tr_ alone names every trace) is never looked up: it is too short, not absent.
  if (prefixLike && idOrPrefix.length < 4)
    throw new StoreError(
      `'${idOrPrefix}' is too short to name a trace: give at least 4 characters of its id, e.g. tr_1 (vesper traces list shows the recorded traces)`,
    );
  if (prefixLike) {
    const matches = store.db
      .prepare("SELECT * FROM traces WHERE id >= ? AND id < ? ORDER BY id LIMIT 3")
      .all(idOrPrefix, `${idOrPrefix}\uffff`) as TraceRow[];
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1)
      throw new StoreError(
        `trace id '${idOrPrefix}' is ambiguous: ${matches.map((m) => m.id).join(", ")}${matches.length === 3 ? ", …" : ""}`,
      );
  }
  throw new StoreError(`no trace '${idOrPrefix}' in ${store.path} (vesper traces list shows the recorded traces)`);
}

/**
 * Decodes one stored JSON field; a field that is not valid JSON (a damaged or edited
 * row) is a StoreError naming the trace and the row, not a crash.
 */
export function parseStored<T>(
  text: string,
  traceId: string,
  what: string,
  decode: (json: unknown) => T = (j) => j as T,
): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StoreError(
      `trace ${traceId} cannot be read: ${what} is not valid JSON (${(err as Error).message}); vesper traces verify ${traceId} names every damaged row`,
      "S105",
    );
  }
  try {
    return decode(json);
  } catch (err) {
    throw new StoreError(
      `trace ${traceId} cannot be read: ${what} does not hold what a trace records (${(err as Error).message}); vesper traces verify ${traceId} names every damaged row`,
      "S105",
    );
  }
}

export function traceInputs(t: TraceRow): Map<string, Value> {
  return parseStored(t.inputs, t.id, "its inputs", (j) => decodeBindings(j as Record<string, Encoded>));
}

export function traceContext(t: TraceRow): RecordedContext {
  return parseStored(t.context, t.id, "its context", (j) => j as RecordedContext);
}

/** The recorded outcome, or undefined for a trace that never finished. */
export function traceResult(t: TraceRow): RunResult | undefined {
  if (t.status === "running" || t.status === "incomplete") return undefined;
  const r: RunResult = { status: t.status, steps: Math.max(0, t.step_count - 1) };
  if (t.output !== null)
    r.output = parseStored(t.output, t.id, "its output", (j) => decodeValue(j as Encoded) as VRecord);
  if (t.failure !== null) r.failure = parseStored(t.failure, t.id, "its failure", (j) => j as Failure);
  if (t.final_state !== null) r.state = t.final_state;
  return r;
}

export interface RecordedStep {
  event: StepEvent;
  /** Clock readings and random numbers the step received. */
  tape: { clock: number[]; random: number[] };
  /** Calls the step made that its event could not list (see EncodedEvent.unlisted). */
  unlisted: Effect[];
  durationUs: number;
  hash: string;
  /** The row's event text exactly as stored (what the hash covers). */
  eventJson: string;
}

/** How many step rows the trace has in the store (what was committed, whatever its step_count says). */
export function stepRowCount(store: TraceStore, t: TraceRow): number {
  return store.db.prepare("SELECT COUNT(*) FROM steps WHERE trace_id = ?").pluck().get(t.id) as number;
}

/** Step rows [from, to] (inclusive) of a trace, in order, as stored. */
export function stepRows(store: TraceStore, t: TraceRow, from = 0, to = Number.MAX_SAFE_INTEGER): StepRow[] {
  return store.db
    .prepare("SELECT * FROM steps WHERE trace_id = ? AND idx BETWEEN ? AND ? ORDER BY idx")
    .all(t.id, from, to) as StepRow[];
}

/** One stored step row decoded; a row whose event cannot be decoded is a StoreError naming it (S105). */
export function recordedStep(t: TraceRow, row: StepRow): RecordedStep {
  let decoded: ReturnType<typeof decodeStep>;
  try {
    decoded = decodeStep(row, t.node_file);
  } catch (err) {
    throw new StoreError(
      `trace ${t.id} cannot be read: step row ${row.idx} (${row.step})'s event ${err instanceof SyntaxError ? "is not valid JSON" : "does not hold what a step records"} (${(err as Error).message}); vesper traces verify ${t.id} names every damaged row`,
      "S105",
    );
  }
  // The event in the form encodeEvent makes (a row may hold compact contract checks).
  return { ...decoded, hash: row.hash, eventJson: storedEventJson(row.event) };
}

/** Steps [from, to] (inclusive) of a trace, in order. */
export function traceSteps(store: TraceStore, t: TraceRow, from = 0, to = Number.MAX_SAFE_INTEGER): RecordedStep[] {
  return stepRows(store, t, from, to).map((row) => recordedStep(t, row));
}

/** Everything nondeterministic the run received, in order: what a replay serves. */
export function traceTape(steps: readonly RecordedStep[]): Tape {
  const tape: Tape = { clock: [], random: [], calls: [] };
  for (const s of steps) {
    tape.clock.push(...s.tape.clock);
    tape.random.push(...s.tape.random);
    for (const effect of [...s.event.effects, ...s.unlisted])
      tape.calls.push({ step: s.event.step, tool: effect.tool, effect } satisfies TapeCall);
  }
  return tape;
}
