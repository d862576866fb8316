import type Database from "better-sqlite3";
import type { Mode } from "../exec/mode-names.js";
import { didYouMean } from "../values/suggest.js";
import { history, modeState, type ModeChange, type ModeState } from "./controller.js";
import { confidenceOf, divergenceCount, evidenceOf, knownNodeIds, type Evidence } from "./evidence-store.js";
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
  executions: { runtime: string; ran: number; answered: number }[];
  history: ModeChange[];
}

export function requireKnownNode(db: Database.Database, nodeId: string, storePath: string): void {
  const known = knownNodeIds(db);
  if (known.includes(nodeId)) return;
  const list =
    known.length === 0
      ? "it has recorded nothing yet"
      : `it knows ${known.slice(0, 8).join(", ")}${known.length > 8 ? ", …" : ""}`;
  throw new UnknownNodeError(
    `the trace store ${storePath} has nothing for node '${nodeId}'${didYouMean(nodeId, known)} (${list}); run vesper test or vesper run on the node first`,
  );
}

export function nodeReport(db: Database.Database, nodeId: string, options: WilsonOptions = {}): NodeReport {
  const evidence = evidenceOf(db, nodeId);
  const confidence = confidenceOf(evidence, options);
  return {
    nodeId,
    state: modeState(db, nodeId),
    evidence,
    confidence,
    recommended: recommendedMode(confidence),
    divergences: divergenceCount(db, nodeId),
    executions: db
      .prepare("SELECT runtime, ran, answered FROM runtime_executions WHERE node_id = ? ORDER BY runtime")
      .all(nodeId) as NodeReport["executions"],
    history: history(db, nodeId, 10),
  };
}
