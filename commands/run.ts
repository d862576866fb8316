import { EXIT } from "./exit-codes.js";
import { loadNodeOrReport } from "./node-file.js";
import { percentage } from "./common-flags.js";
import { inputsFromFlags, modeFromFlags, seedFromFlags, type RunFlags } from "./run-options.js";
import { behaviourFromFlags } from "./sim-options.js";
import { storeArgument } from "./store-argument.js";
import { resolveStorePath } from "../src/config/config.js";
import type { ExecutionReport } from "../src/exec/executor.js";
import type { RecordedRun } from "../src/exec/recording.js";
import type { PreparedNode } from "../src/runtime/prepared.js";
import type { Failure } from "../src/runtime/protocol.js";
import { TraceStore } from "../src/store/store.js";
import { toJson } from "../src/values/json.js";
import { formatValue } from "../src/values/values.js";
import { runNode, type RunNodeOutcome } from "../src/workbench/run-node.js";

// `vesper run <file>`: run a node once in an execution mode and print its output.
// Exit 0 when the node produced an output (its success or its declared error),
// 3 on a contract violation or runtime failure, 2 for bad usage or an invalid node.
// Every flag is read before the store is opened, and the store before anything runs.

export interface RunCommandFlags extends RunFlags {
  json?: boolean;
  canary?: string;
  samplePercent?: string;
  store?: string;
  /** commander's --no-record: false when the flag is given. */
  record?: boolean;
  sim?: string[];
}

export async function runCommand(file: string, flags: RunCommandFlags): Promise<number> {
  const p = loadNodeOrReport(file);
  if (!p) return EXIT.USAGE;
  const mode = modeFromFlags(flags);
  const inputs = inputsFromFlags(p, flags);
  const canaryPercent = percentage(flags.canary, "--canary");
  const samplePercent = percentage(flags.samplePercent, "--sample-percent");
  const seed = seedFromFlags(flags);
  const behaviour = behaviourFromFlags(flags.sim);
  // --no-record writes nothing to the store; an auto mode is still read from it.
  const record = flags.record !== false;
  const store = record || mode === "auto" ? TraceStore.open(resolveStorePath(flags.store)) : undefined;
  let outcome: RunNodeOutcome;
  try {
    outcome = await runNode(p, { inputs, mode, seed, canaryPercent, samplePercent, behaviour, store, record });
  } finally {
    store?.close();
  }
  const { report, traces, observation, auto, controlled } = outcome;
  if (flags.json) {
    const c = observation?.change;
    const controller = c ? { controller: { from: c.from, to: c.to, kind: c.kind, reason: c.reason } } : {};
    process.stdout.write(
      `${JSON.stringify({ ...reportJson(report), traces, ...(auto ? { auto: true } : {}), ...controller }, null, 2)}\n`,
    );
  } else {
    // Every command suggested below reaches this run's store when pasted as printed.
    const storeArg = storeArgument(flags.store);
    printReport(p, report, traces, storeArg);
    if (auto) {
      const mode = `vesper mode ${p.node.nodeId.value}${storeArg}`;
      process.stdout.write(
        controlled
          ? `  mode ${report.mode} chosen by the migration controller (${mode})\n`
          : `  the migration controller has no mode for this node yet, so it ran reference_only (${mode} --auto hands it to the controller)\n`,
      );
    }
    const c = observation?.change;
    if (c) process.stdout.write(`  controller: ${c.kind} ${c.from ?? "none"} → ${c.to}: ${c.reason}\n`);
  }
  const failed = report.result.status === "contract_violation" || report.result.status === "runtime_error";
  return failed ? EXIT.RUNTIME : EXIT.OK;
}

export function reportJson(r: ExecutionReport) {
  return {
    status: r.result.status,
    output: r.result.output ? toJson(r.result.output) : null,
    runtime: r.runtime,
    mode: r.mode,
    duration_us: r.durationUs,
    steps: r.result.steps,
    state: r.result.state ?? null,
    failure: r.result.failure ?? null,
    compared: r.compared,
    divergence: r.divergence ? r.divergence.diffs : null,
    ...(r.fellBack ? { fell_back_from: { runtime: "direct", failure: r.fellBack.failure ?? null } } : {}),
    input_hash: r.inputHash,
  };
}

/** `store` is " --store FILE" when the printed replay commands need it (see store-argument.ts). */
function printReport(p: PreparedNode, r: ExecutionReport, traces: RecordedRun[], store: string): void {
  const res = r.result;
  const out = process.stdout;
  const agreement = !r.compared ? "" : r.divergence ? ", THE RUNTIMES DIVERGED" : ", both runtimes agree";
  out.write(`${p.node.nodeId.value}: ${res.status} (${r.runtime} runtime answered, mode ${r.mode}${agreement})\n`);
  if (res.output) {
    for (const [k, v] of res.output.fields) out.write(`  ${k}: ${formatValue(v)}\n`);
  }
  if (res.failure) process.stderr.write(`${failureLine(res.failure)}\n`);
  if (r.fellBack?.failure)
    out.write(`  the direct runtime failed first (${failureLine(r.fellBack.failure)}); the reference answered\n`);
  if (r.divergence) {
    out.write("  divergence (reference → direct):\n");
    for (const d of r.divergence.diffs)
      out.write(`    ${d.path}: ${JSON.stringify(d.expected)} → ${JSON.stringify(d.actual)}  (${d.reason})\n`);
  }
  out.write(
    `  ${res.steps} steps${res.state ? `, final state ${res.state}` : ""}, ${(r.durationUs / 1000).toFixed(2)} ms\n`,
  );
  for (const t of traces) out.write(`  trace ${t.id} (${t.runtime}, ${t.role}): vesper replay ${t.id}${store}\n`);
}

export function failureLine(f: Failure): string {
  return `${f.location.file}:${f.location.line}:${f.location.col}: ${f.code}: ${f.message}`;
}
