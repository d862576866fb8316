import { compareResults, type DiffEntry } from "../exec/comparator.js";
import type { ExecutionReport } from "../exec/executor.js";
import type { Mode } from "../runtime/mode-names.js";
import type { PreparedNode } from "../runtime/prepared.js";
import type { RunResult } from "../runtime/protocol.js";
import type { Value } from "../values/values.js";
import type { TraceStore } from "../store/store.js";
import { modeState, reevaluate, rollback, ANSWERING_MODES, type ModeChange } from "./controller.js";
import { addComparisons, addDivergences } from "../trace/evidence-tables.js";
import { confidenceOf, evidenceOf } from "./evidence-store.js";
import { recordExecution } from "./metrics-store.js";

// What vesper run tells the store after every execution: the metrics, the
// comparison when both runtimes ran (shadow, dual verify, direct-only sampling,
// and a canary whose direct run failed and fell back), the divergence if they
// disagreed, and the controller's reaction for a node on auto.

export interface TraceIds {
  /** The trace of the reference runtime's run, when recorded. */
  reference?: string;
  /** The trace of the direct runtime's run, when recorded. */
  direct?: string;
}

export interface Observation {
  compared: boolean;
  diverged: boolean;
  /** Confidence over all evidence after this execution. */
  confidence: number;
  /** What the controller did, if anything (a rollback, promotion or demotion). */
  change?: ModeChange;
}

/** `inputs`: the execution's inputs, stored with a divergence (the traces hold them too, when recorded). */
export function observeExecution(
  store: TraceStore,
  p: PreparedNode,
  report: ExecutionReport,
  traceIds: TraceIds = {},
  inputs?: ReadonlyMap<string, Value>,
): Observation {
  const nodeId = p.node.nodeId.value;
  const version = { nodeId, contentHash: p.node.contentHash };
  const pair = comparedPair(p, report);
  return store.write((): Observation => {
    recordExecution(store, nodeId, report);
    let change: ModeChange | undefined;
    if (pair) {
      const agreed = pair.diffs.length === 0;
      addComparisons(store, version, report.mode, 1, agreed ? 1 : 0);
      if (!agreed) {
        addDivergences(store, [
          {
            nodeId,
            contentHash: p.node.contentHash,
            source: report.mode,
            inputs: inputs ?? new Map(),
            expected: pair.expected,
            actual: pair.actual,
            diffs: pair.diffs,
            traceId: traceIds.reference,
            otherTraceId: traceIds.direct,
          },
        ]);
        const state = modeState(store, nodeId);
        if (ANSWERING_MODES.includes(report.mode) && state && state.mode === report.mode) {
          const first = pair.diffs[0]!;
          change = rollback(
            store,
            nodeId,
            `the runtimes diverged in ${report.mode} on inputs ${report.inputHash} (${first.path}: ${JSON.stringify(first.expected)} vs ${JSON.stringify(first.actual)})`,
            { contentHash: version.contentHash },
          );
        }
      }
    }
    change ??= reevaluate(store, nodeId, { contentHash: version.contentHash });
    return {
      compared: pair !== undefined,
      diverged: (pair?.diffs.length ?? 0) > 0,
      confidence: confidenceOf(evidenceOf(store, nodeId, version.contentHash)),
      change,
    };
  });
}

interface Pair {
  expected: RunResult;
  actual: RunResult;
  diffs: readonly DiffEntry[];
}

/**
 * The two results to count, if both runtimes ran: the executor's comparison, or a
 * canary's failed direct run against the reference that answered in its place
 * (both ran on the same inputs; the direct runtime failing where the reference
 * did not is a divergence seen in canary).
 */
function comparedPair(p: PreparedNode, r: ExecutionReport): Pair | undefined {
  if (r.compared && r.secondary) {
    const [expected, actual] = r.runtime === "reference" ? [r.result, r.secondary] : [r.secondary, r.result];
    return { expected, actual, diffs: r.divergence?.diffs ?? [] };
  }
  if (r.fellBack) {
    const diffs = compareResults(r.result, r.fellBack, {
      tolerance: p.node.verification.tolerance,
      noisy: p.node.verification.noisyFields.map((f) => f.value),
    });
    return { expected: r.result, actual: r.fellBack, diffs };
  }
  return undefined;
}

/** The mode `vesper run --mode auto` uses: the controller's, or undefined when the node has no mode state. */
export function controllerMode(store: TraceStore, nodeId: string): Mode | undefined {
  return modeState(store, nodeId)?.mode;
}
