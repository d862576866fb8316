import type { Mode } from "../runtime/mode-names.js";
import type { TraceStore } from "../store/store.js";
import { knownNodeIds } from "../trace/evidence-tables.js";
import { runtimeExecutions, type RuntimeExecutions } from "../trace/execution-tables.js";
import { didYouMean } from "../values/suggest.js";
import { history, modeState, type ModeChange, type ModeState } from "./controller.js";
import { confidenceOf, divergencesOf, evidenceOf, type Evidence } from "./evidence-store.js";
import { recommendedMode } from "./recommend.js";
import type { WilsonOptions } from "./wilson.js";
import type { ErrorCode } from "../values/error-codes.js";
import { VesperError } from "../values/errors.js";

// Everything `vesper mode <node_id>` shows about one node, read from the store.

export class UnknownNodeError extends VesperError {
  override name = "UnknownNodeError";
  constructor(message: string, code: ErrorCode = "U102") {
    super(code, message);
  }
}

export interface NodeReport {
  nodeId: string;
  state?: ModeState;
  evidence: Evidence;
  confidence: number;
  recommended: Mode;
  divergences: number;
  executions: RuntimeExecutions[];
  history: ModeChange[];
}

/**
 * Throws UnknownNodeError (a usage error) unless the store has something for the
 * node; `label` prefixes the message with what named the node (a flag, say).
 */
export function requireKnownNode(store: TraceStore, nodeId: string, label?: string): void {
  const known = knownNodeIds(store);
  if (known.includes(nodeId)) return;
  const list =
    known.length === 0
      ? "it has recorded nothing yet"
      : `it knows ${known.slice(0, 8).join(", ")}${known.length > 8 ? ", …" : ""}`;
  throw new UnknownNodeError(
    `${label ? `${label}: ` : ""}the trace store ${store.path} has nothing for node '${nodeId}'${didYouMean(nodeId, known)} (${list}); run vesper test or vesper run on the node first`,
  );
}

export function nodeReport(store: TraceStore, nodeId: string, options: WilsonOptions = {}): NodeReport {
  const evidence = evidenceOf(store, nodeId);
  const confidence = confidenceOf(evidence, options);
  return {
    nodeId,
    state: modeState(store, nodeId),
    evidence,
    confidence,
    recommended: recommendedMode(confidence),
    divergences: divergencesOf(store, nodeId),
    executions: runtimeExecutions(store, nodeId),
    history: history(store, nodeId, 10),
  };
}
