import { EXIT } from "./exit-codes.js";
import { UsageError } from "../src/values/errors.js";
import { runSession } from "./session-repl.js";
import { resolveStorePath } from "../src/config/config.js";
import { ReplayInterpreter, type Reply } from "../src/debug/replay/replay-commands.js";
import { ReplaySession } from "../src/debug/replay/replay-session.js";
import { InvalidNodeError } from "../src/runtime/prepared.js";
import { StoreError } from "../src/store/store-error.js";
import { TraceStore } from "../src/store/store.js";

// `vesper replay <trace_id>`: time travel through a recorded run. Exit 0 when the
// session ran, 4 when the replay departed from the recording (the node changed or
// something was not deterministic), 2 for bad usage, an unknown trace, a store that
// cannot be used, or a scripted command that failed.

export interface ReplayFlags {
  store?: string;
  file?: string;
  commands?: string;
  script?: string;
  json?: boolean;
  live?: boolean;
  allowIrreversible?: boolean;
  yes?: boolean;
}

export async function replayCommand(traceId: string, flags: ReplayFlags): Promise<number> {
  if (flags.allowIrreversible && !flags.live) throw new UsageError("--allow-irreversible only makes sense with --live");
  const store = TraceStore.open(resolveStorePath(flags.store), { mustExist: true });
  try {
    let session: ReplaySession;
    try {
      session = new ReplaySession(store, traceId, { file: flags.file });
    } catch (err) {
      if (!(err instanceof InvalidNodeError)) throw err;
      const d = err.diagnostics.find((x) => x.severity === "error")!;
      throw new StoreError(
        `the node file no longer validates, so trace ${traceId} cannot be replayed: ${d.file}:${d.line}:${d.col}: ${d.code}: ${d.message}`,
      );
    }
    const interpreter = new ReplayInterpreter(store, session, {
      live: flags.live ?? false,
      allowIrreversible: flags.allowIrreversible ?? false,
      yes: flags.yes ?? false,
    });
    const asSession = (r: Reply) => ({ text: r.text, json: [r.json], quit: r.quit });
    const summary = await runSession(
      {
        prompt: "(vesper-replay) ",
        start: () => asSession(interpreter.opening()),
        handle: async (line) => asSession(await interpreter.handle(line)),
        confirm: (ask) => interpreter.setConfirm(ask),
      },
      {
        commands: flags.commands,
        script: flags.script,
        json: flags.json ?? false,
        // With nothing to do, a replay runs to the end: `vesper replay ID` checks that the trace reproduces.
        defaultCommands: ["continue"],
      },
    );
    // A scripted command that failed makes the script bad usage; at a prompt the user just typed it again.
    const scripted = flags.commands !== undefined || flags.script !== undefined || !process.stdin.isTTY;
    if (summary.failed > 0 && scripted) return EXIT.USAGE;
    return session.mismatches.length > 0 ? EXIT.DIVERGENCE : EXIT.OK;
  } finally {
    store.close();
  }
}
