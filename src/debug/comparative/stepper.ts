import type { Breakpoints, Hit } from "./breakpoints.js";
import type { Frame, LockstepSession } from "./lockstep.js";

// The stepper: how a lockstep session moves. `step n`, `next` (over a branch's
// arms) and `continue`, each stopping early at a breakpoint or at the end of both
// runs. Breakpoints of the before-kind are not checked for the first step of a
// move, so continuing from a stop before step X runs X instead of stopping there
// again. (Not to be confused with the migration controller in src/verify.)

export type Move = { kind: "step"; count: number } | { kind: "next" } | { kind: "continue" };

export type StopReason = "breakpoint" | "ended" | "stepped";

export interface MoveOutcome {
  /** Every pause passed through, in order (the last is where it stopped). */
  frames: Frame[];
  reason: StopReason;
  hits: Hit[];
  /** A before-kind stop: the step has not run yet. */
  before: boolean;
}

/** A guard against a flow that never ends (loops are not in v0.1, but a runtime bug could still spin). */
const MAX_STEPS_PER_MOVE = 1_000_000;

export class Stepper {
  constructor(
    readonly session: LockstepSession,
    readonly breakpoints: Breakpoints,
  ) {}

  async move(move: Move, onFrame?: (f: Frame) => void): Promise<MoveOutcome> {
    const s = this.session;
    const frames: Frame[] = [];
    // `next` over a branch: run until the step that follows the whole branch.
    const over = move.kind === "next" ? overBranch(s) : undefined;
    const limit = move.kind === "step" ? move.count : MAX_STEPS_PER_MOVE;
    for (let i = 0; i < limit; i++) {
      if (s.done) return { frames, reason: "ended", hits: [], before: false };
      if (i > 0) {
        const hits = this.breakpoints.before({
          upcoming: { reference: s.upcoming("reference"), direct: s.upcoming("direct") },
        });
        if (hits.length > 0) return this.stop(frames, hits, true);
      }
      const previous = s.current;
      const frame = await s.advance();
      frames.push(frame);
      onFrame?.(frame);
      const hits = this.breakpoints.after({
        events: frame.events,
        comparison: frame.comparison,
        // Before anything ran counts as false, so a condition on the inputs alone stops at `enter`.
        previous: previous.position === 0 ? undefined : previous.views,
        views: frame.views,
      });
      if (hits.length > 0) return this.stop(frames, hits, false);
      if (over !== undefined && !stillInside(s, over)) break;
      if (move.kind === "next" && over === undefined) break;
    }
    return { frames, reason: s.done ? "ended" : "stepped", hits: [], before: false };
  }

  private stop(frames: Frame[], hits: Hit[], before: boolean): MoveOutcome {
    this.breakpoints.count(hits);
    return { frames, reason: "breakpoint", hits, before };
  }
}

/** The branch `next` steps over, when the step about to run is one. */
function overBranch(s: LockstepSession): string | undefined {
  const up = s.upcoming("reference") ?? s.upcoming("direct");
  return up && up !== "enter" && up.op === "branch" ? up.name : undefined;
}

function stillInside(s: LockstepSession, branch: string): boolean {
  const up = s.upcoming("reference") ?? s.upcoming("direct");
  return up !== undefined && up !== "enter" && s.flow.within(up.name, branch) && up.name !== branch;
}
