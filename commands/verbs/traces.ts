import { Option, type Command } from "commander";
import type { StoreFlags } from "../traces.js";

// `vesper traces …`: flags and help; the implementation is imported only when it runs.

const STORE_HELP = "the trace store (default: VEYRA_STORE, then veyra.config.yaml, then ./traces/vesper.db)";

export function registerTraces(program: Command): void {
  const traces = program
    .command("traces")
    .description("list, show, verify, export and clean up recorded traces")
    .addHelpText(
      "after",
      "\nExit status: 0 on success; 1 when verify finds a tampered trace; 2 for bad usage,\nan unknown trace id, or a file that is not a usable trace store.",
    );

  traces
    .command("list")
    .description("recorded traces, newest first")
    .option("--node <id>", "only traces of this node id")
    .option(
      "--status <status>",
      "only traces with this status (success, error, contract_violation, runtime_error, incomplete, running)",
    )
    .option("--limit <n>", "at most this many (default 20)")
    .option("--json", "one JSON object per trace")
    .option("--store <file>", STORE_HELP)
    .action(async (opts: StoreFlags & { node?: string; status?: string; limit?: string }) => {
      const { listCommand } = await import("../traces.js");
      process.exitCode = listCommand(opts);
    });

  traces
    .command("show")
    .description("a trace's step timeline: ✓/✗ per step, durations, bindings, calls")
    .argument("<trace_id>", "a trace id (a unique prefix is enough)")
    .option("--at <step>", "instead, the recorded bindings and state after this step (read from checkpoints)")
    .option("--json", "print JSON")
    .option("--store <file>", STORE_HELP)
    .action(async (id: string, opts: StoreFlags & { at?: string }) => {
      const { showCommand } = await import("../traces.js");
      process.exitCode = showCommand(id, opts);
    });

  traces
    .command("verify")
    .description("recompute the hash chain of one trace (or every trace) and name the first tampered row")
    .argument("[trace_id]", "a trace id; all traces when omitted")
    .option("--json", "one JSON object per trace")
    .option("--store <file>", STORE_HELP)
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
    .option("--store <file>", STORE_HELP)
    .action(async (id: string, opts: StoreFlags & { format: "json" | "otlp"; out?: string }) => {
      const { exportCommand } = await import("../traces.js");
      process.exitCode = exportCommand(id, opts);
    });

  traces
    .command("gc")
    .description("delete traces older than N days (their steps, calls and checkpoints with them)")
    .requiredOption("--keep-days <n>", "keep traces from the last N days")
    .option("--json", "print JSON")
    .option("--store <file>", STORE_HELP)
    .action(async (opts: StoreFlags & { keepDays: string }) => {
      const { gcCommand } = await import("../traces.js");
      process.exitCode = gcCommand(opts);
    });
}
