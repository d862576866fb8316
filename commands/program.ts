import { Command, CommanderError } from "commander";
import { repeatExample } from "./common-flags.js";
import { EXIT, exitStatusFor } from "./exit-codes.js";
import { isReported, UsageError } from "../src/values/errors.js";

// What both programs share: exit statuses for commander's own errors, --debug,
// a last-resort handler so that no stack trace reaches a user by accident, and one
// clear error for arguments left over after a verb's own (which says how to give a
// repeatable flag several values, the usual cause).

export function createProgram(name: string, description: string): Command {
  const program = new Command(name)
    .description(description)
    .option("--debug", "print stack traces for internal errors")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error:/, `${name}: error:`)) });
  return program;
}

/** Commander's help and version exits are successes; every other commander error is bad usage. */
function exitCodeFor(err: CommanderError): number {
  return ["commander.helpDisplayed", "commander.help", "commander.version"].includes(err.code) ? EXIT.OK : EXIT.USAGE;
}

const guarded = new WeakSet<NodeJS.WriteStream>();

/**
 * A reader that stops early (`vesper traces list | head`) closes the pipe: the rest
 * of the output has nowhere to go, which is not an error of the program.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  // Once per stream, however many programs run in this process (tests run several).
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? EXIT.OK);
    throw err;
  });
}

export async function runProgram(program: Command, argv: string[]): Promise<void> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  // Subcommands inherit exit handling so their usage errors also exit 2.
  for (const cmd of program.commands) propagate(cmd, program);
  program.hook("preAction", (_program, verb) => refuseLeftoverArguments(verb));
  if (argv.some((a) => a === "--help" || a === "-h" || a === "help")) await sayWhichStore(program);
  try {
    await program.parseAsync(withoutHelpForUnknownVerb(program, argv));
  } catch (err) {
    process.exitCode = reportError(program.name(), err, {
      debug: argv.includes("--debug"),
      write: (text) => process.stderr.write(text),
    });
  }
}

/**
 * The one place that decides what a user sees of an error that reached the top,
 * and the exit status. Commander has already printed its own errors. A VesperError
 * that is not a bug is its message alone, never a stack trace, and exits by its
 * kind; anything else is an internal error whose stack trace shows only with --debug.
 */
export function reportError(
  name: string,
  err: unknown,
  how: { debug: boolean; write: (text: string) => void },
): number {
  if (err instanceof CommanderError) return exitCodeFor(err);
  if (isReported(err)) {
    how.write(`${name}: error: ${err.message}\n`);
    return exitStatusFor(err.kind);
  }
  how.write(`${name}: internal error: ${(err as Error)?.message ?? String(err)}\n`);
  how.write(
    how.debug ? `${(err as Error)?.stack ?? ""}\n` : "(rerun with --debug for the stack trace, and please report it)\n",
  );
  return EXIT.FAILURE;
}

/**
 * `vesper nosuch --help` (or `vesper help nosuch`) showed the program's help and exited 0,
 * as if the verb existed. Asking for help on a verb that does not exist is a typo to report:
 * without the help request, commander says "unknown command 'nosuch'" with its suggestion
 * and the run exits 2, as `vesper nosuch` does. Only the verb words are walked (a word
 * after an option may be the option's value, so the walk stops there).
 */
function withoutHelpForUnknownVerb(program: Command, argv: string[]): string[] {
  const words = argv.slice(2);
  const asksHelp = (w: string) => w === "--help" || w === "-h";
  if (!words.some(asksHelp) && words[0] !== "help") return argv;
  const rest = words[0] === "help" ? words.slice(1) : words;
  let cmd = program;
  let previous = "";
  for (const word of rest) {
    if (word.startsWith("-") || previous.startsWith("-") || cmd.commands.length === 0) break;
    const next = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) return [...argv.slice(0, 2), ...rest.filter((w) => !asksHelp(w))];
    cmd = next;
    previous = word;
  }
  return argv;
}

function propagate(cmd: Command, parent: Command): void {
  // Leftover arguments reach refuseLeftoverArguments, which explains them better than commander.
  if (cmd.commands.length === 0) cmd.allowExcessArguments(true);
  cmd
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      outputError: (text, write) => write(text.replace(/^error:/, `${parent.name()} ${cmd.name()}: error:`)),
    });
  for (const sub of cmd.commands) propagate(sub, cmd);
}

/**
 * The help of every verb with --store ends with the store a command run here would
 * use. Loaded only when help is asked for, so other commands never read the config.
 */
async function sayWhichStore(program: Command): Promise<void> {
  const { storeHereLine } = await import("./store-argument.js");
  const visit = (cmd: Command) => {
    if (cmd.options.some((o) => o.long === "--store")) cmd.addHelpText("after", () => storeHereLine());
    for (const sub of cmd.commands) visit(sub);
  };
  visit(program);
}

/**
 * More arguments than the verb takes: a usage error that lists them and, when a
 * repeatable flag was given, shows that it takes one value each time — the usual
 * cause is `--input a=1 b=2` (b=2 then stands where the file should).
 */
function refuseLeftoverArguments(verb: Command): void {
  const declared = verb.registeredArguments;
  if (declared.at(-1)?.variadic || verb.args.length <= declared.length) return;
  const takes =
    declared.length === 0
      ? "takes no arguments"
      : `takes ${declared.length === 1 ? "one argument" : `${declared.length} arguments`} (${declared.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(" ")})`;
  const got = verb.args.map((a) => `'${a}'`).join(", ");
  const repeated = verb.options.filter(
    (o) => repeatExample(o) !== undefined && verb.getOptionValueSource(o.attributeName()) === "cli",
  );
  // The example is the user's own: the flag's last value and the leftover that was meant for it.
  const leftover = verb.args.find((a) => !a.endsWith(".vsp"));
  const hint = repeated
    .map((o) => {
      const given = verb.getOptionValue(o.attributeName()) as string[];
      const [a, b] = leftover === undefined ? repeatExample(o)! : [given.at(-1)!, leftover];
      return `; ${o.long} takes one value each time: write ${o.long} ${a} ${o.long} ${b}, not ${o.long} ${a} ${b}`;
    })
    .join("");
  throw new UsageError(`${commandPath(verb)} ${takes}, but got ${verb.args.length}: ${got}${hint}`);
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}
