import { exposition } from "../verify/metrics.js";
import { requireKnownNode } from "../verify/node-report.js";
import { type StoreRef, withStore } from "./store-access.js";

// The store's execution, divergence, confidence and mode counters in the
// Prometheus text exposition format (0.0.4), for every node or the nodes named.
// A named node the store knows nothing about is a usage error (U102); `label`
// says what named it (a flag) at the start of that message.

export interface MetricsOptions {
  /** Only these nodes (default: every node in the store). */
  nodes?: readonly string[];
  /** What named the nodes, for the unknown-node message (e.g. "--node"). */
  label?: string;
}

export function metricsExposition(store: StoreRef, options: MetricsOptions = {}): string {
  return withStore(store, (s) => {
    const nodes = options.nodes && options.nodes.length > 0 ? options.nodes : undefined;
    for (const n of nodes ?? []) requireKnownNode(s, n, options.label);
    return exposition(s, nodes);
  });
}
