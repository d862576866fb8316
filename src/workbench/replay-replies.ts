import { toJson } from "../values/json.js";
import { formatValue, type Value } from "../values/values.js";
import type { RunResult } from "../runtime/protocol.js";
import {
  type ApplyResult,
  type Edit,
  editSummary,
  type Fork,
  type ForkDiff,
  type Replay,
  type ReplayCall,
  type ReplayedStep,
  type ReplayEnd,
  type ReplayState,
  type Rerun,
  type StepRun,
  type Where,
} from "./replay.js";

// What the replay command language answers: for each typed result of the replay API,
// text for people and one JSON object for --json. The JSON objects are the CLI's
// contract (scripts read them): their keys, order and values stay as they are. Pure
// functions of what the API returned; nothing here travels, edits or writes.

export interface Reply {
  text: string;
  json: { command: string; [k: string]: unknown };
  quit?: boolean;
}

/** What to say when the session opens: first, when the node file changed since the recording, that it did. */
export function openingReply(replay: Replay): Reply {
  const t = replay.trace;
  const lines: string[] = [];
  if (replay.fileChanged)
    lines.push(
      `WARNING: the node file changed since the recording (sha256 ${short(t.content_hash)} → ${short(replay.contentHash)}).`,
      "  The replay serves the recorded results: it shows what happened, not what the",
      "  current file would do. `rerun` runs the trace against the current file (a fork).",
    );
  lines.push(
    `trace ${t.id}: ${t.node_id} on the ${t.runtime} runtime, steps 0 (enter) to ${t.step_count - 1} recorded, ${t.status}${t.parent_id ? ` (a fork of ${t.parent_id} at step ${t.fork_step})` : ""}`,
    `  ${replay.file}`,
  );
  if (replay.tampered)
    lines.push(
      `  warning: this trace fails its hash check (${replay.tampered.reason}); the recording was changed after it was written, so a step that departs may be the tampering, not the node`,
    );
  lines.push("  (before enter; `step` runs the first step, `help` lists the commands)");
  return {
    text: lines.join("\n"),
    json: {
      command: "open",
      trace: t.id,
      node: t.node_id,
      runtime: t.runtime,
      steps: t.step_count,
      status: t.status,
      file: replay.file,
      file_changed: replay.fileChanged,
      tampered: replay.tampered ?? null,
      recorded_content_hash: t.content_hash,
      content_hash: replay.contentHash,
    },
  };
}

const short = (hash: string) => hash.slice(0, 8);

/** step, continue, or goto forward: each step run, and the end when it was reached. */
export function stepReply(command: string, run: StepRun, replay: Replay): Reply {
  const lines = run.steps.map(stepLine);
  const json: Reply["json"] = {
    command,
    position: run.position,
    steps: run.steps.map(eventJson),
    done: run.done,
  };
  if (run.end) {
    lines.push(endingLine(run.end, replay));
    Object.assign(json, { result: resultJson(run.end.result), identical: run.end.identical });
  }
  return { text: lines.join("\n"), json };
}

/** At the end of a replay: the outcome, and whether it is the recorded one. */
function endingLine(end: ReplayEnd, replay: Replay): string {
  const { result, recorded, departure } = end;
  const verdict = end.identical
    ? replay.fileChanged
      ? "identical to the recording, whose results were served (`rerun` runs the changed file)"
      : "identical to the recording"
    : departure
      ? `DEPARTS FROM THE RECORDING at step ${departure.index} (${departure.step}): ${departure.message}`
      : recorded === undefined
        ? `the recording is ${replay.trace.status}`
        : `the recorded outcome was ${recorded.status}`;
  const out = result.output
    ? ` ${formatValue(result.output)}`
    : result.failure
      ? ` ${result.failure.code}: ${result.failure.message}`
      : "";
  return `end of trace: ${result.status}${out} — ${verdict}`;
}

/** where, back, or goto backward: the current step in the source, and the next one. */
export function whereReply(command: string, where: Where): Reply {
  const { position: at, event: ev, next } = where;
  const lines: string[] = [];
  if (!ev) lines.push(`before enter (step 0 of ${where.last})`);
  else {
    lines.push(`at step ${at} of ${where.last}: ${ev.step} (${ev.op}) ${ev.location.file}:${ev.location.line}`);
    if (where.sourceLine !== undefined) lines.push(`  ${ev.location.line} | ${where.sourceLine}`);
  }
  lines.push(
    next
      ? `next: [${next.index}] ${next.step} (${next.op})${next.tool ? `, calls ${next.tool}` : ""}`
      : "next: nothing (the run has ended)",
  );
  return {
    text: lines.join("\n"),
    json: {
      command,
      position: at,
      step: ev?.step ?? null,
      op: ev?.op ?? null,
      location: ev?.location ?? null,
      next: next ? { index: next.index, step: next.step, op: next.op } : null,
    },
  };
}

export function printReply(expression: string, value: Value, position: number): Reply {
  return {
    text: `${expression} = ${formatValue(value)}`,
    json: { command: "print", expression, value: toJson(value), position },
  };
}

export function stateReply(s: ReplayState): Reply {
  const lines = [`at step ${s.position}${s.state ? `, state ${s.state}` : ""}, virtual clock +${s.elapsedMs} ms`];
  lines.push("inputs:", ...[...s.inputs].map(([k, v]) => `  ${k} = ${formatValue(v)}`));
  lines.push(
    "bindings:",
    ...(s.bindings.size ? [...s.bindings].map(([k, v]) => `  ${k} = ${formatValue(v)}`) : ["  (none yet)"]),
  );
  return {
    text: lines.join("\n"),
    json: {
      command: "state",
      position: s.position,
      state: s.state ?? null,
      elapsed_ms: s.elapsedMs,
      inputs: Object.fromEntries([...s.inputs].map(([k, v]) => [k, toJson(v)])),
      bindings: Object.fromEntries([...s.bindings].map(([k, v]) => [k, toJson(v)])),
    },
  };
}

export function callsReply(calls: readonly ReplayCall[]): Reply {
  if (calls.length === 0) return { text: "the trace made no tool calls", json: { command: "calls", calls: [] } };
  const lines = calls.map(
    ({ index, step, effect: e, made }) =>
      `${made ? "✓" : " "} [${index}] ${step}: ${e.tool}(${formatValue(e.args)}) → ${e.ok ? formatValue(e.result ?? null) : `${e.error?.code}: ${e.error?.message}`} (${attempts(e.attempts)}, ${e.elapsedMs} ms)`,
  );
  return {
    text: lines.join("\n"),
    json: {
      command: "calls",
      calls: calls.map(({ index, step, effect: e, made }) => ({
        index,
        step,
        tool: e.tool,
        args: toJson(e.args),
        ok: e.ok,
        result: e.ok ? toJson(e.result ?? null) : null,
        error: e.error ?? null,
        attempts: e.attempts,
        elapsed_ms: e.elapsedMs,
        made,
      })),
    },
  };
}

/** modify: the edit, and where a fork would start. */
export function modifyReply(edit: Edit, edits: readonly Edit[]): Reply {
  return {
    text: `modified step ${edit.index} (${edit.step}): ${edit.param} ${edit.before} → ${edit.after}; run re-executes from step ${Math.min(...edits.map((e) => e.index))} as a fork`,
    json: { command: "modify", edit },
  };
}

/** run: the fork made, against the original's outcome. */
export function forkReply(f: Fork, replay: Replay, storeArgument = ""): Reply {
  const was = replay.recordedResult?.status ?? replay.trace.status;
  const out = f.result.output
    ? `\n  output: ${formatValue(f.result.output)}`
    : f.result.failure
      ? `\n  ${f.result.failure.code}: ${f.result.failure.message}`
      : "";
  return {
    text: `fork ${f.trace.id} of ${replay.trace.id} from step ${f.trace.fork_step}: ${f.result.status} (the original: ${was}), ${stepCount(f.result.steps)}${out}\n  (diff compares it with the original; vesper replay ${f.trace.id}${storeArgument} travels through it)`,
    json: {
      command: "run",
      fork: f.trace.id,
      parent: replay.trace.id,
      fork_step: f.trace.fork_step,
      result: resultJson(f.result),
      original_status: was,
    },
  };
}

/** rerun: the trace against the current file, its outcome against the recorded one in one line. */
export function rerunReply(r: Rerun, replay: Replay, storeArgument = ""): Reply {
  const f = r.fork;
  const verdict =
    r.recorded === undefined
      ? `the recording did not finish (${replay.trace.status})`
      : r.sameOutcome
        ? "the same outcome"
        : "a different outcome";
  const file = replay.fileChanged ? "the current file" : "the file (unchanged since the recording)";
  const head = `rerun against ${file}: ${outcomeText(f.result)}; recorded: ${r.recorded ? outcomeText(r.recorded) : replay.trace.status} — ${verdict}`;
  return {
    text: `${head}\n  (fork ${f.trace.id}: diff compares it with the recording; vesper replay ${f.trace.id}${storeArgument} travels through it)`,
    json: {
      command: "rerun",
      fork: f.trace.id,
      parent: replay.trace.id,
      file: replay.file,
      file_changed: replay.fileChanged,
      result: resultJson(f.result),
      recorded: r.recorded ? resultJson(r.recorded) : null,
      same_outcome: r.sameOutcome,
    },
  };
}

/** `success in state paid, 7 steps` or `runtime_error R208 in state processing, 4 steps`. */
function outcomeText(r: RunResult): string {
  return `${r.status}${r.failure ? ` ${r.failure.code}` : ""}${r.state ? ` in state ${r.state}` : ""}, ${stepCount(r.steps)}`;
}

/** Steps as `vesper run` counts them (enter not included). */
const stepCount = (n: number) => `${n} step${n === 1 ? "" : "s"}`;

/** Which two traces a diff compares, in words: `tr_a (the parent) → tr_b (this trace, a fork from step 4)`. */
export function diffPair(d: ForkDiff): { original: string; fork: string } {
  if (d.compares === "parent") return { original: "its parent", fork: `this trace, a fork from step ${d.forkStep}` };
  return {
    original: "this trace",
    fork: d.compares === "rerun" ? "the rerun" : `the fork run from step ${d.forkStep}`,
  };
}

export function diffReply(d: ForkDiff): Reply {
  const said = diffPair(d);
  const lines = [`diff ${d.original} (${said.original}) → ${d.fork} (${said.fork}):`];
  if (d.inputs.length === 0 && d.steps.length === 0 && d.outcome.length === 0) lines.push("  no differences");
  for (const i of d.inputs) lines.push(`  input ${i.input}: ${i.original} → ${i.fork}`);
  for (const c of d.steps) lines.push(`  step ${c.index} ${c.step}: ${c.what}: ${c.original} → ${c.fork}`);
  for (const o of d.outcome) lines.push(`  ${o.path}: ${o.shown.original} → ${o.shown.fork}`);
  return {
    text: lines.join("\n"),
    json: {
      command: "diff",
      original: d.original,
      fork: d.fork,
      inputs: d.inputs,
      steps: d.steps,
      outcome: d.outcome.map(({ path, expected, actual, reason }) => ({ path, expected, actual, reason })),
      // Added after the keys above: which two traces these are (run, rerun: this session's; parent: the trace opened, a fork, against its parent).
      compares: d.compares,
      fork_step: d.forkStep,
    },
  };
}

export function applyReply(a: ApplyResult): Reply {
  if (!a.applied) return { text: "not applied", json: { command: "apply", applied: false } };
  const skipped = a.skipped.length;
  const note = skipped
    ? ` (${skipped} input edit${skipped === 1 ? "" : "s"} not written: inputs are not part of the node file)`
    : "";
  return {
    text: `applied to ${a.file}: ${editSummary(a.edits)}${note}`,
    json: { command: "apply", applied: true, file: a.file, edits: a.edits, content_hash: a.contentHash },
  };
}

const attempts = (n: number) => `${n} attempt${n === 1 ? "" : "s"}`;

/**
 * A step failed when it raised an error it did not recover from: the rule `traces
 * show` marks ✗ by. A step that departs from the recording and did not fail is marked ≠.
 */
const failed = (ev: ReplayedStep["event"]) => ev.error !== undefined && ev.recovered === undefined;

function stepLine({ event: ev, mismatch }: ReplayedStep): string {
  const parts = [
    `${failed(ev) ? "✗" : mismatch ? "≠" : "✓"} [${ev.index}] ${ev.step} (${ev.op}) line ${ev.location.line}`,
  ];
  if (ev.skipped) parts.push("skipped (guard false)");
  if (ev.branch) parts.push(`took ${ev.branch}`);
  if (ev.transition) parts.push(`state ${ev.transition.from} → ${ev.transition.to}`);
  for (const [k, v] of ev.changed) parts.push(`${k} = ${formatValue(v)}`);
  for (const e of ev.effects)
    parts.push(`${e.tool} ${e.ok ? "ok" : e.error?.code} (${attempts(e.attempts)}, ${e.elapsedMs} ms)`);
  if (ev.error)
    parts.push(`${ev.error.code}: ${ev.error.message}${ev.recovered ? ` (recovered: ${ev.recovered})` : ""}`);
  for (const c of ev.contracts.filter((x) => !x.passed)) parts.push(`${c.kind} '${c.name}' FAILED`);
  let line = parts.join("  ");
  if (mismatch) line += `\n    differs from the recording: ${mismatch.message}`;
  return line;
}

function eventJson({ event: ev, mismatch }: ReplayedStep) {
  return {
    index: ev.index,
    step: ev.step,
    op: ev.op,
    location: ev.location,
    changed: Object.fromEntries(ev.changed.map(([k, v]) => [k, toJson(v)])),
    effects: ev.effects.map((e) => ({
      tool: e.tool,
      ok: e.ok,
      result: e.ok ? toJson(e.result ?? null) : null,
      error: e.error ?? null,
      attempts: e.attempts,
      elapsed_ms: e.elapsedMs,
    })),
    transition: ev.transition ?? null,
    skipped: ev.skipped ?? false,
    error: ev.error ?? null,
    failed: failed(ev),
    matches_recording: mismatch === undefined,
    mismatch: mismatch?.message ?? null,
  };
}

function resultJson(r: { status: string; output?: Value; failure?: unknown; state?: string }) {
  return {
    status: r.status,
    output: r.output ? toJson(r.output) : null,
    failure: r.failure ?? null,
    state: r.state ?? null,
  };
}
