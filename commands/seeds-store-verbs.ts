import type { Command } from "commander";
import { jsonOption, storeOption } from "./common-flags.js";
import type { SeedStoreFlags } from "./seeds-store.js";

// `veyra seeds watch|list|show|verify`: the seed runs recorded in the trace store,
// read from outside the trainer. Flags and help only; each implementation is
// imported when it runs (so `veyra --help` loads neither SQLite readers nor TF.js).

/** Each verb's exit statuses: what they share, and what only one of them can end with. */
const statusHelp = (own = "", takesRun = true) =>
  `\nExit status: 0 on success; ${own}2 for bad usage${takesRun ? ", an unknown run id," : ""} or a file that is\nnot a usable trace store.`;
const WATCH_STATUS = `${statusHelp()} 130 when Ctrl-C stops watching.`;
const VERIFY_STATUS = statusHelp("1 when a row was edited, removed or\nreordered; ");

export function registerSeedStoreVerbs(seeds: Command): void {
  seeds
    .command("watch")
    .description("follow a seed run live as its trainer records it: epochs, stage changes, gate results")
    .argument(
      "[run_id]",
      "a run id (a unique prefix is enough); default: the newest running run, else the next to start",
    )
    .addOption(jsonOption("one JSON object per event (also the default when standard output is not a terminal)"))
    .addOption(storeOption())
    .addHelpText(
      "after",
      `\nFollows the store from another process without ever blocking the trainer, from the run's\nstart; ends when the run finishes. The store must exist.${WATCH_STATUS}`,
    )
    .action(async (id: string | undefined, opts: SeedStoreFlags) => {
      const { watchCommand } = await import("./seeds-watch.js");
      process.exitCode = await watchCommand(id, opts);
    });

  seeds
    .command("list")
    .description("seed runs recorded in the store, newest first")
    .option("--status <status>", "only runs with this status (running, finished, interrupted, failed)")
    .option("--limit <n>", "at most this many (default 20)")
    .addOption(jsonOption("one JSON object per run"))
    .addOption(storeOption())
    // list takes no run id, so an unknown one is not among its statuses.
    .addHelpText("after", statusHelp("", false))
    .action(async (opts: SeedStoreFlags & { status?: string; limit?: string }) => {
      const { listCommand } = await import("./seeds-store.js");
      process.exitCode = listCommand(opts);
    });

  seeds
    .command("show")
    .description("a seed run: each seed's stages and gates, a metrics summary, final accuracy against the baseline")
    .argument("<run_id>", "a run id (a unique prefix is enough)")
    .addOption(jsonOption("the whole run as one JSON object"))
    .addOption(storeOption())
    .addHelpText("after", statusHelp())
    .action(async (id: string, opts: SeedStoreFlags) => {
      const { showCommand } = await import("./seeds-store.js");
      process.exitCode = showCommand(id, opts);
    });

  seeds
    .command("verify")
    .description("check a seed run's hash-chained events and name the first row edited, removed or reordered")
    .argument("<run_id>", "a run id (a unique prefix is enough)")
    .addOption(jsonOption("the report as one JSON object"))
    .addOption(storeOption())
    .addHelpText("after", `\ndocs/seeds-telemetry.md says what is checked.${VERIFY_STATUS}`)
    .action(async (id: string, opts: SeedStoreFlags) => {
      const { verifyCommand } = await import("./seeds-store.js");
      process.exitCode = verifyCommand(id, opts);
    });
}
