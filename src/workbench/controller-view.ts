import type { Mode } from "../runtime/mode-names.js";
import { automate, fmt, type ModeChange, pin } from "../verify/controller.js";
import { knownNodeIds } from "../trace/evidence-tables.js";
import { type NodeReport, nodeReport, requireKnownNode } from "../verify/node-report.js";
import { DEFAULT_MIN_SAMPLES, Z_999 } from "../verify/wilson.js";
import { type StoreRef, withStore } from "./store-access.js";

// The migration controller's view of one node (`vesper mode`): its mode and who
// decides it, the confidence and the evidence behind it, the recommended mode and
// the latest changes; optionally after pinning a mode or handing the node to the
// controller. A node the store knows nothing about is a usage error (U102) with a
// "did you mean"; nothing is written then. storeNodes is the same view of every
// node the store knows (the TUI's Nodes pane), read in one go and writing nothing.

export type ModeRequest = { pin: Mode } | { auto: true };

export interface ControllerViewOptions {
  /** Pin a mode, or hand the node to the controller, before reading the view. */
  change?: ModeRequest;
  /** Comparisons needed before the confidence is above 0 (default 100). */
  minSamples?: number;
}

export interface ControllerView {
  report: NodeReport;
  /** What the requested change did (a pin is one change; auto may also move the node at once). */
  changes: ModeChange[];
  minSamples: number;
}

export type { ModeChange, NodeReport };
/** For rendering: the default sample floor, the z of the bound, a confidence as the controller writes it. */
export { DEFAULT_MIN_SAMPLES, fmt as formatConfidence, Z_999 };

export function controllerView(store: StoreRef, nodeId: string, options: ControllerViewOptions = {}): ControllerView {
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  return withStore(store, (s) => {
    requireKnownNode(s, nodeId);
    const wilson = { minSamples };
    const request = options.change;
    const changes =
      request === undefined
        ? []
        : "pin" in request
          ? [pin(s, nodeId, request.pin, wilson)]
          : automate(s, nodeId, wilson);
    return { report: nodeReport(s, nodeId, wilson), changes, minSamples };
  });
}

/** The view of every node the store has anything for, ordered by node id; writes nothing. */
export function storeNodes(store: StoreRef, options: { minSamples?: number } = {}): NodeReport[] {
  const wilson = { minSamples: options.minSamples ?? DEFAULT_MIN_SAMPLES };
  return withStore(store, (s) => knownNodeIds(s).map((id) => nodeReport(s, id, wilson)));
}
