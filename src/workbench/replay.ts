import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import type { Edit } from "../debug/replay/edit.js";
import { runFork, type Fork, type ForkOptions } from "../debug/replay/fork.js";
import { NodeEdits } from "../debug/replay/node-edits.js";
import { type Mismatch, ReplaySession, sameOutcome } from "../debug/replay/replay-session.js";
import { diffRuns, type RunDiff, type StepChange } from "../debug/replay/trace-diff.js";
import { evaluateIn } from "../debug/scope.js";
import type { DiffEntry } from "../exec/comparator.js";
import type { PreparedNode } from "../runtime/prepared.js";
import type { Effect, RunResult, StepEvent } from "../runtime/protocol.js";
import type { TraceStore } from "../store/store.js";
import { getTrace, type RecordedStep, type TraceRow, traceResult, traceSteps } from "../trace/reader.js";
import type { ChainProblem } from "../trace/verify-chain.js";
import { VesperError } from "../values/errors.js";
import type { Value } from "../values/values.js";

// Replaying a recorded run, as a typed API: travel through it (step, back, goto,
// continue; where, state, calls, print), edit a step or an input, fork (re-execute
// as a new trace whose parent is the original), diff the fork against the original,
// and apply the step edits to the .vsp file; rerun the trace against the node file as
// it is now (after a fix: would it have saved the run?). No I/O besides the store and the node
// file, and no text: the CLI's command language (replay-commands.ts) and the TUI's
// replay pane render what these methods return. A mistake (past the end, a step
// that does not exist, an edit that cannot be made, nothing to fork, diff or apply)
// throws a usage or input VesperError whose message says what to do; a step edit
// that makes the node invalid is refused at once, with its diagnostic.

export type { Edit, Fork, ForkOptions, Mismatch, RunDiff, StepChange, DiffEntry };

/** A rerun: the trace re-executed against the node file as it is now, and how its outcome compares. */
export interface Rerun {
  fork: Fork;
  /** The recorded outcome; undefined when the recording did not finish. */
  recorded: RunResult | undefined;
  /** The fork ended exactly as the recording did (status, output, failure, state). */
  sameOutcome: boolean;
}

export interface OpenReplayOptions extends Partial<ForkOptions> {
  /** Replay this copy of the node file instead of the path recorded with the trace. */
  file?: string;
}

/** One re-executed step, and how it departs from its recorded row (if it does). */
export interface ReplayedStep {
  event: StepEvent;
  mismatch?: Mismatch;
}

/** How a replay ended: its outcome, and whether it is the recorded one. */
export interface ReplayEnd {
  result: RunResult;
  /** The recorded outcome; undefined when the recording did not finish (crashed, interrupted). */
  recorded: RunResult | undefined;
  /** No step departed and the outcome equals the recorded one. */
  identical: boolean;
  /** The first step that departed from the recording. */
  departure: Mismatch | undefined;
}

/** What moving forward did. */
export interface StepRun {
  steps: ReplayedStep[];
  position: number;
  done: boolean;
  /** Set when this move reached the end of the run. */
  end?: ReplayEnd;
}

/** Where a replay stands. */
export interface Where {
  /** The last event re-executed; -1 before enter. */
  position: number;
  last: number;
  /** The event at the position (undefined before enter). */
  event?: StepEvent;
  /** The source line of that event's step, as the replayed text has it. */
  sourceLine?: string;
  /** The recorded step that comes next (undefined when the run has ended). */
  next?: { index: number; step: string; op: StepEvent["op"]; tool?: string };
}

/** goto either rewinds to an earlier step (from snapshots) or runs forward to a later one. */
export type GotoResult = { kind: "rewound"; where: Where } | { kind: "ran"; run: StepRun };

export interface ReplayState {
  position: number;
  /** The state machine's state, when the node declares one. */
  state: string | undefined;
  /** Virtual milliseconds the run had spent at this position. */
  elapsedMs: number;
  inputs: ReadonlyMap<string, Value>;
  bindings: ReadonlyMap<string, Value>;
}

/** A tool call of the recording. */
export interface ReplayCall {
  index: number;
  step: string;
  effect: Effect;
  /** Whether the replay has passed it. */
  made: boolean;
}

export interface InputChange {
  input: string;
  original: string;
  fork: string;
}

/**
 * What a diff compares: the fork `run` made in this session, the `rerun` made in this
 * session (each against the trace opened), or, when the trace opened is itself a fork
 * and nothing was modified in this session, that trace against its `parent`.
 */
export type DiffBasis = "run" | "rerun" | "parent";

/** The fork against its original: the edited inputs, then the steps and the outcome that differ. */
export interface ForkDiff extends RunDiff {
  original: string;
  fork: string;
  inputs: InputChange[];
  compares: DiffBasis;
  /** The event index the fork starts from (its fork_step). */
  forkStep: number;
}

export interface ApplyOptions {
  /** Write without asking. */
  yes?: boolean;
  /** Asks the user (e.g. at a terminal); without it and without `yes`, apply refuses. */
  confirm?: (question: string) => Promise<boolean>;
}

export type ApplyResult =
  | { applied: false }
  | {
      applied: true;
      file: string;
      /** The step edits written. */
      edits: Edit[];
      /** Input edits, which are not part of the node file and so were not written. */
      skipped: Edit[];
      /** sha256 of the file's new text. */
      contentHash: string;
    };

/** A mistake in using the replay (travel past its ends, nothing to fork, diff or apply): usage, exit 2. */
export class ReplayError extends VesperError {
  override name = "ReplayError";
  constructor(message: string) {
    super("U200", message);
  }
}

/** Opens trace `traceId` (or a unique prefix of it) for replay. Throws StoreError when it cannot be replayed. */
export function openReplay(store: TraceStore, traceId: string, options: OpenReplayOptions = {}): Replay {
  return new Replay(store, new ReplaySession(store, traceId, { file: options.file }), {
    live: options.live ?? false,
    allowIrreversible: options.allowIrreversible ?? false,
  });
}

export class Replay {
  private readonly changes: NodeEdits;
  private latest?: Fork;
  /** Whether the latest fork was a rerun. */
  private latestIsRerun = false;
  /** The input edits the latest fork ran with (none for a rerun). */
  private latestInputs: InputChange[] = [];
  /** The opened fork against its parent, computed once (both recordings are immutable). */
  private parentDiff?: ForkDiff;
  /** How many edits the last apply wrote (edits after it are unapplied). */
  private appliedCount = 0;

  /** Use openReplay. */
  constructor(
    private readonly store: TraceStore,
    private readonly session: ReplaySession,
    private readonly forkOptions: ForkOptions,
  ) {
    this.changes = new NodeEdits(session.file, session.source, session.node, session.inputs);
  }

  // ---- what was recorded ----

  get trace(): TraceRow {
    return this.session.trace;
  }

  /** The node file replayed. */
  get file(): string {
    return this.session.file;
  }

  /** The text replayed (a fork's: its parent's file with the fork's step edits). */
  get source(): string {
    return this.session.source;
  }

  get node(): PreparedNode {
    return this.session.node;
  }

  /** The recorded rows, index = event index. */
  get recorded(): readonly RecordedStep[] {
    return this.session.recorded;
  }

  /** The recorded outcome; undefined when the recording did not finish. */
  get recordedResult(): RunResult | undefined {
    return this.session.recordedResult;
  }

  /**
   * The node file is not the one recorded (its content hash differs). A replay still
   * serves the recorded results, so it shows what happened, not what the current file
   * would do: rerun answers that.
   */
  get fileChanged(): boolean {
    return this.session.fileChanged;
  }

  /** sha256 of the text replayed; the recorded one is trace.content_hash. */
  get contentHash(): string {
    return this.session.contentHash;
  }

  /** Set when the trace fails its hash check: the recording was changed after it was written. */
  get tampered(): ChainProblem | undefined {
    return this.session.tampered;
  }

  // ---- travel ----

  /** The last event re-executed; -1 before enter. */
  get position(): number {
    return this.session.position;
  }

  /** The last event index a replay can reach. */
  get last(): number {
    return this.session.last;
  }

  get done(): boolean {
    return this.session.done;
  }

  /** Re-executed events up to the position, index = event index. */
  get events(): readonly StepEvent[] {
    return this.session.events;
  }

  /** Every step found so far that departs from its recorded row. */
  get mismatches(): readonly Mismatch[] {
    return this.session.mismatches;
  }

  /** Runs the next n steps (fewer at the end). */
  step(n = 1): Promise<StepRun> {
    return this.forward(steps(n, "step"));
  }

  /** Runs to the end of the trace. */
  continue(): Promise<StepRun> {
    return this.forward(Number.MAX_SAFE_INTEGER);
  }

  /** Goes back n steps (to before enter at most), from snapshots: nothing is re-run. */
  back(n = 1): Where {
    const count = steps(n, "back");
    if (this.position < 0) throw new ReplayError("already before the first step");
    this.session.rewindTo(this.position - count);
    return this.where();
  }

  /** Goes to event `index` (0 is enter): back from snapshots, or forward by running. */
  async goto(index: number): Promise<GotoResult> {
    if (!Number.isInteger(index) || index < 0)
      throw new ReplayError(`goto needs a step number between 0 and ${this.last}, not '${index}'`);
    this.mustExist(index);
    if (index <= this.position) {
      this.session.rewindTo(index);
      return { kind: "rewound", where: this.where() };
    }
    return { kind: "ran", run: await this.forward(index - this.position) };
  }

  where(): Where {
    const at = this.position;
    const event = at >= 0 ? this.session.events[at] : undefined;
    const next = this.session.recorded[at + 1]?.event;
    return {
      position: at,
      last: this.last,
      event,
      sourceLine: event ? this.session.source.split("\n")[event.location.line - 1] : undefined,
      next: next && { index: next.index, step: next.step, op: next.op, tool: next.effects[0]?.tool },
    };
  }

  /** The inputs, every binding made so far, the state machine's state and the virtual clock, here. */
  state(): ReplayState {
    const scope = this.session.scope();
    return {
      position: this.position,
      state: scope.state,
      elapsedMs: this.session.elapsedMs,
      inputs: scope.inputs,
      bindings: scope.bindings,
    };
  }

  /** The tool calls of the recording (calls a step made but could not list included), made or to come. */
  calls(): ReplayCall[] {
    return this.session.recorded.flatMap((r) =>
      [...r.event.effects, ...r.unlisted].map((effect) => ({
        index: r.event.index,
        step: r.event.step,
        effect,
        made: r.event.index <= this.position,
      })),
    );
  }

  /** Evaluates an expression of the IR's language over the inputs and bindings here. */
  print(expression: string): Value {
    if (expression.trim() === "") throw new ReplayError("print needs an expression, e.g. print customer.balance");
    return evaluateIn(this.session.scope(), expression);
  }

  // ---- editing ----

  /** Every edit made, in order. */
  get edits(): readonly Edit[] {
    return this.changes.edits;
  }

  /**
   * Sets PARAM of the step that ran as event `index` (1 or more; inputs are edited with
   * editInput): a dotted path (error_handling.retry.max_attempts), a key of the step
   * (timeout_ms) or a name under set/args/values (fee). The edited node is validated
   * at once: an edit that makes it invalid throws, with the diagnostic, and is not kept.
   */
  editStep(index: number, param: string, value: string): Edit {
    const recorded = this.mustExist(index);
    if (index === 0)
      throw new ReplayError("step 0 is enter, which has no parameters; edit an input instead (editInput)");
    return this.afterEdit(this.changes.editStep(index, recorded.event.step, param, value));
  }

  /** Sets an input for the fork, read by its declared type (throws an input error when it does not fit). */
  editInput(name: string, value: string): Edit {
    return this.afterEdit(this.changes.editInput(name, value));
  }

  /** Step edits not written into the node file yet (what quitting would drop). */
  get unapplied(): readonly Edit[] {
    return this.edits.slice(this.appliedCount).filter((e) => e.kind === "step");
  }

  private afterEdit(edit: Edit): Edit {
    // The last fork no longer shows what the edits make.
    this.latest = undefined;
    return edit;
  }

  // ---- fork, diff, apply ----

  /** The fork made since the last edit, if any. */
  get forked(): Fork | undefined {
    return this.latest;
  }

  /**
   * Re-executes the edited node from the first edited step as a new trace whose parent
   * is the original (which is never changed). Calls the edits did not change are served
   * from the recording; a changed call to a live tool stops at the safety boundary
   * (R210, in the fork's result) unless `live` (and, for a tool that cannot be undone,
   * `allowIrreversible`) was given, here or when the replay was opened.
   */
  async fork(options: Partial<ForkOptions> = {}): Promise<Fork> {
    if (this.edits.length === 0)
      throw new ReplayError("nothing to run: modify a step first (modify step N PARAM=VALUE)");
    this.latest = await runFork(
      this.store,
      this.session,
      { node: this.changes.node, inputs: new Map(this.changes.inputs), edits: [...this.edits] },
      this.options(options),
    );
    this.latestIsRerun = false;
    this.latestInputs = inputChanges(this.edits);
    return this.latest;
  }

  /**
   * "Would my fix have saved it?": re-executes the trace against the node file as it
   * is now (not with this session's edits) as a fork, a new trace whose parent is the
   * original. Clock readings and random numbers are served from the recording; when
   * the file changed, every call to a simulated service is made again (an unchanged
   * call gets the answer it got when recorded, a changed one the answer the current
   * file gets), and a call to a live tool is served from the recording while its
   * arguments are unchanged, else stops at the safety boundary unless `live`.
   * Afterwards `diff` compares the rerun with the original.
   */
  async rerun(options: Partial<ForkOptions> = {}): Promise<Rerun> {
    // A fork's own edits are part of the text it ran: a rerun of a fork keeps them.
    const inherited = this.trace.fork_change
      ? (JSON.parse(this.trace.fork_change) as Edit[]).filter((e) => e.kind === "step")
      : [];
    const fork = await runFork(
      this.store,
      this.session,
      { node: this.session.node, inputs: new Map(this.session.inputs), edits: inherited, forkStep: 0 },
      this.options(options),
    );
    this.latest = fork;
    this.latestIsRerun = true;
    this.latestInputs = [];
    const recorded = this.session.recordedResult;
    return { fork, recorded, sameOutcome: recorded !== undefined && sameOutcome(fork.result, recorded) };
  }

  private options(options: Partial<ForkOptions>): ForkOptions {
    return {
      live: options.live ?? this.forkOptions.live,
      allowIrreversible: options.allowIrreversible ?? this.forkOptions.allowIrreversible,
    };
  }

  /**
   * What diff() compares now: this session's fork or rerun against the trace opened;
   * else, when the trace opened is a fork and nothing was modified in this session, that
   * trace against its parent; else nothing (undefined: diff throws, saying what to do).
   */
  get diffBasis(): DiffBasis | undefined {
    if (this.latest) return this.latestIsRerun ? "rerun" : "run";
    return this.edits.length === 0 && this.trace.parent_id ? "parent" : undefined;
  }

  /**
   * What the last fork changed against the original: inputs, steps (bindings, calls,
   * transitions, errors), outcome. With no fork made in this session and nothing
   * modified, a trace that is itself a fork is compared with its parent: how it departs
   * from the run it was forked from (`compares` says which two traces these are).
   */
  diff(): ForkDiff {
    const basis = this.diffBasis;
    if (basis === "parent") return this.againstParent();
    const fork = this.latest;
    if (!fork) throw new ReplayError(this.nothingToDiff());
    const d = diffRuns(
      this.session.recorded.map(withCalls),
      this.session.recordedResult,
      fork.steps.map(withCalls),
      fork.result,
    );
    return {
      original: this.trace.id,
      fork: fork.trace.id,
      inputs: this.latestInputs,
      steps: d.steps,
      outcome: d.outcome,
      compares: this.latestIsRerun ? "rerun" : "run",
      forkStep: fork.trace.fork_step ?? 0,
    };
  }

  private nothingToDiff(): string {
    if (this.edits.length === 0 && this.trace.fork_change !== null)
      return "no fork to compare yet, and this trace's parent is no longer in the store (traces gc deleted it): modify a step, then run; or rerun the current file";
    return "no fork to compare yet: modify a step, then run; or rerun the current file";
  }

  /** The trace opened (a fork) against its parent, from both recordings; nothing is re-executed. */
  private againstParent(): ForkDiff {
    if (this.parentDiff) return this.parentDiff;
    const parent = getTrace(this.store, this.trace.parent_id!);
    const d = diffRuns(
      traceSteps(this.store, parent).map(withCalls),
      traceResult(parent),
      this.session.recorded.map(withCalls),
      // A fork whose recording did not finish is shown by its trace status (incomplete), as an unfinished original is.
      this.session.recordedResult ?? { status: this.trace.status as RunResult["status"], steps: this.recorded.length },
    );
    const own = this.trace.fork_change ? (JSON.parse(this.trace.fork_change) as Edit[]) : [];
    this.parentDiff = {
      original: parent.id,
      fork: this.trace.id,
      inputs: inputChanges(own),
      steps: d.steps,
      outcome: d.outcome,
      compares: "parent",
      forkStep: this.trace.fork_step ?? 0,
    };
    return this.parentDiff;
  }

  /**
   * Writes the step edits into the node file (input edits are not part of it: they are
   * skipped and reported). Refuses when the file changed since the replay opened. Asks
   * through `confirm` unless `yes`; with neither, refuses (nothing is written).
   */
  async apply(options: ApplyOptions = {}): Promise<ApplyResult> {
    const edits = this.edits.filter((e) => e.kind === "step");
    if (edits.length === 0) {
      throw new ReplayError(
        this.edits.length
          ? "only inputs were modified, and inputs are not part of the node file: nothing to apply"
          : "nothing to apply: modify a step first",
      );
    }
    const file = this.file;
    if (readFileSync(file, "utf8") !== this.session.source)
      throw new ReplayError(
        `${file} changed since the session opened; not overwriting it (reopen the replay to edit the new text)`,
      );
    const summary = editSummary(edits);
    if (!options.yes) {
      if (!options.confirm)
        throw new ReplayError(`apply changes ${file} (${summary}); rerun with --yes to allow it without a prompt`);
      if (!(await options.confirm(`write ${summary} into ${file}? [y/N] `))) return { applied: false };
    }
    const text = this.changes.text;
    writeFileSync(file, text);
    this.appliedCount = this.edits.length;
    return {
      applied: true,
      file,
      edits,
      skipped: this.edits.filter((e) => e.kind === "input"),
      contentHash: createHash("sha256").update(text).digest("hex"),
    };
  }

  // ---- internals ----

  private async forward(n: number): Promise<StepRun> {
    const s = this.session;
    if (s.done) throw new ReplayError(`already at the end of the trace (step ${s.position}); back or goto to travel`);
    const ran: ReplayedStep[] = [];
    for (let i = 0; i < n && !s.done; i++) {
      const r = (await s.stepForward())!;
      ran.push(r.mismatch ? { event: r.event, mismatch: r.mismatch } : { event: r.event });
    }
    return { steps: ran, position: s.position, done: s.done, end: s.done ? this.ending() : undefined };
  }

  private ending(): ReplayEnd {
    const s = this.session;
    const result = s.result!;
    const recorded = s.recordedResult;
    return {
      result,
      recorded,
      identical: recorded !== undefined && s.mismatches.length === 0 && sameOutcome(result, recorded),
      departure: s.mismatches[0],
    };
  }

  private mustExist(index: number): RecordedStep {
    const recorded = Number.isInteger(index) ? this.session.recorded[index] : undefined;
    if (!recorded) throw new ReplayError(`the trace has steps 0 to ${this.last}; there is no step ${index}`);
    return recorded;
  }
}

/** Calls a step made but could not list (a node time-out right after them) are compared too. */
const withCalls = (r: RecordedStep) => ({ ...r.event, effects: [...r.event.effects, ...r.unlisted] });

/** The input edits among a fork's edits, as the diff shows them. */
function inputChanges(edits: readonly Edit[]): InputChange[] {
  return edits.filter((e) => e.kind === "input").map((e) => ({ input: e.param, original: e.before, fork: e.after }));
}

/** The step edits as one line: `charge_card.timeout_ms: 3000 → 4500, …`. */
export function editSummary(edits: readonly Edit[]): string {
  return edits.map((e) => `${e.step}.${e.param}: ${e.before} → ${e.after}`).join(", ");
}

function steps(n: number, command: string): number {
  if (!Number.isInteger(n) || n < 1) throw new ReplayError(`${command} takes a positive number of steps, not '${n}'`);
  return n;
}
