import { closeSync, openSync, writeSync } from "node:fs";
import { oneOf, wholeNumber } from "./common-flags.js";
import { EXIT } from "./exit-codes.js";
import { resolveStorePath } from "../src/config/config.js";
import { UsageError, VesperError } from "../src/values/errors.js";
import { toJson } from "../src/values/json.js";
import { formatValue } from "../src/values/values.js";
import {
  type ChainReport,
  collectOldTraces,
  type ExportFormat,
  isMalformed,
  type TimelineEntry,
  exportTrace,
  listRecordedTraces,
  STATUS_NAMES,
  TRACE_TIME_EXAMPLE,
  type TraceRow,
  type TraceStatus,
  traceStateAt,
  traceStatusesNamed,
  traceTimeOf,
  traceTimeline,
  verifyTraces,
} from "../src/workbench/traces.js";

// `vesper traces list|show|verify|export|gc`: the trace store from the outside.
// Each parses its flags, calls one use case of src/workbench/traces.ts and prints.
// Reading commands never create a store: a missing file is an error, not an empty store.
// show, verify and export print as they read (a million-step trace never sits in
// memory); show warns first when the trace fails its check.

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

export interface ListFlags extends StoreFlags {
  node?: string;
  match?: string[];
  status?: string;
  since?: string;
  until?: string;
  limit?: string;
}

export function listCommand(flags: ListFlags): number {
  const statuses =
    flags.status === undefined ? undefined : traceStatusesNamed(oneOf(flags.status, "--status", STATUS_NAMES));
  const limit = wholeNumber(flags.limit, "--limit", { min: 1, fallback: 20 });
  const rows = listRecordedTraces(storeOf(flags), {
    node: flags.node,
    nodeContains: flags.match,
    statuses,
    since: timeFlag(flags.since, "--since", false),
    until: timeFlag(flags.until, "--until", true),
    limit,
  });
  if (flags.json) {
    for (const t of rows) process.stdout.write(`${JSON.stringify(summary(t))}\n`);
    return EXIT.OK;
  }
  if (rows.length === 0) {
    process.stdout.write(
      flags.node || flags.match || flags.status || flags.since || flags.until
        ? "no traces match\n"
        : "no traces recorded yet (vesper run records one)\n",
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

/** A --since/--until value as Unix ms; `end`: a bare date means the end of that day. */
function timeFlag(value: string | undefined, flag: string, end: boolean): number | undefined {
  if (value === undefined) return undefined;
  const ms = traceTimeOf(value, end);
  if (ms === undefined) throw new UsageError(`${flag} needs a UTC date such as ${TRACE_TIME_EXAMPLE}, not '${value}'`);
  return ms;
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

/** Step rows `show` prints when neither --limit nor --all is given. */
export const SHOW_LIMIT = 1000;

export function showCommand(id: string, flags: StoreFlags & { at?: string; limit?: string; all?: boolean }): number {
  if (flags.at !== undefined) return showState(id, flags);
  if (flags.all && flags.limit !== undefined) throw new UsageError("--all and --limit cannot be used together");
  const limit = flags.all ? undefined : wholeNumber(flags.limit, "--limit", { min: 1, fallback: SHOW_LIMIT });
  const out = process.stdout;
  if (flags.json) {
    let first = true;
    const timeline = traceTimeline(storeOf(flags), id, {
      limit,
      onStart: (t) => out.write(`${JSON.stringify(summary(t)).slice(0, -1)},"timeline":[`),
      onStep: (s) => {
        out.write(`${first ? "" : ","}${JSON.stringify(timelineJson(s))}`);
        first = false;
      },
    });
    out.write(
      `],"timeline_total":${timeline.total},"timeline_shown":${timeline.shown},"check":${JSON.stringify(checkJson(timeline.check))}}\n`,
    );
    return EXIT.OK;
  }
  const {
    trace: t,
    output,
    failure,
    unreadable,
    total,
    shown,
  } = traceTimeline(storeOf(flags), id, {
    limit,
    onStart: (t, check, total) => {
      const problem = check.problem;
      if (problem)
        out.write(
          `warning: trace ${t.id} fails its check: ${problem.reason}${check.problems.length > 1 ? ` (and ${check.problems.length - 1} more)` : ""}; what follows may not be what was recorded (vesper traces verify ${t.id} names every problem)\n`,
        );
      out.write(`${t.id}  ${t.node_id}  (${t.node_file})\n`);
      out.write(
        `  ${t.runtime} runtime on ${t.engine_backend}${t.mode ? `, mode ${t.mode}` : ""}, seed ${t.seed}, recorded ${when(t.started_at)}\n`,
      );
      if (t.parent_id) out.write(`  fork of ${t.parent_id} from step ${t.fork_step}\n`);
      if (limit !== undefined && total > limit)
        out.write(`  showing step rows 0 to ${limit - 1} of ${total} (--all shows every one, --limit N the first N)\n`);
    },
    onStep: (s) => out.write(stepLine(s)),
  });
  for (const problem of unreadable) out.write(`  ✗ ${problem}\n`);
  if (shown < total) out.write(`  … ${total - shown} more step rows (--all shows them)\n`);
  const res = output !== null ? formatValue(output) : failure ? failure.code : "";
  out.write(
    `  ${MARK[t.status]} ${t.status}${res ? `: ${res}` : ""}${t.final_state ? `, final state ${t.final_state}` : ""}, ${ms(t.duration_us)}\n`,
  );
  return EXIT.OK;
}

function stepLine(s: TimelineEntry): string {
  if (isMalformed(s))
    return `  ✗ ${String(s.index).padStart(3)} ${s.step.padEnd(18)} ${s.op.padEnd(10)} ${ms(s.durationUs).padStart(10)}  unreadable row: ${s.malformed}\n`;
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
  return `  ${failed ? "✗" : "✓"} ${String(ev.index).padStart(3)} ${ev.step.padEnd(18)} ${ev.op.padEnd(10)} ${ms(s.durationUs).padStart(10)}  ${notes.join("; ")}\n`;
}

function timelineJson(s: TimelineEntry) {
  if (isMalformed(s))
    return {
      index: s.index,
      step: s.step,
      op: s.op,
      line: s.line,
      duration_us: s.durationUs,
      ok: false,
      error: null,
      changed: {},
      calls: [],
      malformed: s.malformed,
    };
  return {
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
  };
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

function checkJson(r: ChainReport) {
  return {
    trace: r.trace,
    steps: r.steps,
    ok: !r.problem,
    problem: r.problem ?? null,
    problems: r.problems,
    status: r.status,
    seal: r.seal,
  };
}

const SEALS: Record<ChainReport["seal"], string> = {
  keyed: "sealed with VEYRA_TRACE_KEY",
  sha256: "sealed",
  "keyed-unchecked": "sealed with a key (not checked: VEYRA_TRACE_KEY is not set)",
  unsealed: "unsealed (recorded before sealing)",
};

export function verifyCommand(id: string | undefined, flags: StoreFlags): number {
  const out = process.stdout;
  const { reports, tampered, running, unsealed } = verifyTraces(storeOf(flags), id, (r) => {
    if (flags.json) out.write(`${JSON.stringify(checkJson(r))}\n`);
    else if (r.problem) {
      out.write(`✗ ${r.trace}: ${r.problem.reason} [${r.problem.kind}]\n`);
      for (const p of r.problems.slice(1)) out.write(`  ✗ ${p.reason} [${p.kind}]\n`);
    } else if (id) {
      out.write(
        r.status === "running"
          ? `▶ ${r.trace}: running, ${r.steps} steps so far, hash chain intact, ${SEALS[r.seal]}\n`
          : `✓ ${r.trace}: ${r.steps} steps, hash chain intact, ${SEALS[r.seal]}${r.status === "incomplete" ? " (incomplete: its writer stopped)" : ""}\n`,
      );
    }
  });
  if (!flags.json && !id) {
    const notes = [
      running ? `${running} still running` : "",
      unsealed ? `${unsealed} unsealed (recorded before sealing)` : "",
    ]
      .filter(Boolean)
      .join(", ");
    out.write(
      `${tampered === 0 ? "✓" : "✗"} ${reports.length - tampered} of ${reports.length} traces verify${tampered ? `; ${tampered} tampered` : ""}${notes ? ` (${notes})` : ""}\n`,
    );
  }
  return tampered === 0 ? EXIT.OK : EXIT.FAILURE;
}

export function exportCommand(id: string, flags: StoreFlags & { format: ExportFormat; out?: string }): number {
  if (!flags.out) {
    exportTrace(storeOf(flags), id, flags.format, (chunk) => process.stdout.write(chunk));
    return EXIT.OK;
  }
  const file = flags.out;
  const failed = (err: unknown) =>
    new VesperError(
      "U105",
      `--out ${file}: cannot write the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  // The file is opened at the first chunk: an unknown trace id leaves no empty file behind.
  let fd: number | undefined;
  try {
    exportTrace(storeOf(flags), id, flags.format, (chunk) => {
      try {
        fd ??= openSync(file, "w");
        writeSync(fd, chunk);
      } catch (err) {
        throw failed(err);
      }
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return EXIT.OK;
}

export function gcCommand(flags: StoreFlags & { keepDays: string; vacuum?: boolean }): number {
  const keepDays = wholeNumber(flags.keepDays, "--keep-days", { min: 0 })!;
  const r = collectOldTraces(storeOf(flags), keepDays, { vacuum: flags.vacuum });
  if (flags.json)
    process.stdout.write(
      `${JSON.stringify({ deleted_traces: r.traces, deleted_steps: r.steps, ...(flags.vacuum ? { reclaimed_bytes: r.reclaimedBytes ?? 0 } : {}) })}\n`,
    );
  else
    process.stdout.write(
      `deleted ${r.traces} traces (${r.steps} steps) older than ${flags.keepDays} days${flags.vacuum ? `; reclaimed ${((r.reclaimedBytes ?? 0) / 1_048_576).toFixed(1)} MB` : ""}\n`,
    );
  return EXIT.OK;
}
