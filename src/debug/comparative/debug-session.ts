import { type Breakpoint, Breakpoints, parseBreakSpec } from "./breakpoints.js";
import { DebugError } from "./debug-error.js";
import { compileExpression, type Evaluated, evaluateOn } from "./expression.js";
import type { Frame, LockstepSession } from "./lockstep.js";
import type { PairRecorder } from "./pair-recorder.js";
import { bindingDiffs, compareState, type StepDiff } from "./step-compare.js";
import { type Move, type MoveOutcome, Stepper } from "./stepper.js";
import { type Upcoming, upcomingOf } from "./upcoming.js";
import type { Step } from "../../ir/ast.js";
import type { PreparedNode } from "../../runtime/prepared.js";
import type { RunResult, RuntimeName, SourcePoint, StepEvent } from "../../runtime/protocol.js";
import type { Value } from "../../values/values.js";
import type { VType } from "../../values/types.js";

// A comparative debug session as typed moves and questions, for any front end: the
// TUI's debug pane calls these methods, and the text commands (debug-commands.ts)
// are a parser and renderer over them. No method prints or returns text meant for
// a terminal. A mistake (a bad breakpoint, an expression that does not check,
// moving past the end) throws a DebugError (kind usage): the session goes on.
// close() finishes the recording, if there is one; it may be called more than once.

/** Where a step sits in the node's source, for a source pane to highlight. */
export interface StepPlace extends SourcePoint {
  step: string;
  op: string;
}

/** One runtime at the current pause. */
export interface SidePosition {
  /** The step this side last ran (where it is paused), or undefined before anything ran. */
  at: StepPlace | undefined;
  /** Its full event (bindings changed, calls, contracts), or undefined before anything ran. */
  last: StepEvent | undefined;
  /** Whether it ran in the lockstep step that led to this pause (false once it had ended earlier). */
  ranLast: boolean;
  /** The branches enclosing `at`, outermost first. */
  inside: string[];
  /** The state machine's state, when the node declares one. */
  state: string | undefined;
  /** Every binding made so far, in the order first made. */
  bindings: ReadonlyMap<string, Value>;
  /** Bindings the last step made or changed. */
  changed: string[];
  /** The step it will run next (`enter` before anything ran); undefined once it ended. */
  next: StepPlace | undefined;
  /** What that step will do, worked out on this side's values (the call and its arguments, …). */
  upcoming: Upcoming | undefined;
  /** How the run ended, once it has. */
  result: RunResult | undefined;
}

/** A lockstep step at which the runtimes did something different. */
export interface Divergence {
  /** Lockstep steps run to reach it. */
  position: number;
  /** The step's name and index in the run, and where it is in the source. */
  step: string;
  index: number;
  location: SourcePoint;
  /** The first binding the step assigns that differs, if a binding does. */
  firstBinding?: string;
  /** Each difference: its path (e.g. `fee`, `call sim.payments.charge args.amount`), the reference's value (`expected`), the direct's (`actual`), and why they differ. */
  diffs: StepDiff[];
}

/** An expression evaluated on both sides at the current pause. */
export interface Evaluation {
  expression: string;
  type: VType;
  reference: Evaluated;
  direct: Evaluated;
  /** Where the two values differ under the node's comparison rules (empty when they agree or one failed). */
  differences: StepDiff[];
}

/** Every difference between the two runtimes at the current pause. */
export interface DiffReport {
  position: number;
  /** What the last lockstep step did differently. */
  step: StepDiff[];
  /** The whole state compared: every binding, the state machine's state, the results. */
  state: StepDiff[];
  /** The state differences the last step did not make (carried from earlier steps). */
  carried: StepDiff[];
}

/** How the two runs stand: what `end` reports. */
export interface DebugSummary {
  position: number;
  furthest: number;
  finished: boolean;
  diverged: boolean;
  firstDivergence: Divergence | undefined;
  results: Record<RuntimeName, RunResult | undefined>;
}

/** The two runs' traces, when the session records them. */
export interface RecordingIds {
  group: string;
  reference: string;
  direct: string;
}

export interface DebugSessionParts {
  lockstep: LockstepSession;
  breakpoints?: Breakpoints;
  /** The recorded trace both runtimes re-execute, if any. */
  replaying?: { trace: string; nodeChanged: boolean };
  /** Sentences a user should read before stepping (e.g. that the node changed since the recording). */
  notes?: readonly string[];
  /** Records the two runs (it must be the lockstep session's observer). */
  recorder?: PairRecorder;
  /** Run once by close(), after the recording is finished: e.g. closing a store opened for the session. */
  release?: () => void;
}

export class DebugSession {
  /** The lockstep model underneath, for renderers that draw frames (the side-by-side view). */
  readonly lockstep: LockstepSession;
  readonly replaying: { trace: string; nodeChanged: boolean } | undefined;
  readonly notes: readonly string[];
  readonly recording: RecordingIds | undefined;
  private readonly marks: Breakpoints;
  private readonly stepper: Stepper;
  private readonly recorder: PairRecorder | undefined;
  private release: (() => void) | undefined;
  private closed = false;
  private readonly found = new Map<number, Divergence>();

  constructor(parts: DebugSessionParts) {
    this.lockstep = parts.lockstep;
    this.marks = parts.breakpoints ?? new Breakpoints();
    this.stepper = new Stepper(this.lockstep, this.marks);
    this.replaying = parts.replaying;
    this.notes = parts.notes ?? [];
    this.recorder = parts.recorder;
    this.release = parts.release;
    this.recording = parts.recorder ? { group: parts.recorder.groupId, ...parts.recorder.ids } : undefined;
  }

  get node(): PreparedNode {
    return this.lockstep.node;
  }

  get inputs(): ReadonlyMap<string, Value> {
    return this.lockstep.inputs;
  }

  // ---- moves --------------------------------------------------------------------

  /** Runs `count` lockstep steps, stopping early at a breakpoint or at the end of both runs. */
  async step(count = 1): Promise<MoveOutcome> {
    if (!Number.isInteger(count) || count < 1)
      throw new DebugError(`step takes a positive number of steps, not '${count}'`);
    return this.move({ kind: "step", count });
  }

  /** Like step, but a branch (both arms) runs as one step. */
  next(): Promise<MoveOutcome> {
    return this.move({ kind: "next" });
  }

  /** Runs until a breakpoint or the end of both runs. */
  continue(): Promise<MoveOutcome> {
    return this.move({ kind: "continue" });
  }

  /** Goes back `count` steps (as far as the start), restoring both runs' snapshots. */
  back(count = 1): { steps: number; position: number } {
    if (!Number.isInteger(count) || count < 1)
      throw new DebugError(`back takes a positive number of steps, not '${count}'`);
    const steps = this.lockstep.back(count);
    return { steps, position: this.position };
  }

  private async move(move: Move): Promise<MoveOutcome> {
    if (this.closed) throw new DebugError("the session is closed");
    if (this.lockstep.done) throw new DebugError("both runs have ended: 'back N' to go back, or 'quit'");
    const outcome = await this.stepper.move(move);
    for (const f of outcome.frames) if (f.comparison.diffs.length > 0) this.found.set(f.position, divergenceOf(f));
    return outcome;
  }

  // ---- breakpoints --------------------------------------------------------------

  /** Adds a breakpoint from a spec: divergence, contract_violation, state_transition:A->B, step:NAME, call:TOOL, or a boolean expression. */
  addBreakpoint(spec: string): Breakpoint {
    return this.marks.add(parseBreakSpec(this.node, this.lockstep.flow, spec));
  }

  deleteBreakpoint(id: number): Breakpoint {
    return this.marks.delete(id);
  }

  /** The breakpoints in the order added, with their ids and hit counts. */
  get breakpoints(): readonly Breakpoint[] {
    return this.marks.list;
  }

  // ---- where it is --------------------------------------------------------------

  /** Lockstep steps run to reach this pause; 0 before anything ran. */
  get position(): number {
    return this.lockstep.current.position;
  }

  /** The current pause: both runs' views, the events that led here, and their comparison. */
  get frame(): Frame {
    return this.lockstep.current;
  }

  /** Both runs have ended. */
  get done(): boolean {
    return this.lockstep.done;
  }

  /** The runtimes diverged at some step reached so far (going back does not forget it). */
  get diverged(): boolean {
    return this.lockstep.diverged;
  }

  /** Where each runtime is, what it holds, and what it runs next. */
  where(): Record<RuntimeName, SidePosition> {
    return { reference: this.side("reference"), direct: this.side("direct") };
  }

  /** The step each runtime is paused at (file, line), for a source pane; undefined before anything ran. */
  source(): Record<RuntimeName, StepPlace | undefined> {
    return { reference: this.side("reference").at, direct: this.side("direct").at };
  }

  private side(side: RuntimeName): SidePosition {
    const s = this.lockstep;
    const v = s.current.views[side];
    const up = s.upcoming(side);
    return {
      at: v.last ? { step: v.last.step, op: v.last.op, ...v.last.location } : undefined,
      last: v.last,
      ranLast: s.current.events[side] !== undefined,
      inside: v.last ? s.flow.enclosing(v.last.step).map((b) => b.name) : [],
      state: v.state,
      bindings: v.bindings,
      changed: [...v.changed],
      next: placeOf(up, this.node),
      upcoming: upcomingOf(up, v, this.node.node.file),
      result: v.result,
    };
  }

  // ---- what differs -------------------------------------------------------------

  /** The first diverging step reached, even if the session went back before it. */
  get firstDivergence(): Divergence | undefined {
    const f = this.lockstep.firstDivergence;
    return f ? divergenceOf(f) : undefined;
  }

  /** Every diverging step reached so far, by position (going back does not forget them). */
  divergences(): Divergence[] {
    return [...this.found.values()].sort((a, b) => a.position - b.position);
  }

  /** Every difference at the current pause: the last step's, and the whole state's. */
  diff(): DiffReport {
    const f = this.lockstep.current;
    const state = compareState(f.views.reference, f.views.direct, this.lockstep.rules);
    return {
      position: f.position,
      step: f.comparison.diffs,
      state,
      carried: state.filter((d) => !f.comparison.diffs.some((x) => x.path === d.path)),
    };
  }

  /** Evaluates an expression in the node's language on both sides (now() and random() are refused). */
  evaluate(expression: string): Evaluation {
    const e = compileExpression(this.node, expression);
    const views = this.lockstep.current.views;
    const reference = evaluateOn(e, views.reference);
    const direct = evaluateOn(e, views.direct);
    const differences =
      reference.ok && direct.ok ? bindingDiffs(expression, reference.value, direct.value, this.lockstep.rules) : [];
    return { expression, type: e.type, reference, direct, differences };
  }

  /** How the two runs stand now. */
  summary(): DebugSummary {
    const s = this.lockstep;
    return {
      position: s.current.position,
      furthest: s.furthest,
      finished: s.done,
      diverged: s.diverged,
      firstDivergence: this.firstDivergence,
      results: { reference: s.current.views.reference.result, direct: s.current.views.direct.result },
    };
  }

  /** Ends the session: a recorded run that did not reach its end stays recorded, marked incomplete. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const views = this.lockstep.current.views;
    try {
      this.recorder?.close({ reference: views.reference.result, direct: views.direct.result });
    } finally {
      const release = this.release;
      this.release = undefined;
      release?.();
    }
  }
}

function divergenceOf(f: Frame): Divergence {
  const ev = f.events.reference ?? f.events.direct!;
  return {
    position: f.position,
    step: ev.step,
    index: ev.index,
    location: ev.location,
    ...(f.comparison.firstBinding ? { firstBinding: f.comparison.firstBinding } : {}),
    diffs: f.comparison.diffs,
  };
}

function placeOf(up: Step | "enter" | undefined, p: PreparedNode): StepPlace | undefined {
  if (up === undefined) return undefined;
  if (up === "enter") {
    const loc = p.node.nodeId.loc;
    return { step: "enter", op: "enter", file: loc.file, line: loc.line, col: loc.col };
  }
  return { step: up.name, op: up.op, file: up.loc.file, line: up.loc.line, col: up.loc.col };
}
