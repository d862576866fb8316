import type { Command } from "commander";
import { repeatable, storeOption } from "../common-flags.js";
import type { MetricsFlags } from "../metrics.js";

// `vesper metrics`: its flags and help; the implementation is imported only when it runs.
export function registerMetrics(program: Command): void {
  program
    .command("metrics")
    .description(
      "Prometheus metrics: executions per node and runtime, durations, errors, divergences, confidence, traffic split",
    )
    .addOption(
      repeatable("--node <node_id>", "only this node (default: every node in the store)", [
        "payments.process_payment@1.0.0",
        "payments.refund_charge@1.0.0",
      ]),
    )
    .addOption(storeOption())
    .addHelpText(
      "after",
      "\nPrints the Prometheus text exposition format (0.0.4) on standard output.\nExit status: 0 on success, 2 for a missing or unusable store or an unknown --node.",
    )
    .action(async (opts: MetricsFlags) => {
      const { metricsCommand } = await import("../metrics.js");
      process.exitCode = metricsCommand(opts);
    });
}
