import { MODES } from "../runtime/mode-names.js";
import type { TraceStore } from "../store/store.js";
import { knownNodeIds } from "../trace/evidence-tables.js";
import { durationBuckets, durationTotals, errorCounts, runtimeExecutions } from "../trace/execution-tables.js";
import { modeState } from "./controller.js";
import { confidenceOf, evidenceOf } from "./evidence-store.js";
import { DURATION_BUCKETS } from "./metrics-store.js";
import type { WilsonOptions } from "./wilson.js";

// The store's counters in the Prometheus text exposition format (version 0.0.4):
// one HELP and TYPE line per metric family, then its samples. Counters end in
// _total; the duration histogram has cumulative _bucket samples ending at +Inf,
// plus _sum and _count. Label values are escaped as the format requires. A node
// named twice is printed once: a series appears once in an exposition.

interface Family {
  name: string;
  type: "counter" | "gauge" | "histogram";
  help: string;
  samples: string[];
}

export function exposition(store: TraceStore, nodeIds?: readonly string[], options: WilsonOptions = {}): string {
  const nodes = nodeIds ? [...new Set(nodeIds)] : knownNodeIds(store);
  const fam = (name: string, type: Family["type"], help: string): Family => ({ name, type, help, samples: [] });
  const executions = fam(
    "vesper_executions_total",
    "counter",
    "Executions observed by vesper run, by node and the runtime that ran.",
  );
  const answers = fam("vesper_answers_total", "counter", "Executions whose answer came from this runtime.");
  const split = fam("vesper_traffic_split_ratio", "gauge", "Share of executions answered by each runtime.");
  const durations = fam(
    "vesper_execution_duration_seconds",
    "histogram",
    "Execution time of vesper run executions, by node and mode.",
  );
  const errors = fam(
    "vesper_errors_total",
    "counter",
    "Executions that did not succeed, by status and code (declared error code, C00x, R1xx/R2xx).",
  );
  const comparisons = fam(
    "vesper_comparisons_total",
    "counter",
    "Comparisons of the two runtimes, by source (test, aa, or the execution mode).",
  );
  const divergences = fam(
    "vesper_divergences_total",
    "counter",
    "Comparisons in which the runtimes diverged, by source.",
  );
  const confidence = fam(
    "vesper_confidence",
    "gauge",
    "Wilson lower bound (z = 3.29) on the agreement rate over all comparisons except A/A.",
  );
  const mode = fam("vesper_mode", "gauge", "1 for the node's current execution mode, 0 for the others.");

  for (const node of nodes) {
    const execRows = runtimeExecutions(store, node);
    const totalAnswered = execRows.reduce((a, r) => a + r.answered, 0);
    for (const r of execRows) {
      executions.samples.push(sample(executions.name, { node, runtime: r.runtime }, r.ran));
      answers.samples.push(sample(answers.name, { node, runtime: r.runtime }, r.answered));
      if (totalAnswered > 0)
        split.samples.push(sample(split.name, { node, runtime: r.runtime }, r.answered / totalAnswered));
    }
    const totals = durationTotals(store, node);
    for (const t of totals) {
      const buckets = durationBuckets(store, node, t.mode);
      let cumulative = 0;
      for (const le of DURATION_BUCKETS) {
        cumulative += buckets.get(le) ?? 0;
        durations.samples.push(sample(`${durations.name}_bucket`, { node, mode: t.mode, le: String(le) }, cumulative));
      }
      durations.samples.push(sample(`${durations.name}_bucket`, { node, mode: t.mode, le: "+Inf" }, t.count));
      durations.samples.push(sample(`${durations.name}_sum`, { node, mode: t.mode }, t.sum_us / 1e6));
      durations.samples.push(sample(`${durations.name}_count`, { node, mode: t.mode }, t.count));
    }
    for (const e of errorCounts(store, node)) {
      errors.samples.push(sample(errors.name, { node, status: e.status, code: e.code }, e.count));
    }
    const evidence = evidenceOf(store, node);
    for (const s of evidence.bySource) {
      comparisons.samples.push(sample(comparisons.name, { node, source: s.source }, s.compared));
      divergences.samples.push(sample(divergences.name, { node, source: s.source }, s.compared - s.agreed));
    }
    confidence.samples.push(sample(confidence.name, { node }, confidenceOf(evidence, options)));
    const state = modeState(store, node);
    if (state)
      for (const m of MODES)
        mode.samples.push(sample(mode.name, { node, mode: m, policy: state.policy }, m === state.mode ? 1 : 0));
  }
  const families = [executions, answers, split, durations, errors, comparisons, divergences, confidence, mode];
  return `${families
    .map((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.samples].join("\n"))
    .join("\n")}\n`;
}

function sample(name: string, labels: Record<string, string>, value: number): string {
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",");
  return `${name}{${text}} ${formatNumber(value)}`;
}

/** Label values escape backslash, double quote and line feed. */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  return String(x);
}
