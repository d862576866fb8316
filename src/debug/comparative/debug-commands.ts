import type { Breakpoint, Hit } from "./breakpoints.js";
import { DebugError } from "./debug-error.js";
import type { DebugSession, SidePosition } from "./debug-session.js";
import { wrap } from "./fit-text.js";
import { diffJson, resultJson, sideJson, stepJson, stopJson } from "./json-events.js";
import { SIDES } from "./lockstep.js";
import type { MoveOutcome } from "./stepper.js";
import { diffLines, divergenceLines, renderView } from "./view.js";
import { type Json, toJson } from "../../values/json.js";
import { formatValue, keyOf } from "../../values/values.js";
import { ownTable } from "../../values/own-keys.js";

// The debugger's command language, the same at the prompt, in --commands, in a
// --script file and on piped standard input: a parser and renderer over the typed
// DebugSession, holding no session state of its own. Each command line gives back
// text (for people) and JSON events (for --json); the session driver prints one of
// them. A mistake in a command is a DebugError: printed, and the session goes on.

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

// Typed by users: an own-key table, so "constructor" or "toString" is an unknown command, not an alias.
const ALIASES = ownTable<string>({
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
});

export interface DebugCommandsOptions {
  /** Columns the text fits. */
  width: number;
  /** Said after the breakpoints in the opening, e.g. that they are the default. */
  breakpointsNote?: string;
}

export class DebugCommands {
  readonly width: number;

  constructor(
    readonly session: DebugSession,
    private readonly options: DebugCommandsOptions,
  ) {
    this.width = options.width;
  }

  async handle(line: string): Promise<Reply> {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return {};
    const m = /^(\S+)\s*(.*)$/s.exec(trimmed)!;
    const word = ALIASES[m[1]!] ?? m[1]!;
    const rest = m[2]!.trim();
    const s = this.session;
    switch (word) {
      case "step":
        return this.moved(await s.step(count(rest, "step")));
      case "next":
        noArgs(rest, "next");
        return this.moved(await s.next());
      case "continue":
        noArgs(rest, "continue");
        return this.moved(await s.continue());
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
        return { text: renderView(s.lockstep, this.width), json: [stopJson(s.lockstep, "view", [], false)] };
      case "help":
        return { text: HELP, json: [{ event: "help", text: HELP }] };
      case "quit":
        return { quit: true };
      default:
        throw new DebugError(`unknown command '${m[1]}' (help lists the commands)`);
    }
  }

  /** What the session prints first: the node, the breakpoints, the recording. */
  opening(): Reply {
    const s = this.session;
    const n = s.node.node;
    const bps = s.breakpoints;
    const from = s.replaying?.trace;
    const rec = s.recording;
    const lines = [
      `vesper debug: ${n.nodeId.value} (${n.file}), reference and direct runtimes in lockstep${from ? `, replaying trace ${from}` : ""}`,
      `breakpoints: ${bps.map((b) => `${b.id} ${describe(b)}`).join("; ")}${this.options.breakpointsNote ?? ""}`,
      ...(rec ? [`recording: ${rec.reference} (reference), ${rec.direct} (direct), group ${rec.group}`] : []),
      "type 'help' for the commands",
    ];
    return {
      text: wrap(lines.join("\n"), this.width),
      json: [
        {
          event: "session",
          node: n.nodeId.value,
          file: n.file,
          inputs: Object.fromEntries([...s.inputs].map(([k, v]) => [k, toJson(v)])),
          trace: from ?? null,
          breakpoints: bps.map((b) => ({ id: b.id, kind: b.kind, spec: b.spec })),
          traces: rec ? { ...rec } : null,
        },
      ],
    };
  }

  /** What the session prints last: how the runs ended, whether they diverged, where they were recorded. */
  closing(): Reply {
    const rec = this.session.recording;
    const recorded = rec
      ? `\n${wrap(`recorded: ${rec.reference} (reference), ${rec.direct} (direct), group ${rec.group}`, this.width)}`
      : "";
    return {
      text: `\n${this.endLines().join("\n")}${recorded}`,
      json: [{ ...(this.endJson() as object), traces: rec ? { ...rec } : null }],
    };
  }

  private moved(outcome: MoveOutcome): Reply {
    const json: Json[] = outcome.frames.map(stepJson);
    json.push(stopJson(this.session.lockstep, outcome.reason, outcome.hits, outcome.before));
    return { text: this.stopText(outcome), json };
  }

  private stopText(o: MoveOutcome): string {
    const lines: string[] = [];
    for (const h of o.hits) lines.push(wrap(hitLine(h), this.width));
    if (o.before && o.hits.length > 0) lines.push("(stopped before the step runs: 'step' runs it)");
    lines.push(renderView(this.session.lockstep, this.width));
    if (this.session.done)
      lines.push(wrap("both runs have ended ('back N' goes back, 'quit' ends the session)", this.width));
    return lines.join("\n");
  }

  /** How the two runs ended and whether they diverged anywhere on the way. */
  endLines(): string[] {
    const sum = this.session.summary();
    const where = this.session.where();
    const lines: string[] = [];
    for (const side of SIDES) {
      const r = sum.results[side];
      const last = where[side].last;
      lines.push(
        `${side}: ${r ? `${r.status}${r.failure ? ` (${r.failure.code}: ${r.failure.message})` : ""}` : last ? `not finished (paused after #${last.index} ${last.step})` : "not started"}`,
      );
    }
    const first = sum.firstDivergence;
    if (first) {
      lines.push(
        `THE RUNTIMES DIVERGED, first at step #${first.index} '${first.step}' (${first.location.file}:${first.location.line})`,
      );
    } else {
      lines.push(
        sum.finished
          ? "the runtimes agree at every step"
          : `no divergence in the ${sum.furthest} step${sum.furthest === 1 ? "" : "s"} run`,
      );
    }
    return lines.map((l) => wrap(l, this.width));
  }

  endJson(): Json {
    const sum = this.session.summary();
    const first = sum.firstDivergence;
    return {
      event: "end",
      position: sum.position,
      furthest: sum.furthest,
      finished: sum.finished,
      diverged: sum.diverged,
      first_divergence: first ? { position: first.position, step: first.step, diffs: first.diffs.map(diffJson) } : null,
      reference: resultJson(sum.results.reference),
      direct: resultJson(sum.results.direct),
    };
  }

  private back(n: number): Reply {
    const went = this.session.back(n);
    return {
      text: `went back ${went.steps} step${went.steps === 1 ? "" : "s"}${this.pausedAt()}\n${renderView(this.session.lockstep, this.width)}`,
      json: [
        { event: "back", steps: went.steps, position: went.position },
        stopJson(this.session.lockstep, "back", [], false),
      ],
    };
  }

  /** " to #2 compute_fee": where the reference (or else the direct) run is paused. */
  private pausedAt(): string {
    const w = this.session.where();
    const last = w.reference.last ?? w.direct.last;
    return last ? ` to #${last.index} ${last.step}` : " to the start";
  }

  private addBreak(spec: string): Reply {
    const bp = this.session.addBreakpoint(spec);
    return { text: wrap(`breakpoint ${bp.id}: ${describe(bp)}`, this.width), json: [breakJson("breakpoint", bp)] };
  }

  private deleteBreak(rest: string): Reply {
    if (!/^\d+$/.test(rest))
      throw new DebugError(`delete needs a breakpoint number (breaks lists them), not '${rest}'`);
    const bp = this.session.deleteBreakpoint(Number(rest));
    return { text: `deleted breakpoint ${bp.id} (${bp.spec})`, json: [breakJson("deleted", bp)] };
  }

  private listBreaks(): Reply {
    const list = this.session.breakpoints;
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
    const r = this.session.evaluate(text);
    const lines = SIDES.map((side) => {
      const x = r[side];
      return `${side.padEnd(9)}  ${x.ok ? formatValue(x.value) : `(${x.message})`}`;
    });
    const exact = r.reference.ok && r.direct.ok && keyOf(r.reference.value) === keyOf(r.direct.value);
    if (r.differences.length > 0) lines.push(`the runtimes differ: ${r.differences[0]!.reason}`);
    else if (r.reference.ok && r.direct.ok && !exact)
      lines.push("≈ equal within the node's tolerance, not bit for bit");
    const valueJson = (side: "reference" | "direct"): Json => {
      const x = r[side];
      return x.ok ? { value: toJson(x.value) } : { error: x.message };
    };
    return {
      text: wrap(lines.join("\n"), this.width, " ".repeat(11)),
      json: [
        {
          event: "print",
          expression: text,
          reference: valueJson("reference"),
          direct: valueJson("direct"),
          differ: r.differences.length > 0,
          exact,
        },
      ],
    };
  }

  private diff(): Reply {
    const d = this.session.diff();
    const lines: string[] = [];
    if (d.step.length > 0) lines.push(...divergenceLines(this.session.lockstep, this.session.frame, this.width));
    else
      lines.push(
        d.position === 0
          ? "nothing has run yet"
          : `the last step${this.pausedAt().replace(" to", "")} did the same on both runtimes`,
      );
    if (d.carried.length > 0) {
      lines.push("differences carried from earlier steps:");
      for (const x of d.carried) lines.push(...diffLines(x, this.width));
    } else if (d.state.length === 0) lines.push("the two runtimes' states agree");
    return {
      text: lines.join("\n"),
      json: [{ event: "diff", position: d.position, step: d.step.map(diffJson), state: d.state.map(diffJson) }],
    };
  }

  private where(): Reply {
    const s = this.session;
    const w = s.where();
    const lines = [
      `paused after ${s.position} lockstep step${s.position === 1 ? "" : "s"}${s.done ? " (both runs have ended)" : ""}`,
    ];
    for (const side of SIDES) lines.push(`${side.padEnd(9)}  ${whereLine(w[side])}`);
    return {
      text: wrap(lines.join("\n"), this.width, " ".repeat(11)),
      json: [
        {
          event: "where",
          position: s.position,
          reference: sideJson(s.lockstep, "reference"),
          direct: sideJson(s.lockstep, "direct"),
        },
      ],
    };
  }
}

/** "#2 compute_fee at examples/payment.vsp:64 in branch b; next: settle (compute, line 70)" */
function whereLine(p: SidePosition): string {
  const at = p.at ? `#${p.last!.index} ${p.at.step} at ${p.at.file}:${p.at.line}` : "not started";
  const next =
    p.next === undefined
      ? "nothing (ended)"
      : p.next.step === "enter"
        ? "enter"
        : `${p.next.step} (${p.next.op}, line ${p.next.line})`;
  return `${at}${p.inside.length ? ` in branch ${p.inside.join(" > ")}` : ""}; next: ${next}`;
}

function count(rest: string, command: string): number {
  if (rest === "") return 1;
  if (!/^\d+$/.test(rest) || Number(rest) < 1)
    throw new DebugError(`${command} takes a positive number of steps, not '${rest}'`);
  return Number(rest);
}

function noArgs(rest: string, command: string): void {
  if (rest !== "") throw new DebugError(`${command} takes no arguments (got '${rest}')`);
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
