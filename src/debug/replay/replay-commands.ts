import { VesperError } from "../../values/errors.js";
import { writeFileSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { editStep } from "./edit-step.js";
import { runFork, type Edit, type Fork, type ForkOptions } from "./fork.js";
import { withoutFiles, type ReplaySession } from "./replay-session.js";
import { diffRuns, type RunDiff } from "./trace-diff.js";
import { evaluateIn } from "../scope.js";
import { parseInputAssignment } from "../../runtime/input-text.js";
import { toJson } from "../../values/json.js";
import { InvalidNodeError, prepareSource, type PreparedNode } from "../../runtime/prepared.js";
import type { StepEvent } from "../../runtime/protocol.js";
import { formatValue, type Value } from "../../values/values.js";
import type { RecordedStep } from "../../trace/reader.js";
import type { TraceStore } from "../../store/store.js";

// The replay session's command language, shared by the REPL, --commands and stdin:
//   step [n]  back [n]  goto N  continue  print EXPR  state  calls  where
//   modify step N PARAM=VALUE   run   diff   apply   help   quit
// Every command answers with text for people and one JSON object for --json. A
// mistake in a command throws a usage or input VesperError (isCommandMistake): the
// session reports it and goes on.

export interface Reply {
  text: string;
  json: { command: string; [k: string]: unknown };
  quit?: boolean;
}

export interface InterpreterOptions extends ForkOptions {
  /** apply writes without asking. */
  yes: boolean;
  /** Asks the user to confirm (a TTY); absent when nobody can answer. */
  confirm?: (question: string) => Promise<boolean>;
}

export const REPLAY_HELP = `commands:
  step [n]                    run the next n steps (default 1)
  back [n]                    go back n steps (default 1), from snapshots
  goto N                      go to step N (0 is enter)
  continue                    run to the end of the trace
  print EXPR                  evaluate an expression over the inputs and bindings here
  state                       every binding here, the state machine's state, the virtual clock
  calls                       the tool calls of the trace, made or to come
  where                       the current step in the source
  modify step N PARAM=VALUE   edit step N (a call's timeout_ms, a computed value, …; step 0: an input)
  run                         re-execute from the first edited step as a fork (a new trace)
  diff                        what the fork changed: steps, bindings, outputs
  apply                       write the step edits into the .vsp file (asks first; --yes skips)
  quit`;

export class ReplayInterpreter {
  private edits: Edit[] = [];
  private editedText: string;
  /** The node the edits make, validated when each edit was made. */
  private editedNode: PreparedNode;
  private editedInputs: Map<string, Value>;
  private fork?: Fork;

  constructor(
    private readonly store: TraceStore,
    readonly session: ReplaySession,
    private readonly options: InterpreterOptions,
  ) {
    this.editedText = session.source;
    this.editedNode = session.node;
    this.editedInputs = new Map(session.inputs);
  }

  /** A way to ask the user before apply writes, when a person is at a terminal. */
  setConfirm(ask: (question: string) => Promise<boolean>): void {
    this.options.confirm = ask;
  }

  /** What to say when the session opens. */
  opening(): Reply {
    const t = this.session.trace;
    const lines = [
      `trace ${t.id}: ${t.node_id} on the ${t.runtime} runtime, steps 0 (enter) to ${t.step_count - 1} recorded, ${t.status}${t.parent_id ? ` (a fork of ${t.parent_id} at step ${t.fork_step})` : ""}`,
      `  ${this.session.file}`,
    ];
    if (this.session.fileChanged)
      lines.push(
        "  warning: the node file changed since this trace was recorded; the replay runs the current file and reports the first step that departs from the recording",
      );
    if (this.session.tampered)
      lines.push(
        `  warning: this trace fails its hash check (${this.session.tampered.reason}); the recording was changed after it was written, so a step that departs may be the tampering, not the node`,
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
        file: this.session.file,
        file_changed: this.session.fileChanged,
        tampered: this.session.tampered ?? null,
      },
    };
  }

  /** Runs one command. A mistake in it throws a usage or input VesperError. */
  async handle(line: string): Promise<Reply> {
    const trimmed = line.trim();
    const [command = "", ...rest] = trimmed.split(/\s+/);
    const arg = trimmed.slice(command.length).trim();
    switch (command) {
      case "step":
      case "s":
        return this.forward(count(arg, "step"), "step");
      case "back":
      case "b":
        return this.back(count(arg, "back"));
      case "goto":
        return this.goto(arg);
      case "continue":
      case "c":
        return this.forward(Number.MAX_SAFE_INTEGER, "continue");
      case "print":
      case "p":
        return this.print(arg);
      case "state":
        return this.state();
      case "calls":
        return this.calls();
      case "where":
      case "w":
        return this.where();
      case "modify":
        return this.modify(rest);
      case "run":
        return this.run();
      case "diff":
        return this.diff();
      case "apply":
        return this.apply();
      case "help":
      case "h":
      case "?":
        return { text: REPLAY_HELP, json: { command: "help", text: REPLAY_HELP } };
      case "quit":
      case "q":
      case "exit":
        return { text: "", json: { command: "quit" }, quit: true };
      default:
        throw new CommandError(`unknown command '${command}' (help lists the commands)`);
    }
  }

  private async forward(n: number, command: string): Promise<Reply> {
    const s = this.session;
    if (s.done) throw new CommandError(`already at the end of the trace (step ${s.position}); back or goto to travel`);
    const ran: { event: StepEvent; mismatch?: string }[] = [];
    for (let i = 0; i < n && !s.done; i++) {
      const r = (await s.stepForward())!;
      ran.push({ event: r.event, mismatch: r.mismatch?.message });
    }
    const lines = ran.map(({ event, mismatch }) => stepLine(event, mismatch));
    const json: Reply["json"] = {
      command,
      position: s.position,
      steps: ran.map(({ event, mismatch }) => eventJson(event, mismatch)),
      done: s.done,
    };
    if (s.done) {
      const [line, end] = this.ending();
      lines.push(line);
      Object.assign(json, end);
    }
    return { text: lines.join("\n"), json };
  }

  /** At the end of a replay: the outcome, and whether it is the recorded one. */
  private ending(): [string, Record<string, unknown>] {
    const s = this.session;
    const result = s.result!;
    const recorded = s.recordedResult;
    const identical =
      recorded !== undefined &&
      s.mismatches.length === 0 &&
      JSON.stringify(withoutFiles(resultJson(result))) === JSON.stringify(withoutFiles(resultJson(recorded)));
    const verdict = identical
      ? "identical to the recording"
      : s.mismatches.length > 0
        ? `DEPARTS FROM THE RECORDING at step ${s.mismatches[0]!.index} (${s.mismatches[0]!.step}): ${s.mismatches[0]!.message}`
        : recorded === undefined
          ? `the recording is ${s.trace.status}`
          : `the recorded outcome was ${recorded.status}`;
    const out = result.output
      ? ` ${formatValue(result.output)}`
      : result.failure
        ? ` ${result.failure.code}: ${result.failure.message}`
        : "";
    return [`end of trace: ${result.status}${out} — ${verdict}`, { result: resultJson(result), identical }];
  }

  private back(n: number): Reply {
    const s = this.session;
    if (s.position < 0) throw new CommandError("already before the first step");
    s.rewindTo(s.position - n);
    return this.whereReply("back");
  }

  private async goto(arg: string): Promise<Reply> {
    const s = this.session;
    if (!/^\d+$/.test(arg)) throw new CommandError(`goto needs a step number between 0 and ${s.last}, not '${arg}'`);
    const target = Number(arg);
    if (target > s.last) throw new CommandError(`the trace has steps 0 to ${s.last}; there is no step ${target}`);
    if (target <= s.position) {
      s.rewindTo(target);
      return this.whereReply("goto");
    }
    const reply = await this.forward(target - s.position, "goto");
    return { ...reply, json: { ...reply.json, command: "goto" } };
  }

  private print(text: string): Reply {
    if (!text) throw new CommandError("print needs an expression, e.g. print customer.balance");
    const v = evaluateIn(this.session.scope(), text);
    return {
      text: `${text} = ${formatValue(v)}`,
      json: { command: "print", expression: text, value: toJson(v), position: this.session.position },
    };
  }

  private state(): Reply {
    const scope = this.session.scope();
    const lines = [
      `at step ${this.session.position}${scope.state ? `, state ${scope.state}` : ""}, virtual clock +${this.session.elapsedMs} ms`,
    ];
    lines.push("inputs:", ...[...scope.inputs].map(([k, v]) => `  ${k} = ${formatValue(v)}`));
    lines.push(
      "bindings:",
      ...(scope.bindings.size ? [...scope.bindings].map(([k, v]) => `  ${k} = ${formatValue(v)}`) : ["  (none yet)"]),
    );
    return {
      text: lines.join("\n"),
      json: {
        command: "state",
        position: this.session.position,
        state: scope.state ?? null,
        elapsed_ms: this.session.elapsedMs,
        inputs: Object.fromEntries([...scope.inputs].map(([k, v]) => [k, toJson(v)])),
        bindings: Object.fromEntries([...scope.bindings].map(([k, v]) => [k, toJson(v)])),
      },
    };
  }

  private calls(): Reply {
    const s = this.session;
    const calls = s.recorded.flatMap((r) =>
      [...r.event.effects, ...r.unlisted].map((e) => ({ index: r.event.index, step: r.event.step, effect: e })),
    );
    if (calls.length === 0) return { text: "the trace made no tool calls", json: { command: "calls", calls: [] } };
    const lines = calls.map(
      ({ index, step, effect: e }) =>
        `${index <= s.position ? "✓" : " "} [${index}] ${step}: ${e.tool}(${formatValue(e.args)}) → ${e.ok ? formatValue(e.result ?? null) : `${e.error?.code}: ${e.error?.message}`} (${e.attempts} attempt${e.attempts === 1 ? "" : "s"}, ${e.elapsedMs} ms)`,
    );
    return {
      text: lines.join("\n"),
      json: {
        command: "calls",
        calls: calls.map(({ index, step, effect: e }) => ({
          index,
          step,
          tool: e.tool,
          args: toJson(e.args),
          ok: e.ok,
          result: e.ok ? toJson(e.result ?? null) : null,
          error: e.error ?? null,
          attempts: e.attempts,
          elapsed_ms: e.elapsedMs,
          made: index <= s.position,
        })),
      },
    };
  }

  private where(): Reply {
    return this.whereReply("where");
  }

  private whereReply(command: string): Reply {
    const s = this.session;
    const at = s.position;
    const next = s.recorded[at + 1]?.event;
    const lines: string[] = [];
    if (at < 0) lines.push(`before enter (step 0 of ${s.last})`);
    else {
      const ev = s.events[at]!;
      lines.push(`at step ${at} of ${s.last}: ${ev.step} (${ev.op}) ${ev.location.file}:${ev.location.line}`);
      const src = s.source.split("\n")[ev.location.line - 1];
      if (src !== undefined) lines.push(`  ${ev.location.line} | ${src}`);
    }
    lines.push(
      next
        ? `next: [${next.index}] ${next.step} (${next.op})${next.effects[0] ? `, calls ${next.effects[0].tool}` : ""}`
        : "next: nothing (the run has ended)",
    );
    const ev = at >= 0 ? s.events[at] : undefined;
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

  private modify(args: string[]): Reply {
    const s = this.session;
    const usage = "modify step N PARAM=VALUE (e.g. modify step 4 timeout_ms=6000; step 0 edits an input)";
    if (args[0] !== "step" || !/^\d+$/.test(args[1] ?? "") || args.length < 3)
      throw new CommandError(`usage: ${usage}`);
    const index = Number(args[1]);
    const assignment = args.slice(2).join(" ");
    const eq = assignment.indexOf("=");
    if (eq <= 0) throw new CommandError(`'${assignment}' is not PARAM=VALUE; usage: ${usage}`);
    const param = assignment.slice(0, eq).trim();
    const value = assignment.slice(eq + 1).trim();
    const recorded = s.recorded[index];
    if (!recorded) throw new CommandError(`the trace has steps 0 to ${s.last}; there is no step ${index}`);
    let edit: Edit;
    if (index === 0) {
      const [name, v] = parseInputAssignment(s.node, `${param}=${value}`);
      const before = this.editedInputs.get(name);
      this.editedInputs.set(name, v);
      edit = {
        index,
        step: "enter",
        kind: "input",
        param: name,
        value,
        before: before === undefined ? "unset" : formatValue(before),
        after: formatValue(v),
      };
    } else {
      const change = editStep(this.editedText, recorded.event.step, param, value);
      try {
        this.editedNode = prepareSource(s.file, change.text);
      } catch (err) {
        if (!(err instanceof InvalidNodeError)) throw err;
        const d = err.diagnostics.find((x) => x.severity === "error") ?? err.diagnostics[0]!;
        throw new CommandError(
          `the edit makes the node invalid: ${d.file}:${d.line}:${d.col}: ${d.code}: ${d.message}`,
        );
      }
      this.editedText = change.text;
      edit = {
        index,
        step: recorded.event.step,
        kind: "step",
        param: change.path.join("."),
        value,
        before: change.before,
        after: change.after,
      };
    }
    this.edits.push(edit);
    this.fork = undefined;
    return {
      text: `modified step ${index} (${edit.step}): ${edit.param} ${edit.before} → ${edit.after}; run re-executes from step ${Math.min(...this.edits.map((e) => e.index))} as a fork`,
      json: { command: "modify", edit },
    };
  }

  private async run(): Promise<Reply> {
    if (this.edits.length === 0)
      throw new CommandError("nothing to run: modify a step first (modify step N PARAM=VALUE)");
    this.fork = await runFork(
      this.store,
      this.session,
      { node: this.editedNode, inputs: this.editedInputs, edits: this.edits },
      this.options,
    );
    const f = this.fork;
    const was = this.session.recordedResult?.status ?? this.session.trace.status;
    const out = f.result.output
      ? `\n  output: ${formatValue(f.result.output)}`
      : f.result.failure
        ? `\n  ${f.result.failure.code}: ${f.result.failure.message}`
        : "";
    return {
      text: `fork ${f.trace.id} of ${this.session.trace.id} from step ${f.trace.fork_step}: ${f.result.status} (the original: ${was}), ${f.steps.length} steps${out}\n  (diff compares it with the original; vesper replay ${f.trace.id} travels through it)`,
      json: {
        command: "run",
        fork: f.trace.id,
        parent: this.session.trace.id,
        fork_step: f.trace.fork_step,
        result: resultJson(f.result),
        original_status: was,
      },
    };
  }

  private diff(): Reply {
    if (!this.fork) throw new CommandError("no fork to compare yet: modify a step, then run");
    // Calls a step made but could not list (a node time-out right after them) are compared too.
    const withCalls = (r: RecordedStep) => ({ ...r.event, effects: [...r.event.effects, ...r.unlisted] });
    const d: RunDiff = diffRuns(
      this.session.recorded.map(withCalls),
      this.session.recordedResult,
      this.fork.steps.map(withCalls),
      this.fork.result,
    );
    const inputs = this.edits
      .filter((e) => e.kind === "input")
      .map((e) => ({ input: e.param, original: e.before, fork: e.after }));
    const lines = [`diff ${this.session.trace.id} → ${this.fork.trace.id}:`];
    if (inputs.length === 0 && d.steps.length === 0 && d.outcome.length === 0) lines.push("  no differences");
    for (const i of inputs) lines.push(`  input ${i.input}: ${i.original} → ${i.fork}`);
    for (const c of d.steps) lines.push(`  step ${c.index} ${c.step}: ${c.what}: ${c.original} → ${c.fork}`);
    for (const o of d.outcome) lines.push(`  ${o.path}: ${JSON.stringify(o.expected)} → ${JSON.stringify(o.actual)}`);
    return {
      text: lines.join("\n"),
      json: {
        command: "diff",
        original: this.session.trace.id,
        fork: this.fork.trace.id,
        inputs,
        steps: d.steps,
        outcome: d.outcome,
      },
    };
  }

  private async apply(): Promise<Reply> {
    const stepEdits = this.edits.filter((e) => e.kind === "step");
    if (stepEdits.length === 0) {
      throw new CommandError(
        this.edits.length
          ? "only inputs were modified, and inputs are not part of the node file: nothing to apply"
          : "nothing to apply: modify a step first",
      );
    }
    const file = this.session.file;
    const now = readFileSync(file, "utf8");
    if (now !== this.session.source)
      throw new CommandError(
        `${file} changed since the session opened; not overwriting it (reopen the replay to edit the new text)`,
      );
    const summary = stepEdits.map((e) => `${e.step}.${e.param}: ${e.before} → ${e.after}`).join(", ");
    if (!this.options.yes) {
      if (!this.options.confirm)
        throw new CommandError(`apply changes ${file} (${summary}); rerun with --yes to allow it without a prompt`);
      if (!(await this.options.confirm(`write ${summary} into ${file}? [y/N] `)))
        return { text: "not applied", json: { command: "apply", applied: false } };
    }
    writeFileSync(file, this.editedText);
    const hash = createHash("sha256").update(this.editedText).digest("hex");
    const skipped = this.edits.length - stepEdits.length;
    const note = skipped
      ? ` (${skipped} input edit${skipped === 1 ? "" : "s"} not written: inputs are not part of the node file)`
      : "";
    return {
      text: `applied to ${file}: ${summary}${note}`,
      json: { command: "apply", applied: true, file, edits: stepEdits, content_hash: hash },
    };
  }
}

class CommandError extends VesperError {
  override name = "CommandError";
  constructor(message: string) {
    super("U200", message);
  }
}

function count(arg: string, command: string): number {
  if (arg === "") return 1;
  if (!/^\d+$/.test(arg) || Number(arg) < 1)
    throw new CommandError(`${command} takes a positive number of steps, not '${arg}'`);
  return Number(arg);
}

function stepLine(ev: StepEvent, mismatch: string | undefined): string {
  const mark = mismatch ? "✗" : "✓";
  const parts = [`${mark} [${ev.index}] ${ev.step} (${ev.op}) line ${ev.location.line}`];
  if (ev.skipped) parts.push("skipped (guard false)");
  if (ev.branch) parts.push(`took ${ev.branch}`);
  if (ev.transition) parts.push(`state ${ev.transition.from} → ${ev.transition.to}`);
  for (const [k, v] of ev.changed) parts.push(`${k} = ${formatValue(v)}`);
  for (const e of ev.effects)
    parts.push(
      `${e.tool} ${e.ok ? "ok" : e.error?.code} (${e.attempts} attempt${e.attempts === 1 ? "" : "s"}, ${e.elapsedMs} ms)`,
    );
  if (ev.error)
    parts.push(`${ev.error.code}: ${ev.error.message}${ev.recovered ? ` (recovered: ${ev.recovered})` : ""}`);
  for (const c of ev.contracts.filter((x) => !x.passed)) parts.push(`${c.kind} '${c.name}' FAILED`);
  let line = parts.join("  ");
  if (mismatch) line += `\n    differs from the recording: ${mismatch}`;
  return line;
}

function eventJson(ev: StepEvent, mismatch: string | undefined) {
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
    matches_recording: mismatch === undefined,
    mismatch: mismatch ?? null,
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
