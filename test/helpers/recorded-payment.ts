import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runObserved } from "../../src/runtime/observed-run.js";
import { prepareFile, sampleInputs } from "../../src/runtime/prepared.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import { ReferenceRuntime } from "../../src/runtime/reference/reference-runtime.js";
import { TraceStore } from "../../src/store/store.js";
import type { ServiceBehaviour } from "../../src/tools/index.js";
import { TraceRecorder } from "../../src/trace/recorder.js";
import { ROOT } from "./cli.js";
import { context } from "./runtimes.js";

// A payment run recorded into a temp store, from a temp copy of examples/payment.vsp
// (so a replay's apply writes that copy, never the example). With `chargeLatencyMs`
// the simulated charge takes that long, as `vesper run --sim
// sim.payments.charge:latency_ms=N` makes it: 4000 ms outlasts the step's 3000 ms
// timeout on every attempt, and the run fails.

export interface RecordedPayment {
  store: TraceStore;
  /** The temp copy of the node file the trace recorded. */
  file: string;
  traceId: string;
  result: RunResult;
}

export async function recordPayment(options: { chargeLatencyMs?: number } = {}): Promise<RecordedPayment> {
  const dir = mkdtempSync(join(tmpdir(), "vesper-replay-api-"));
  const file = join(dir, "payment.vsp");
  copyFileSync(join(ROOT, "examples/payment.vsp"), file);
  const store = TraceStore.open(join(dir, "store.db"));
  const p = prepareFile(file);
  const inputs = sampleInputs(p);
  const ms = options.chargeLatencyMs;
  const behaviour: Record<string, Partial<ServiceBehaviour>> | undefined =
    ms === undefined ? undefined : { "sim.payments.charge": { latency: { medianMs: ms, p99Ms: ms } } };
  // What `vesper run` records: the start of the virtual clock, the node's time budget, the services' behaviour.
  const recorded = { clockStartMs: Date.UTC(2026, 0, 1), budgetMs: p.node.performance.timeout_ms, behaviour };
  const recorder = TraceRecorder.begin(store, {
    node: p,
    runtime: "reference",
    backend: "reference-float64",
    inputs,
    seed: "7",
    context: recorded,
  });
  const result = await runObserved(new ReferenceRuntime(), p, inputs, context(p, recorded), recorder);
  return { store, file, traceId: recorder.id, result };
}
