import { EXIT } from "./exit-codes.js";
import { runSession } from "./session-repl.js";
import { resolveStorePath } from "../src/config/config.js";
import { TraceStore } from "../src/store/store.js";
import { UsageError } from "../src/values/errors.js";
import { openReplay } from "../src/workbench/replay.js";
import { ReplayCommands, type Reply } from "../src/workbench/replay-commands.js";
import { storeArgument } from "./store-argument.js";

// `vesper replay <trace_id>`: time travel through a recorded run. Parses the flags,
// opens the replay through the workbench API and drives its command language with
// the session driver. Exit 0 when the session ran, 4 when the replay departed from
// the recording (the node changed or something was not deterministic), 2 for bad
// usage, an unknown trace, a store that cannot be used, or a scripted command that failed.

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
    const replay = openReplay(store, traceId, {
      file: flags.file,
      live: flags.live ?? false,
      allowIrreversible: flags.allowIrreversible ?? false,
    });
    // At a terminal, text is wrapped on words to its width (the terminal would cut words); piped, lines stay whole.
    const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
    const width = columns === undefined ? undefined : Math.max(40, columns);
    const commands = new ReplayCommands(replay, {
      yes: flags.yes ?? false,
      width,
      storeArgument: storeArgument(flags.store),
    });
    const asSession = (r: Reply) => ({ text: r.text, json: [r.json], quit: r.quit });
    const summary = await runSession(
      {
        prompt: "(vesper-replay) ",
        start: () => asSession(commands.opening()),
        handle: async (line) => asSession(await commands.handle(line)),
        confirm: (ask) => commands.setConfirm(ask),
        leaving: () => commands.leaving(),
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
    return replay.mismatches.length > 0 ? EXIT.DIVERGENCE : EXIT.OK;
  } finally {
    store.close();
  }
}
