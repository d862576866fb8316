import { UsageError } from "../src/values/errors.js";
import { DEFAULT_BEHAVIOUR, type ServiceBehaviour, simulatedToolNames } from "../src/workbench/run-node.js";
import { suggestName } from "./common-flags.js";

// --sim TOOL:KEY=VALUE[,KEY=VALUE]: how a simulated service behaves in this run, for
// reproducing a slow or failing dependency. The setting is recorded with the trace,
// so a replay or a fork meets the same service.
//   latency_ms    a fixed latency (median and p99 both)
//   median_ms     the median of the log-normal latency
//   p99_ms        its 99th percentile
//   failure_rate  probability of a transient failure (UNAVAILABLE), 0..1
//   decline_rate  probability that a charge or refund is declined, 0..1
// TOOL is a simulated tool's name (sim.payments.charge) or * for every simulated
// tool; any other name is a usage error with the closest name, never ignored.

const KEYS = ["latency_ms", "median_ms", "p99_ms", "failure_rate", "decline_rate"] as const;

export function behaviourFromFlags(specs: string[] | undefined): Record<string, Partial<ServiceBehaviour>> | undefined {
  if (!specs || specs.length === 0) return undefined;
  const tools = simulatedToolNames();
  const out: Record<string, Partial<ServiceBehaviour>> = {};
  for (const spec of specs) {
    const m = /^([A-Za-z0-9_.*-]+):(.+)$/.exec(spec);
    if (!m)
      throw new UsageError(
        `--sim must look like TOOL:KEY=VALUE (e.g. sim.payments.charge:latency_ms=4000), not '${spec}'`,
      );
    const tool = m[1]!;
    if (tool !== "*" && !tools.includes(tool))
      throw new UsageError(
        `--sim: '${tool}' is not a simulated tool${suggestName(tool, tools)} (simulated tools: ${tools.join(", ")}, or * for all)`,
      );
    const b = (out[tool] ??= {});
    for (const setting of m[2]!.split(",")) {
      const [key, text] = setting.split("=", 2);
      if (!(KEYS as readonly string[]).includes(key!))
        throw new UsageError(
          `--sim: unknown setting '${key}'${suggestName(key!, KEYS)} (settings: ${KEYS.join(", ")})`,
        );
      const n = Number(text);
      const rate = key!.endsWith("_rate");
      if (text === undefined || text.trim() === "" || !Number.isFinite(n) || n < 0 || (rate && n > 1)) {
        throw new UsageError(
          `--sim: ${key} must be ${rate ? "a probability between 0 and 1" : "a non-negative number of milliseconds"}, not '${text ?? ""}'`,
        );
      }
      if (key === "latency_ms") b.latency = { medianMs: n, p99Ms: n };
      else if (key === "median_ms") b.latency = { medianMs: n, p99Ms: Math.max(n, b.latency?.p99Ms ?? 0) };
      else if (key === "p99_ms")
        b.latency = { medianMs: b.latency?.medianMs ?? Math.min(n, DEFAULT_BEHAVIOUR.latency.medianMs), p99Ms: n };
      else if (key === "failure_rate") b.failureRate = n;
      else b.declineRate = n;
    }
  }
  return out;
}
