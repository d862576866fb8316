import { createInterface } from "node:readline";
import { existsSync, readFileSync } from "node:fs";
import { UsageError } from "./program.js";

// Drives a debugging session from whichever source the user chose: --commands
// "a; b; c", --script FILE, piped standard input, or an interactive prompt with
// history when standard input is a terminal. Every command's reply is printed as
// text, or as one JSON object per line with --json.

export interface SessionReply {
  text: string;
  json: object;
  error?: boolean;
  quit?: boolean;
}

export interface SessionSpec {
  prompt: string;
  opening(): SessionReply;
  handle(line: string): Promise<SessionReply>;
  /** Receives a function that asks the user a yes/no question, when a person is at a terminal. */
  confirm?(ask: (question: string) => Promise<boolean>): void;
  commands?: string;
  script?: string;
  json: boolean;
  /** What runs when no command is given at all (no flag, nothing on stdin). */
  defaultCommands?: string[];
}

export interface SessionOutcome {
  /** A scripted command answered with an error. */
  commandFailed: boolean;
}

function print(reply: SessionReply, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(reply.json)}\n`);
  else if (reply.text) (reply.error ? process.stderr : process.stdout).write(`${reply.text}\n`);
}

/** Splits --commands text on `;` and newlines; blank entries and # comments are skipped. */
export function splitCommands(text: string): string[] {
  return text.split(/[;\n]/).map((c) => c.trim()).filter((c) => c !== "" && !c.startsWith("#"));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function runSession(spec: SessionSpec): Promise<SessionOutcome> {
  if (spec.commands !== undefined && spec.script !== undefined) throw new UsageError("--commands and --script cannot be combined");
  if (spec.script !== undefined && !existsSync(spec.script)) throw new UsageError(`--script: no such file ${spec.script}`);
  const interactive = spec.commands === undefined && spec.script === undefined && process.stdin.isTTY === true;
  print(spec.opening(), spec.json);
  if (interactive) return interact(spec);
  let lines: string[];
  if (spec.commands !== undefined) lines = splitCommands(spec.commands);
  else if (spec.script !== undefined) lines = splitCommands(readFileSync(spec.script, "utf8"));
  else lines = splitCommands(await readStdin());
  if (lines.length === 0 && spec.commands === undefined) lines = spec.defaultCommands ?? [];
  let commandFailed = false;
  for (const line of lines) {
    if (!spec.json) process.stdout.write(`${spec.prompt}${line}\n`);
    const reply = await spec.handle(line);
    print(reply, spec.json);
    if (reply.error) commandFailed = true;
    if (reply.quit) break;
  }
  return { commandFailed };
}

async function interact(spec: SessionSpec): Promise<SessionOutcome> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: spec.prompt, historySize: 500, terminal: true });
  spec.confirm?.((question) => new Promise((resolve) => rl.question(question, (a) => resolve(/^y(es)?$/i.test(a.trim())))));
  rl.prompt();
  let last = "";
  for await (const input of rl) {
    // An empty line repeats the last command, as in gdb.
    const line = input.trim() === "" ? last : input;
    if (line.trim() === "") {
      rl.prompt();
      continue;
    }
    last = line;
    const reply = await spec.handle(line);
    print(reply, spec.json);
    if (reply.quit) break;
    rl.prompt();
  }
  rl.close();
  return { commandFailed: false };
}
