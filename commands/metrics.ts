import { EXIT } from "./exit-codes.js";
import { resolveStorePath } from "../src/config/config.js";
import { metricsExposition } from "../src/workbench/metrics.js";

// `vesper metrics`: the store's execution, divergence and confidence counters in
// the Prometheus text format, for a textfile collector or a scrape wrapper.
// Exit 0, or 2 for a missing or unusable store or an unknown --node.

export interface MetricsFlags {
  store?: string;
  node?: string[];
}

export function metricsCommand(flags: MetricsFlags): number {
  process.stdout.write(metricsExposition(resolveStorePath(flags.store), { nodes: flags.node, label: "--node" }));
  return EXIT.OK;
}
