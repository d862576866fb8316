import { appendFileSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { isCommandMistake, UsageError } from "../src/values/errors.js";

// A generic driver for command sessions (vesper debug, vesper replay): the same
// commands typed at an interactive prompt, given as --commands "a; b; c", read from
// a --script file, or piped on standard input.
//
//   await runSession(handler, { commands, script, json, interactive })
//
//   handler.prompt        the prompt shown at a terminal, e.g. "(vesper-db) "
//   handler.start()       optional; its reply is printed before the first command
//   handler.handle(line)  runs one command line; returns { text?, json?, quit? }
//   handler.end()         optional; printed when the session ends (quit or end of input)
//   A command that throws a usage or input VesperError (isCommandMistake) was the
//   user's mistake: it is printed as "error: …" (to stderr, or as {"event":"error"}
//   with --json) and the session goes on; anything else is a bug and propagates.
//   handler.confirm(ask)  optional; at a terminal, receives a yes/no question asker.
//   handler.leaving()     optional; at a terminal, a question to ask before the session
//                         ends (e.g. edits that would be dropped); not yes goes back.
//
// At a terminal, Ctrl-C clears the line being typed (as a shell does); on an empty
// line a second Ctrl-C, or Ctrl-D, ends the session, on a fresh line.
//
//   options.defaultCommands  what runs when no command is given at all (no flag,
//                         nothing on standard input), e.g. ["continue"].
//   The summary says how many commands failed: a scripted session with a failed
//   command should exit 2 (the commands were bad usage).
//
// Where commands come from: --commands (split on ';' outside quotes), else
// --script FILE (one command a line, '#' comments), else the terminal when
// standard input is a TTY (readline with a prompt, line editing and history kept
// in $VESPER_HISTORY or ~/.vesper_history), else standard input line by line.
// With json, each reply's JSON objects are printed one per line and text is not;
// without it, scripted commands are echoed after the prompt so a transcript reads
// like the interactive session. Commands run strictly one at a time, in order.

export interface SessionReply {
  text?: string;
  json?: unknown[];
  quit?: boolean;
}

export interface SessionHandler {
  prompt: string;
  start?(): Promise<SessionReply> | SessionReply;
  handle(line: string): Promise<SessionReply>;
  end?(): Promise<SessionReply> | SessionReply;
  confirm?(ask: (question: string) => Promise<boolean>): void;
  /** At a terminal, before the session ends: a yes/no question when ending would lose something. */
  leaving?(): string | undefined;
}

export interface SessionOptions {
  commands?: string;
  script?: string;
  json?: boolean;
  /** Defaults to whether standard input is a terminal (and no commands or script was given). */
  interactive?: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  errors?: NodeJS.WritableStream;
  defaultCommands?: string[];
}

export interface SessionSummary {
  /** Commands run, including ones that failed. */
  commands: number;
  /** Commands that failed with a command error. */
  failed: number;
  quit: boolean;
}

export async function runSession(handler: SessionHandler, options: SessionOptions = {}): Promise<SessionSummary> {
  const out = options.output ?? process.stdout;
  const err = options.errors ?? process.stderr;
  const input = options.input ?? process.stdin;
  if (options.commands !== undefined && options.script !== undefined)
    throw new UsageError("--commands and --script cannot be combined");
  const scripted = options.commands !== undefined || options.script !== undefined;
  const interactive = options.interactive ?? (!scripted && Boolean((input as NodeJS.ReadStream).isTTY));
  const summary: SessionSummary = { commands: 0, failed: 0, quit: false };
  // Read the script before anything is printed, so a missing file is only a usage error.
  const scriptLines =
    options.commands === undefined && options.script !== undefined ? readScript(options.script) : undefined;

  const print = (reply: SessionReply) => {
    if (options.json) for (const j of reply.json ?? []) out.write(`${JSON.stringify(j)}\n`);
    else if (reply.text) out.write(`${reply.text}\n`);
  };
  /** Runs one line; false when the session should end. */
  const run = async (line: string, echo: boolean): Promise<boolean> => {
    if (line.trim() === "" || line.trim().startsWith("#")) return true;
    if (echo && !options.json) out.write(`${handler.prompt}${line.trim()}\n`);
    summary.commands++;
    try {
      const reply = await handler.handle(line);
      print(reply);
      if (reply.quit) summary.quit = true;
      return !reply.quit;
    } catch (e) {
      if (!isCommandMistake(e)) throw e;
      summary.failed++;
      const message = (e as Error).message;
      if (options.json) out.write(`${JSON.stringify({ event: "error", command: line.trim(), message })}\n`);
      else err.write(`error: ${message}\n`);
      return true;
    }
  };

  if (handler.start) print(await handler.start());
  if (options.commands !== undefined) {
    for (const line of splitCommands(options.commands)) if (!(await run(line, true))) break;
  } else if (scriptLines !== undefined) {
    for (const line of scriptLines) if (!(await run(line, true))) break;
  } else if (interactive) {
    await interactiveLoop(handler, input, out, run);
  } else {
    const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    let any = false;
    for await (const line of rl) {
      any ||= line.trim() !== "" && !line.trim().startsWith("#");
      if (!(await run(line, true))) break;
    }
    rl.close();
    if (!any) for (const line of options.defaultCommands ?? []) if (!(await run(line, true))) break;
  }
  if (handler.end) print(await handler.end());
  return summary;
}

/** How one readline session at the terminal ended. */
type Ending = "quit" | "end-of-input" | "interrupt";

/**
 * The prompt at a terminal. Ctrl-C clears the line being typed, as a shell does; on an
 * empty line it says how to leave, and a second Ctrl-C there (or Ctrl-D) ends the
 * session, on a fresh line. Before the session ends, `handler.leaving()` may ask a
 * question (edits that would be lost); anything but yes goes back to the prompt.
 */
async function interactiveLoop(
  handler: SessionHandler,
  input: NodeJS.ReadableStream,
  out: NodeJS.WritableStream,
  run: (line: string, echo: boolean) => Promise<boolean>,
): Promise<void> {
  const historyFile = process.env.VESPER_HISTORY ?? join(homedir(), ".vesper_history");
  const last = { line: "" };
  for (;;) {
    const ending = await promptUntilEnd(handler, input, out, run, historyFile, last);
    // Ctrl-D and Ctrl-C leave the cursor after the prompt: end on a line of its own.
    if (ending !== "quit") out.write("\n");
    const question = handler.leaving?.();
    if (question === undefined || (await askOnce(input, out, question))) return;
  }
}

function promptUntilEnd(
  handler: SessionHandler,
  input: NodeJS.ReadableStream,
  out: NodeJS.WritableStream,
  run: (line: string, echo: boolean) => Promise<boolean>,
  historyFile: string,
  last: { line: string },
): Promise<Ending> {
  const rl = createInterface({
    input,
    output: out,
    terminal: true,
    prompt: handler.prompt,
    history: loadHistory(historyFile),
    historySize: 1000,
    removeHistoryDuplicates: true,
  });
  handler.confirm?.(
    (question) => new Promise((resolve) => rl.question(question, (a) => resolve(/^y(es)?$/i.test(a.trim())))),
  );
  return new Promise<Ending>((resolve, reject) => {
    let busy = Promise.resolve(true);
    let ending: Ending = "end-of-input";
    let closed = false;
    // Set by a Ctrl-C on an empty line: a second one there ends the session.
    let armed = false;
    rl.on("SIGINT", () => {
      const editable = rl as unknown as { line: string; cursor: number };
      if (editable.line !== "") {
        // Like a shell: the typed text stays on screen, marked ^C, and a fresh prompt follows.
        armed = false;
        editable.line = "";
        editable.cursor = 0;
        out.write("^C\n");
        rl.prompt();
        return;
      }
      if (armed) {
        ending = "interrupt";
        rl.close();
        return;
      }
      armed = true;
      out.write("^C\n(Ctrl-C again or Ctrl-D to leave; quit ends the session)\n");
      rl.prompt();
    });
    rl.on("line", (typed) => {
      armed = false;
      // Lines typed while a command runs wait their turn.
      busy = busy
        .then(async (go) => {
          if (!go) return false;
          // An empty line repeats the last command, as in gdb.
          const line = typed.trim() === "" ? last.line : typed;
          if (line.trim() === "") {
            rl.prompt();
            return true;
          }
          last.line = line;
          if (typed.trim() !== "") saveHistory(historyFile, line);
          const more = await run(line, false);
          if (more) rl.prompt();
          else {
            ending = "quit";
            rl.close();
          }
          return more;
        })
        .catch((e) => {
          reject(e);
          return false;
        });
    });
    rl.on("close", () => {
      if (closed) return;
      closed = true;
      void busy.then(() => resolve(ending));
    });
    rl.prompt();
  });
}

/** Asks one yes/no question at the terminal; no unless the answer is y or yes (Ctrl-C and Ctrl-D mean no). */
function askOnce(input: NodeJS.ReadableStream, out: NodeJS.WritableStream, question: string): Promise<boolean> {
  const rl = createInterface({ input, output: out, terminal: true });
  return new Promise((resolve) => {
    let answered = false;
    const done = (yes: boolean) => {
      if (answered) return;
      answered = true;
      rl.close();
      resolve(yes);
    };
    rl.on("SIGINT", () => {
      out.write("^C\n");
      done(false);
    });
    rl.on("close", () => {
      if (!answered) out.write("\n");
      done(false);
    });
    rl.question(question, (a) => done(/^y(es)?$/i.test(a.trim())));
  });
}

function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean).reverse().slice(0, 1000);
  } catch {
    return [];
  }
}

function saveHistory(file: string, line: string): void {
  if (line.trim() === "" || file === "") return;
  try {
    appendFileSync(file, `${line.trim()}\n`);
  } catch {
    // History is a convenience; a read-only home must not break the session.
  }
}

function readScript(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split(/\r?\n/);
  } catch (e) {
    throw new UsageError(
      `--script: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`,
    );
  }
}

/** "step 2; print 'a;b'; continue" → three commands; ';' inside quotes is kept. */
export function splitCommands(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      cur += ch;
    } else if (ch === ";" || ch === "\n") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim()).filter((c) => c !== "");
}
