import { Option, type Command } from "commander";
import { jsonOption, repeatable, storeOption } from "../common-flags.js";
import type { FollowFlags } from "../traces-follow.js";
import type { ListFlags, StoreFlags } from "../traces.js";

// `vesper traces …`: flags and help; the implementation is imported only when it runs.

export function registerTraces(program: Command): void {
  const traces = program
    .command("traces")
    .description("list, show, follow, verify, export and clean up recorded traces")
    .addHelpText(
      "after",
      "\nExit status: 0 on success; 1 when verify finds a tampered trace; 2 for bad usage,\nan unknown trace id, or a file that is not a usable trace store.",
    );

  traces
    .command("list")
    .description("recorded traces, newest first")
    .option("--node <id>", "only traces of this node id (exactly)")
    .addOption(
      repeatable(
        "--match <text>",
        "only traces whose node id or node file contains this text (ASCII letters in any case)",
        ["payment", "examples/"],
      ),
    )
    .option(
      "--status <status>",
      "only traces with this status (success, error, contract_violation, runtime_error, incomplete, running), or failed: any but success and running",
    )
    .option(
      "--since <date>",
      "only traces started at or after this UTC date or date-time (2026-11-01, 2026-11-01T09:30Z)",
    )
    .option("--until <date>", "only traces started before this date-time, or on or before this date (UTC)")
    .option("--limit <n>", "at most this many (default 20)")
    .addOption(jsonOption("one JSON object per trace"))
    .addOption(storeOption())
    .addHelpText(
      "after",
      "\nDates are read as UTC unless they end in Z or an offset (+02:00); a space may stand for the T.\nThe filters are applied by the store, so they reach every trace, however old.",
    )
    .action(async (opts: ListFlags) => {
      const { listCommand } = await import("../traces.js");
      process.exitCode = listCommand(opts);
    });

  traces
    .command("show")
    .description("a trace's step timeline: ✓/✗ per step, durations, bindings, calls")
    .argument("<trace_id>", "a trace id (a unique prefix is enough)")
    .option("--at <step>", "instead, the recorded bindings and state after this step (read from checkpoints)")
    .option("--limit <n>", "show the first n step rows (default 1000)")
    .option("--all", "show every step row, however many")
    .addOption(jsonOption())
    .addOption(storeOption())
    .addHelpText(
      "after",
      "\nWarns first when the trace fails its check (vesper traces verify names every problem).\nA row that cannot be read is shown as unreadable; the rest of the trace still shows.",
    )
    .action(async (id: string, opts: StoreFlags & { at?: string; limit?: string; all?: boolean }) => {
      const { showCommand } = await import("../traces.js");
      process.exitCode = showCommand(id, opts);
    });

  traces
    .command("verify")
    .description("check one trace (or every trace) against its hash chain and seal, and name every change found")
    .argument("[trace_id]", "a trace id; all traces when omitted")
    .addOption(jsonOption("one JSON object per trace"))
    .addOption(storeOption())
    .addHelpText(
      "after",
      "\nWith VEYRA_TRACE_KEY set, a trace must carry a seal made with that key (HMAC-SHA256):\na trace edited and resealed without the key fails. docs/trace-store.md lists what is checked.",
    )
    .action(async (id: string | undefined, opts: StoreFlags) => {
      const { verifyCommand } = await import("../traces.js");
      process.exitCode = verifyCommand(id, opts);
    });

  traces
    .command("export")
    .description("a trace as JSON (everything the store holds) or OTLP/JSON spans for an OpenTelemetry collector")
    .argument("<trace_id>", "a trace id (a unique prefix is enough)")
    .addOption(new Option("--format <format>", "json or otlp").choices(["json", "otlp"]).default("json"))
    .option("--out <file>", "write to this file instead of standard output")
    .addOption(storeOption())
    .action(async (id: string, opts: StoreFlags & { format: "json" | "otlp"; out?: string }) => {
      const { exportCommand } = await import("../traces.js");
      process.exitCode = exportCommand(id, opts);
    });

  traces
    .command("gc")
    .description("delete traces older than N days (their steps, calls and checkpoints with them)")
    .requiredOption("--keep-days <n>", "keep traces from the last N days")
    .option("--vacuum", "then return the freed space to the file system")
    .addOption(jsonOption())
    .addOption(storeOption())
    .addHelpText(
      "after",
      "\nDeletes in short transactions, so runs recording into the store meanwhile are never held up\nfor long; never deletes a trace whose writer is still renewing its heartbeat.",
    )
    .action(async (opts: StoreFlags & { keepDays: string; vacuum?: boolean }) => {
      const { gcCommand } = await import("../traces.js");
      process.exitCode = gcCommand(opts);
    });

  traces
    .command("follow")
    .description("print traces, their steps, divergences and mode changes as they are recorded, until Ctrl-C")
    .option("--node <id>", "only events of this node id")
    .option("--from-start", "first everything already in the store, then what comes")
    .addOption(jsonOption("one JSON object per event: trace_started, step, trace_finished, divergence, mode_change"))
    .addOption(storeOption())
    .addHelpText(
      "after",
      "\nFollows the store from another process without ever blocking its writers, and notices a\nnew row within a few tens of milliseconds. The store must exist: a missing file exits 2 at\nonce rather than waiting for one. Ctrl-C or SIGTERM end it with exit 0, as does a reader\nthat closed the pipe (noticed at the next event).",
    )
    .action(async (opts: FollowFlags) => {
      const { followCommand } = await import("../traces-follow.js");
      process.exitCode = await followCommand(opts);
    });
}
