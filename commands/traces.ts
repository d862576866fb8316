import { writeFileSync } from "node:fs";
import { wholeNumber } from "./common-flags.js";
import { EXIT } from "./exit-codes.js";
import { resolveStorePath } from "../src/config/config.js";
import { UsageError, VesperError } from "../src/values/errors.js";
import { toJson } from "../src/values/json.js";
import { formatValue } from "../src/values/values.js";
import {
  collectOldTraces,
  type ExportFormat,
  exportTrace,
  listRecordedTraces,
  TRACE_STATUSES,
  type TraceRow,
  type TraceStatus,
  traceStateAt,
  traceTimeline,
  verifyTraces,
} from "../src/workbench/traces.js";

// `vesper traces list|show|verify|export|gc`: the trace store from the outside.
// Each parses its flags, calls one use case of src/workbench/traces.ts and prints.
// Reading commands never create a store: a missing file is an error, not an empty store.

export interface StoreFlags {
  store?: string;
  json?: boolean;
}

const storeOf = (flags: StoreFlags) => resolveStorePath(flags.store);
const when = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);
const ms = (us: number | null) => (us === null ? "—" : `${(us / 1000).toFixed(2)} ms`);
export const MARK: Record<TraceStatus, string> = {
  success: "✓",
  error: "✓",
  contract_violation: "✗",
  runtime_error: "✗",
  incomplete: "…",
  running: "▶",
};

export function listCommand(flags: StoreFlags & { node?: string; status?: string; limit?: string }): number {
  if (flags.status !== undefined && !(TRACE_STATUSES as readonly string[]).includes(flags.status)) {
    throw new UsageError(`--status must be one of ${TRACE_STATUSES.join(", ")}, not '${flags.status}'`);
  }
  const limit = wholeNumber(flags.limit, "--limit", { min: 1, fallback: 20 });
  const rows = listRecordedTraces(storeOf(flags), {
    node: flags.node,
    status: flags.status as TraceStatus | undefined,
    limit,
  });
  if (flags.json) {
    for (const t of rows) process.stdout.write(`${JSON.stringify(summary(t))}\n`);
    return EXIT.OK;
  }
  if (rows.length === 0) {
    process.stdout.write(
      flags.node || flags.status ? "no traces match\n" : "no traces recorded yet (vesper run records one)\n",
    );
    return EXIT.OK;
  }
  for (const t of rows) {
    const steps = Math.max(0, t.step_count - 1);
    const extra = [t.mode, t.parent_id ? null : t.role, t.parent_id ? `fork of ${t.parent_id}` : null]
      .filter(Boolean)
      .join(", ");
    process.stdout.write(
      `${MARK[t.status]} ${t.id}  ${when(t.started_at)}  ${t.node_id}  ${t.runtime.padEnd(9)}  ${t.status.padEnd(18)}  ${String(steps).padStart(4)} step${steps === 1 ? " " : "s"}  ${ms(t.duration_us).padStart(10)}${extra ? `  (${extra})` : ""}\n`,
    );
  }
  return EXIT.OK;
}

function summary(t: TraceRow) {
  return {
    // Steps as vesper run counts them (the flow's steps); step rows include `enter` too.
    id: t.id,
    node_id: t.node_id,
    runtime: t.runtime,
    mode: t.mode,
    status: t.status,
    steps: Math.max(0, t.step_count - 1),
    step_rows: t.step_count,
    started_at: new Date(t.started_at).toISOString(),
    duration_us: t.duration_us,
    engine_backend: t.engine_backend,
    group_id: t.group_id,
    role: t.role,
    parent_id: t.parent_id,
    fork_step: t.fork_step,
    node_file: t.node_file,
  };
}

export function showCommand(id: string, flags: StoreFlags & { at?: string }): number {
  if (flags.at !== undefined) return showState(id, flags);
  const { trace: t, steps, output, failure } = traceTimeline(storeOf(flags), id);
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({
        ...summary(t),
        timeline: steps.map((s) => ({
          index: s.event.index,
          step: s.event.step,
          op: s.event.op,
          line: s.event.location.line,
          duration_us: s.durationUs,
          ok: !s.event.error || s.event.recovered !== undefined,
          error: s.event.error ?? null,
          changed: Object.fromEntries(s.event.changed.map(([k, v]) => [k, toJson(v)])),
          calls: [...s.event.effects, ...s.unlisted].map((c) => ({
            tool: c.tool,
            ok: c.ok,
            attempts: c.attempts,
            virtual_ms: c.elapsedMs,
            error: c.error ?? null,
          })),
        })),
      })}\n`,
    );
    return EXIT.OK;
  }
  const out = process.stdout;
  out.write(`${t.id}  ${t.node_id}  (${t.node_file})\n`);
  out.write(
    `  ${t.runtime} runtime on ${t.engine_backend}${t.mode ? `, mode ${t.mode}` : ""}, seed ${t.seed}, recorded ${when(t.started_at)}\n`,
  );
  if (t.parent_id) out.write(`  fork of ${t.parent_id} from step ${t.fork_step}\n`);
  for (const s of steps) {
    const ev = s.event;
    const failed = ev.error !== undefined && ev.recovered === undefined;
    const calls = [...ev.effects, ...s.unlisted].map(
      (c) => `${c.tool} ${c.ok ? "ok" : c.error?.code} ×${c.attempts} ${c.elapsedMs} ms (virtual)`,
    );
    const notes = [
      ev.skipped ? "skipped" : "",
      ev.transition ? `${ev.transition.from} → ${ev.transition.to}` : "",
      ...ev.changed.map(([k, v]) => `${k} = ${clip(formatValue(v))}`),
      ...calls,
      ev.error ? `${ev.error.code}: ${ev.error.message}${ev.recovered ? ` (recovered: ${ev.recovered})` : ""}` : "",
    ].filter(Boolean);
    out.write(
      `  ${failed ? "✗" : "✓"} ${String(ev.index).padStart(3)} ${ev.step.padEnd(18)} ${ev.op.padEnd(10)} ${ms(s.durationUs).padStart(10)}  ${notes.join("; ")}\n`,
    );
  }
  const res = output !== null ? formatValue(output) : failure ? failure.code : "";
  out.write(
    `  ${MARK[t.status]} ${t.status}${res ? `: ${res}` : ""}${t.final_state ? `, final state ${t.final_state}` : ""}, ${ms(t.duration_us)}\n`,
  );
  return EXIT.OK;
}

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

function showState(id: string, flags: StoreFlags & { at?: string }): number {
  const n = wholeNumber(flags.at, "--at", { min: 0 })!;
  const s = traceStateAt(storeOf(flags), id, n, "--at");
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ trace: s.trace.id, step: n, state: s.state, bindings: Object.fromEntries(s.bindings.map(([k, v]) => [k, toJson(v)])), checkpoint: s.checkpoint, applied: s.applied })}\n`,
    );
    return EXIT.OK;
  }
  process.stdout.write(`${s.trace.id} after step ${n}${s.state ? ` (state ${s.state})` : ""}:\n`);
  for (const [k, v] of s.bindings) process.stdout.write(`  ${k} = ${formatValue(v)}\n`);
  return EXIT.OK;
}

export function verifyCommand(id: string | undefined, flags: StoreFlags): number {
  const { reports, tampered } = verifyTraces(storeOf(flags), id);
  for (const r of reports) {
    if (flags.json)
      process.stdout.write(
        `${JSON.stringify({ trace: r.trace, steps: r.steps, ok: !r.problem, problem: r.problem ?? null })}\n`,
      );
    else if (r.problem) process.stdout.write(`✗ ${r.trace}: ${r.problem.reason}\n`);
    else if (id) process.stdout.write(`✓ ${r.trace}: ${r.steps} steps, hash chain intact\n`);
  }
  if (!flags.json && !id)
    process.stdout.write(
      `${tampered === 0 ? "✓" : "✗"} ${reports.length - tampered} of ${reports.length} traces verify${tampered ? `; ${tampered} tampered` : ""}\n`,
    );
  return tampered === 0 ? EXIT.OK : EXIT.FAILURE;
}

export function exportCommand(id: string, flags: StoreFlags & { format: ExportFormat; out?: string }): number {
  const doc = exportTrace(storeOf(flags), id, flags.format);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (!flags.out) process.stdout.write(text);
  else {
    try {
      writeFileSync(flags.out, text);
    } catch (err) {
      throw new VesperError(
        "U105",
        `--out ${flags.out}: cannot write the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
  }
  return EXIT.OK;
}

export function gcCommand(flags: StoreFlags & { keepDays: string }): number {
  const keepDays = wholeNumber(flags.keepDays, "--keep-days", { min: 0 })!;
  const r = collectOldTraces(storeOf(flags), keepDays);
  if (flags.json) process.stdout.write(`${JSON.stringify({ deleted_traces: r.traces, deleted_steps: r.steps })}\n`);
  else process.stdout.write(`deleted ${r.traces} traces (${r.steps} steps) older than ${flags.keepDays} days\n`);
  return EXIT.OK;
}
