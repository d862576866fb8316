import { wholeNumber } from "./common-flags.js";
import { EXIT } from "./exit-codes.js";
import { reportInvalidNode } from "./node-file.js";
import { type RunFlags, seedFromFlags } from "./run-options.js";
import { runSession } from "./session-repl.js";
import { behaviourFromFlags } from "./sim-options.js";
import { resolveStorePath } from "../src/config/config.js";
import { DebugCommands, type DebugSession, openDebugSession } from "../src/workbench/debug-session.js";
import { UsageError } from "../src/values/errors.js";

// `vesper debug <file> --comparative`: both runtimes in lockstep on one input,
// side by side, stopping at semantic breakpoints. The flags open a workbench debug
// session (src/workbench/debug-session.ts); the session's text commands
// (DebugCommands) are driven by runSession. Exit 0 when no divergence was found, 4
// when one was, 2 for bad usage (a bad flag or breakpoint, an invalid node, a trace
// that cannot be read, or a scripted command that failed).

export interface DebugFlags extends RunFlags {
  comparative?: boolean;
  breakOn?: string[];
  commands?: string;
  script?: string;
  json?: boolean;
  width?: string;
  trace?: string;
  store?: string;
  record?: boolean;
  sim?: string[];
  directTier?: "closures" | "generated";
}

export async function debugCommand(file: string | undefined, flags: DebugFlags): Promise<number> {
  const terminal = process.stdout.columns && process.stdout.columns >= 40 ? process.stdout.columns : 80;
  const width = wholeNumber(flags.width, "--width", { min: 40, max: 1000, fallback: terminal });
  const fromTrace = flags.trace !== undefined;
  if (file === undefined && !fromTrace)
    throw new UsageError("vesper debug needs a .vsp file, or --trace <id> to debug a recorded run");
  const record = flags.record !== false;

  let session: DebugSession;
  try {
    session = openDebugSession({
      node: file,
      trace: flags.trace,
      inputs: { assignments: flags.input, mapping: flags.inputs, sample: flags.sample },
      seed: flags.seed === undefined ? undefined : seedFromFlags(flags),
      behaviour: behaviourFromFlags(flags.sim),
      directTier: flags.directTier,
      breakpoints: flags.breakOn,
      breakpointsFrom: "--break-on",
      record,
      store: fromTrace || record ? resolveStorePath(flags.store) : undefined,
    });
  } catch (err) {
    if (!reportInvalidNode(err, file)) throw err;
    return EXIT.USAGE;
  }
  for (const note of session.notes) process.stderr.write(`note: ${note}\n`);

  const commands = new DebugCommands(session, {
    width,
    breakpointsNote: flags.breakOn?.length ? "" : " (the default; --break-on sets others)",
  });
  try {
    const summary = await runSession(
      {
        prompt: "(vesper-db) ",
        start: () => commands.opening(),
        handle: (line) => commands.handle(line),
        end: () => commands.closing(),
      },
      {
        commands: flags.commands,
        script: flags.script,
        json: flags.json,
        // With no commands at all (e.g. in CI), run to the first stop: the exit status says whether the runtimes diverged.
        defaultCommands: ["continue"],
      },
    );
    // A scripted command that failed makes the script bad usage; at a prompt the user just typed it again.
    const scripted = flags.commands !== undefined || flags.script !== undefined || !process.stdin.isTTY;
    if (summary.failed > 0 && scripted) return EXIT.USAGE;
    return session.diverged ? EXIT.DIVERGENCE : EXIT.OK;
  } finally {
    session.close();
  }
}
