import { editSummary, type Replay } from "./replay.js";
import {
  applyReply,
  callsReply,
  diffReply,
  forkReply,
  modifyReply,
  openingReply,
  printReply,
  type Reply,
  rerunReply,
  stateReply,
  stepReply,
  whereReply,
} from "./replay-replies.js";
import { wrap } from "../debug/comparative/fit-text.js";
import { VesperError } from "../values/errors.js";

// The replay session's command language, shared by the REPL, --commands and stdin:
//   step [n]  back [n]  goto N  continue  print EXPR  state  calls  where
//   modify step N PARAM=VALUE   run   rerun   diff   apply   help   quit
// A thin layer: each command line is parsed into one call of the typed replay API
// (replay.ts), and its result rendered (replay-replies.ts) as text for people and
// one JSON object for --json. A mistake in a command throws a usage or input
// VesperError (isCommandMistake): the session reports it and goes on. Text is
// wrapped on words to `width` columns (continuation lines indented). It sits next
// to the API because it calls it, and nothing outside src/workbench may.

export type { Reply };

export interface ReplayCommandOptions {
  /** apply writes without asking. */
  yes: boolean;
  /** Asks the user to confirm (a TTY); absent when nobody can answer. */
  confirm?: (question: string) => Promise<boolean>;
  /** Text replies are word-wrapped to this many columns (default: not wrapped). */
  width?: number;
  /** What suggested commands add so they reach the same store (" --store FILE"), when the default would not. */
  storeArgument?: string;
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
  rerun                       fork the trace against the node file as it is now
                              (after a fix: would it have saved the run?)
  diff                        what the fork (or rerun) changed: steps, bindings, outputs
  apply                       write the step edits into the .vsp file (asks first; --yes skips)
  quit                        (at a terminal, asks first when step edits were not applied)
steps are marked ✓ ran, ✗ failed (as traces show marks them), ≠ departs from the recording`;

const MODIFY_USAGE = "modify step N PARAM=VALUE (e.g. modify step 4 timeout_ms=6000; step 0 edits an input)";

export class ReplayCommands {
  constructor(
    readonly replay: Replay,
    private readonly options: ReplayCommandOptions,
  ) {}

  /** A way to ask the user before apply writes, when a person is at a terminal. */
  setConfirm(ask: (question: string) => Promise<boolean>): void {
    this.options.confirm = ask;
  }

  /** What to say when the session opens. */
  opening(): Reply {
    return this.fit(openingReply(this.replay));
  }

  /** Runs one command. A mistake in it throws a usage or input VesperError. */
  async handle(line: string): Promise<Reply> {
    return this.fit(await this.reply(line));
  }

  /**
   * Asked before the session ends at a terminal: a question when ending would drop
   * step edits not written into the node file, else undefined.
   */
  leaving(): string | undefined {
    const lost = this.replay.unapplied;
    if (lost.length === 0) return undefined;
    return `${lost.length} edit${lost.length === 1 ? "" : "s"} not applied to ${this.replay.file} (${editSummary(lost)}); quit and drop ${lost.length === 1 ? "it" : "them"}? [y/N] `;
  }

  private fit(reply: Reply): Reply {
    const width = this.options.width;
    return width === undefined || reply.text === "" ? reply : { ...reply, text: wrap(reply.text, width, "    ") };
  }

  private async reply(line: string): Promise<Reply> {
    const r = this.replay;
    const trimmed = line.trim();
    const [command = "", ...rest] = trimmed.split(/\s+/);
    const arg = trimmed.slice(command.length).trim();
    switch (command) {
      case "step":
      case "s":
        return stepReply("step", await r.step(count(arg, "step")), r);
      case "back":
      case "b":
        return whereReply("back", r.back(count(arg, "back")));
      case "goto": {
        if (!/^\d+$/.test(arg))
          throw new CommandError(`goto needs a step number between 0 and ${r.last}, not '${arg}'`);
        const moved = await r.goto(Number(arg));
        return moved.kind === "rewound" ? whereReply("goto", moved.where) : stepReply("goto", moved.run, r);
      }
      case "continue":
      case "c":
        return stepReply("continue", await r.continue(), r);
      case "print":
      case "p":
        return printReply(arg, r.print(arg), r.position);
      case "state":
        return stateReply(r.state());
      case "calls":
        return callsReply(r.calls());
      case "where":
      case "w":
        return whereReply("where", r.where());
      case "modify":
        return this.modify(rest);
      case "run":
        return forkReply(await r.fork(), r, this.options.storeArgument);
      case "rerun":
        return rerunReply(await r.rerun(), r, this.options.storeArgument);
      case "diff":
        return diffReply(r.diff());
      case "apply":
        return applyReply(await r.apply({ yes: this.options.yes, confirm: this.options.confirm }));
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

  /** modify step N PARAM=VALUE: step 0 (enter) edits an input, any other step a parameter of that step. */
  private modify(args: string[]): Reply {
    if (args[0] !== "step" || !/^\d+$/.test(args[1] ?? "") || args.length < 3)
      throw new CommandError(`usage: ${MODIFY_USAGE}`);
    const index = Number(args[1]);
    const assignment = args.slice(2).join(" ");
    const eq = assignment.indexOf("=");
    if (eq <= 0) throw new CommandError(`'${assignment}' is not PARAM=VALUE; usage: ${MODIFY_USAGE}`);
    const param = assignment.slice(0, eq).trim();
    const value = assignment.slice(eq + 1).trim();
    const r = this.replay;
    // A trace with no rows has no step 0 either: editStep says so.
    const edit = index === 0 && r.last >= 0 ? r.editInput(param, value) : r.editStep(index, param, value);
    return modifyReply(edit, r.edits);
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
