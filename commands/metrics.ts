import { EXIT } from "./exit-codes.js";
import { UsageError } from "../src/values/errors.js";
import { resolveStorePath } from "../src/config/config.js";
import { TraceStore } from "../src/store/store.js";
import { exposition } from "../src/verify/metrics.js";
import { requireKnownNode, UnknownNodeError } from "../src/verify/node-report.js";

// `vesper metrics`: the store's execution, divergence and confidence counters in
// the Prometheus text format, for a textfile collector or a scrape wrapper.
// Exit 0, or 2 for a missing or unusable store or an unknown --node.

export interface MetricsFlags {
  store?: string;
  node?: string[];
}

export function metricsCommand(flags: MetricsFlags): number {
  const path = resolveStorePath(flags.store);
  const store = TraceStore.open(path, { mustExist: true });
  try {
    const nodes = flags.node && flags.node.length > 0 ? flags.node : undefined;
    try {
      for (const n of nodes ?? []) requireKnownNode(store.db, n, path);
    } catch (err) {
      if (err instanceof UnknownNodeError) throw new UsageError(`--node: ${err.message}`);
      throw err;
    }
    process.stdout.write(exposition(store.db, nodes));
    return EXIT.OK;
  } finally {
    store.close();
  }
}
