import { DebugError } from "./debug-error.js";
import { FlowMap } from "./flow-map.js";
import { SideView } from "./side-view.js";
import { compareStep, type CompareRules, type StepComparison } from "./step-compare.js";
import { DEFAULT_TOLERANCE } from "../../exec/comparator.js";
import type { Step } from "../../ir/ast.js";
import type { ExecutionContext } from "../../runtime/context.js";
import type { PreparedNode } from "../../runtime/prepared.js";
import type { Execution, RuntimeName, Snapshot, StepEvent } from "../../runtime/protocol.js";
import type { Runtime } from "../../runtime/runtime.js";
import type { Value } from "../../values/values.js";

// The lockstep driver: both runtimes on the same inputs, each on its own
// ExecutionContext, the direct one served the reference's recorded clock, random
// numbers and tool results (or both served a recorded trace's), so any difference
// is the runtimes' and not the world's. Each lockstep step advances every run that
// has not ended by one event and compares the two. Every pause keeps both runs'
// snapshots, so `back` restores a pause instead of re-running from the start.

export const SIDES: readonly RuntimeName[] = ["reference", "direct"];

export interface Frame {
  /** Lockstep steps executed to reach this pause; 0 before anything ran. */
  position: number;
  snapshots: Record<RuntimeName, Snapshot>;
  views: Record<RuntimeName, SideView>;
  /** What each run did in the step that led here (absent for a run that had already ended). */
  events: Partial<Record<RuntimeName, StepEvent>>;
  comparison: StepComparison;
}

/** Told of every event as it happens, e.g. to record the runs. */
export interface StepObserver {
  /** Before `side` runs the step that leads to `position`. */
  stepping(side: RuntimeName, position: number): void;
  stepped(side: RuntimeName, event: StepEvent, durationUs: number, position: number): void;
}

export interface LockstepOptions {
  node: PreparedNode;
  inputs: Map<string, Value>;
  runtimes: Record<RuntimeName, Runtime>;
  contexts: Record<RuntimeName, ExecutionContext>;
  observer?: StepObserver;
}

export class LockstepSession {
  readonly flow: FlowMap;
  readonly rules: CompareRules;
  readonly frames: Frame[] = [];
  readonly node: PreparedNode;
  readonly inputs: Map<string, Value>;
  readonly contexts: Record<RuntimeName, ExecutionContext>;
  private readonly runs: Record<RuntimeName, Execution>;
  /** The furthest position reached and the first diverging position seen, across `back`. */
  furthest = 0;
  firstDivergence: Frame | undefined;

  constructor(private readonly options: LockstepOptions) {
    const p = (this.node = options.node);
    this.inputs = options.inputs;
    this.contexts = options.contexts;
    this.flow = new FlowMap(p.node);
    this.rules = {
      tolerance: p.node.verification.tolerance ?? DEFAULT_TOLERANCE,
      noisy: p.node.verification.noisyFields.map((f) => f.value),
    };
    this.runs = {
      reference: options.runtimes.reference.start(p, options.inputs, options.contexts.reference),
      direct: options.runtimes.direct.start(p, options.inputs, options.contexts.direct),
    };
    this.frames.push({
      position: 0,
      snapshots: { reference: this.runs.reference.snapshot(), direct: this.runs.direct.snapshot() },
      views: {
        reference: SideView.initial("reference", p, options.inputs),
        direct: SideView.initial("direct", p, options.inputs),
      },
      events: {},
      comparison: { diffs: [] },
    });
  }

  get current(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  get previous(): Frame | undefined {
    return this.frames[this.frames.length - 2];
  }

  get done(): boolean {
    return SIDES.every((s) => this.current.views[s].done);
  }

  upcoming(side: RuntimeName): Step | "enter" | undefined {
    return this.flow.upcoming(this.current.views[side].last);
  }

  /** One lockstep step: each run that has not ended runs its next step; then they are compared. */
  async advance(): Promise<Frame> {
    if (this.done) throw new DebugError("both runs have ended: 'back N' to go back, or 'quit'");
    const before = this.current;
    const position = before.position + 1;
    const views = { reference: before.views.reference.clone(), direct: before.views.direct.clone() };
    const events: Partial<Record<RuntimeName, StepEvent>> = {};
    for (const side of SIDES) {
      if (views[side].done) {
        views[side].changed = new Set();
        continue;
      }
      this.options.observer?.stepping(side, position);
      const started = performance.now();
      const ev = await this.runs[side].next();
      this.options.observer?.stepped(side, ev, (performance.now() - started) * 1000, position);
      views[side].apply(ev);
      events[side] = ev;
    }
    const frame: Frame = {
      position,
      snapshots: { reference: this.runs.reference.snapshot(), direct: this.runs.direct.snapshot() },
      views,
      events,
      comparison: compareStep(views.reference, views.direct, events.reference, events.direct, this.rules),
    };
    this.frames.push(frame);
    this.furthest = Math.max(this.furthest, position);
    if (frame.comparison.diffs.length > 0 && (!this.firstDivergence || position < this.firstDivergence.position))
      this.firstDivergence = frame;
    return frame;
  }

  /** Returns to the pause `n` steps back (restoring both runs' snapshots); how many steps it went back. */
  back(n: number): number {
    const steps = Math.min(n, this.frames.length - 1);
    if (steps === 0) throw new DebugError("already at the start: nothing has run yet");
    this.frames.length -= steps;
    const f = this.current;
    for (const side of SIDES) this.runs[side].restore(f.snapshots[side]);
    return steps;
  }

  get diverged(): boolean {
    return this.firstDivergence !== undefined;
  }
}
