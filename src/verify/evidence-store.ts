import type { TraceStore } from "../store/store.js";
import { comparisonCounts, divergenceCount, latestComparedHash } from "../trace/evidence-tables.js";
import { wilsonLowerBound, type WilsonOptions } from "./wilson.js";

// The evidence for a node's direct runtime, read from the store's comparison counts
// (src/trace/evidence-tables.ts): which sources count toward confidence, and the
// confidence itself. Confidence is computed from the counts, never cached, so it
// always describes everything recorded so far.

/** A/A comparisons measure the reference against itself: they say nothing about the direct runtime. */
export const NOT_EVIDENCE = ["aa"] as const;

export interface Evidence {
  /** The version the counts are of ("" when the node has none). */
  contentHash: string;
  compared: number;
  agreed: number;
  bySource: { source: string; compared: number; agreed: number }[];
}

/**
 * Every comparison recorded for one version of the node that counts toward
 * confidence: the version `contentHash` names, else the one compared most recently.
 * Evidence belongs to a version: a changed file starts from zero.
 */
export function evidenceOf(store: TraceStore, nodeId: string, contentHash?: string): Evidence {
  const hash = contentHash ?? latestComparedHash(store, nodeId) ?? "";
  const rows = comparisonCounts(store, { nodeId, contentHash: hash });
  const counted = rows.filter((r) => !(NOT_EVIDENCE as readonly string[]).includes(r.source));
  return {
    contentHash: hash,
    compared: counted.reduce((a, r) => a + r.compared, 0),
    agreed: counted.reduce((a, r) => a + r.agreed, 0),
    bySource: rows,
  };
}

export function confidenceOf(e: { compared: number; agreed: number }, options?: WilsonOptions): number {
  return wilsonLowerBound(e.agreed, e.compared, options);
}

/** Divergences recorded for the node that count as evidence (not A/A ones). */
export function divergencesOf(store: TraceStore, nodeId: string): number {
  return divergenceCount(store, nodeId, NOT_EVIDENCE);
}
