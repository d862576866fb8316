import { type Breakpoints, parseBreakSpec, type Breakpoint, type Hit } from "./breakpoints.js";
import { Controller, type Move, type MoveOutcome } from "./controller.js";
import { DebugError } from "./debug-error.js";
import { compileExpression, evaluateOn } from "./expression.js";
import { diffJson, resultJson, sideJson, stepJson, stopJson } from "./json-events.js";
import { SIDES, type LockstepSession } from "./lockstep.js";
import { bindingDiffs, compareState } from "./step-compare.js";
import { diffLines, divergenceLines, renderView } from "./view.js";
import { wrap } from "./fit-text.js";
import { toJson, type Json } from "../../values/json.js";
import { formatValue } from "../../values/values.js";

// The debugger's command language, the same at the prompt, in --commands, in a
// --script file and on piped standard input. Each command line gives back text
// (for people) and JSON events (for --json); the session driver prints one of them.
// A mistake in a command is a DebugError: printed, and the session goes on.

export interface Reply {
  text?: string;
  json?: Json[];
  quit?: boolean;
}

export const HELP = `commands:
  step [n]        run n lockstep steps (default 1), stopping early at a breakpoint   (s)
  next            like step, but runs a whole branch as one step                      (n)
  continue        run until a breakpoint or the end of both runs                      (c)
  back [n]        go back n steps (default 1), restoring both runs' snapshots
  break SPEC      add a breakpoint: divergence, contract_violation,                   (b)
                  state_transition:FROM->TO ('*' for any), step:NAME, call:TOOL,
                  or an expression such as 'amount > 100' (stops when it becomes true)
  delete N        remove breakpoint N                                                 (d)
  breaks          list the breakpoints
  print EXPR      evaluate an expression on both runtimes                             (p)
  diff            every difference between the two runtimes at this point
  where           where each runtime is, and what runs next
  view            show the side-by-side view again
  help            this list
  quit            end the session                                                     (q)`;

const ALIASES: Record<string, string> = {
  s: "step",
  n: "next",
  c: "continue",
  cont: "continue",
  b: "break",
  d: "delete",
  p: "print",
  q: "quit",
  exit: "quit",
  bt: "where",
  info: "breaks",
  show: "view",
  list: "view",
  "?": "help",
  h: "help",
};

export class Interpreter {
  readonly controller: Controller;

  constructor(
    readonly session: LockstepSession,
    readonly breakpoints: Breakpoints,
    readonly width: number,
  ) {
    this.controller = new Controller(session, breakpoints);
  }

  async handle(line: string): Promise<Reply> {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return {};
    const m = /^(\S+)\s*(.*)$/s.exec(trimmed)!;
    const word = ALIASES[m[1]!] ?? m[1]!;
    const rest = m[2]!.trim();
    switch (word) {
      case "step":
        return this.move({ kind: "step", count: count(rest, "step") });
      case "next":
        return this.move(noArgs(rest, "next", { kind: "next" }));
      case "continue":
        return this.move(noArgs(rest, "continue", { kind: "continue" }));
      case "back":
        return this.back(count(rest, "back"));
      case "break":
        return this.addBreak(unquote(rest));
      case "delete":
        return this.deleteBreak(rest);
      case "breaks":
        return this.listBreaks();
      case "print":
        return this.print(unquote(rest));
      case "diff":
        return this.diff();
      case "where":
        return this.where();
      case "view":
        return { text: renderView(this.session, this.width), json: [stopJson(this.session, "view", [], false)] };
      case "help":
        return { text: HELP, json: [{ event: "help", text: HELP }] };
      case "quit":
        return { quit: true };
      default:
        throw new DebugError(`unknown command '${m[1]}' (help lists the commands)`);
    }
  }

  addBreakpoint(spec: string): Breakpoint {
    return this.breakpoints.add(parseBreakSpec(this.session.node, this.session.flow, spec));
  }

  private async move(move: Move): Promise<Reply> {
    if (this.session.done) throw new DebugError("both runs have ended: 'back N' to go back, or 'quit'");
    const outcome = await this.controller.move(move);
    const json: Json[] = outcome.frames.map(stepJson);
    json.push(stopJson(this.session, outcome.reason, outcome.hits, outcome.before));
    return { text: this.stopText(outcome), json };
  }

  private stopText(o: MoveOutcome): string {
    const lines: string[] = [];
    for (const h of o.hits) lines.push(wrap(hitLine(h), this.width));
    if (o.before && o.hits.length > 0) lines.push("(stopped before the step runs: 'step' runs it)");
    lines.push(renderView(this.session, this.width));
    if (this.session.done)
      lines.push(wrap("both runs have ended ('back N' goes back, 'quit' ends the session)", this.width));
    return lines.join("\n");
  }

  /** How the two runs ended and whether they diverged anywhere on the way. */
  endLines(): string[] {
    const s = this.session;
    const lines: string[] = [];
    for (const side of SIDES) {
      const r = s.current.views[side].result;
      const last = s.current.views[side].last;
      lines.push(
        `${side}: ${r ? `${r.status}${r.failure ? ` (${r.failure.code}: ${r.failure.message})` : ""}` : last ? `not finished (paused after #${last.index} ${last.step})` : "not started"}`,
      );
    }
    const first = s.firstDivergence;
    if (first) {
      const ev = first.events.reference ?? first.events.direct!;
      lines.push(
        `THE RUNTIMES DIVERGED, first at step #${ev.index} '${ev.step}' (${ev.location.file}:${ev.location.line})`,
      );
    } else {
      lines.push(
        s.done
          ? "the runtimes agree at every step"
          : `no divergence in the ${s.furthest} step${s.furthest === 1 ? "" : "s"} run`,
      );
    }
    return lines.map((l) => wrap(l, this.width));
  }

  endJson(): Json {
    const s = this.session;
    const first = s.firstDivergence;
    return {
      event: "end",
      position: s.current.position,
      furthest: s.furthest,
      finished: s.done,
      diverged: s.diverged,
      first_divergence: first
        ? {
            position: first.position,
            step: (first.events.reference ?? first.events.direct!).step,
            diffs: first.comparison.diffs.map(diffJson),
          }
        : null,
      reference: resultJson(s.current.views.reference.result),
      direct: resultJson(s.current.views.direct.result),
    };
  }

  private back(n: number): Reply {
    const went = this.session.back(n);
    const position = this.session.current.position;
    return {
      text: `went back ${went} step${went === 1 ? "" : "s"}${this.pausedAt()}\n${renderView(this.session, this.width)}`,
      json: [{ event: "back", steps: went, position }, stopJson(this.session, "back", [], false)],
    };
  }

  /** " to #2 compute_fee": where the reference (or else the direct) run is paused. */
  private pausedAt(): string {
    const v = this.session.current.views;
    const last = v.reference.last ?? v.direct.last;
    return last ? ` to #${last.index} ${last.step}` : " to the start";
  }

  private addBreak(spec: string): Reply {
    const bp = this.addBreakpoint(spec);
    return { text: wrap(`breakpoint ${bp.id}: ${describe(bp)}`, this.width), json: [breakJson("breakpoint", bp)] };
  }

  private deleteBreak(rest: string): Reply {
    if (!/^\d+$/.test(rest))
      throw new DebugError(`delete needs a breakpoint number (breaks lists them), not '${rest}'`);
    const bp = this.breakpoints.delete(Number(rest));
    return { text: `deleted breakpoint ${bp.id} (${bp.spec})`, json: [breakJson("deleted", bp)] };
  }

  private listBreaks(): Reply {
    const list = this.breakpoints.list;
    const text =
      list.length === 0
        ? "no breakpoints"
        : wrap(
            list
              .map((b) => `${String(b.id).padStart(3)}  ${describe(b)}  (hit ${b.hits} time${b.hits === 1 ? "" : "s"})`)
              .join("\n"),
            this.width,
            "     ",
          );
    return { text, json: [{ event: "breakpoints", breakpoints: list.map((b) => breakJson("breakpoint", b)) }] };
  }

  private print(text: string): Reply {
    if (text === "") throw new DebugError("print needs an expression, e.g. print fee or print input.amount * 2");
    const e = compileExpression(this.session.node, text);
    const views = this.session.current.views;
    const r = { reference: evaluateOn(e, views.reference), direct: evaluateOn(e, views.direct) };
    const differ =
      r.reference.ok && r.direct.ok ? bindingDiffs(text, r.reference.value, r.direct.value, this.session.rules) : [];
    const lines = SIDES.map((side) => {
      const x = r[side];
      return `${side.padEnd(9)}  ${x.ok ? formatValue(x.value) : `(${x.message})`}`;
    });
    if (differ.length > 0) lines.push(`the runtimes differ: ${differ[0]!.reason}`);
    const sideJson = (side: "reference" | "direct"): Json => {
      const x = r[side];
      return x.ok ? { value: toJson(x.value) } : { error: x.message };
    };
    return {
      text: wrap(lines.join("\n"), this.width, " ".repeat(11)),
      json: [
        {
          event: "print",
          expression: text,
          reference: sideJson("reference"),
          direct: sideJson("direct"),
          differ: differ.length > 0,
        },
      ],
    };
  }

  private diff(): Reply {
    const s = this.session;
    const f = s.current;
    const state = compareState(f.views.reference, f.views.direct, s.rules);
    const lines: string[] = [];
    if (f.comparison.diffs.length > 0) lines.push(...divergenceLines(s, f, this.width));
    else
      lines.push(
        f.position === 0
          ? "nothing has run yet"
          : `the last step${this.pausedAt().replace(" to", "")} did the same on both runtimes`,
      );
    const carried = state.filter((d) => !f.comparison.diffs.some((x) => x.path === d.path));
    if (carried.length > 0) {
      lines.push("differences carried from earlier steps:");
      for (const d of carried) lines.push(...diffLines(d, this.width));
    } else if (state.length === 0) lines.push("the two runtimes' states agree");
    return {
      text: lines.join("\n"),
      json: [
        { event: "diff", position: f.position, step: f.comparison.diffs.map(diffJson), state: state.map(diffJson) },
      ],
    };
  }

  private where(): Reply {
    const s = this.session;
    const lines = [
      `paused after ${s.current.position} lockstep step${s.current.position === 1 ? "" : "s"}${s.done ? " (both runs have ended)" : ""}`,
    ];
    for (const side of SIDES) {
      const v = s.current.views[side];
      const up = s.upcoming(side);
      const at = v.last
        ? `#${v.last.index} ${v.last.step} at ${v.last.location.file}:${v.last.location.line}`
        : "not started";
      const inside = v.last ? s.flow.enclosing(v.last.step).map((b) => b.name) : [];
      const next =
        up === undefined ? "nothing (ended)" : up === "enter" ? "enter" : `${up.name} (${up.op}, line ${up.loc.line})`;
      lines.push(`${side.padEnd(9)}  ${at}${inside.length ? ` in branch ${inside.join(" > ")}` : ""}; next: ${next}`);
    }
    return {
      text: wrap(lines.join("\n"), this.width, " ".repeat(11)),
      json: [
        {
          event: "where",
          position: s.current.position,
          reference: sideJson(s, "reference"),
          direct: sideJson(s, "direct"),
        },
      ],
    };
  }
}

function count(rest: string, command: string): number {
  if (rest === "") return 1;
  if (!/^\d+$/.test(rest) || Number(rest) < 1)
    throw new DebugError(`${command} takes a positive number of steps, not '${rest}'`);
  return Number(rest);
}

function noArgs<T>(rest: string, command: string, value: T): T {
  if (rest !== "") throw new DebugError(`${command} takes no arguments (got '${rest}')`);
  return value;
}

/** `break 'amount > 10'` and `break amount > 10` mean the same. */
function unquote(text: string): string {
  const m = /^(['"])(.*)\1$/s.exec(text);
  return m ? m[2]! : text;
}

export function describe(bp: Breakpoint): string {
  const when =
    bp.kind === "step" || bp.kind === "call"
      ? "stops before the step runs"
      : bp.kind === "expression"
        ? "stops when it becomes true"
        : "stops after the step";
  return `${bp.spec}  [${bp.kind}, ${when}]`;
}

function breakJson(event: string, bp: Breakpoint): Json {
  return { event, id: bp.id, kind: bp.kind, spec: bp.spec, hits: bp.hits };
}

function hitLine(h: Hit): string {
  return `breakpoint ${h.breakpoint.id} (${h.breakpoint.spec}): ${h.message}`;
}
