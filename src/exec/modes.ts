import { createHash } from "node:crypto";
import { keyOf, VRecord, type Value } from "../values/values.js";

// Execution modes and the routing decisions that do not depend on running anything.

export { MODES, MODE_SUMMARIES, type Mode } from "../runtime/mode-names.js";

function digest(nodeId: string, inputs: ReadonlyMap<string, Value>): Buffer {
  const key = keyOf(new VRecord("input", new Map([...inputs].sort(([a], [b]) => (a < b ? -1 : 1)))));
  return createHash("sha256").update(nodeId).update("\0").update(key).digest();
}

/**
 * A stable position in [0, 100) for a node's inputs: the same inputs always land in
 * the same place, on every machine, so canary and sampling decisions are repeatable.
 */
export function inputBucket(nodeId: string, inputs: ReadonlyMap<string, Value>): number {
  return (digest(nodeId, inputs).readUInt32BE(0) / 2 ** 32) * 100;
}

/** A short stable identity of a node's inputs, for reports and the trace store. */
export function inputHash(nodeId: string, inputs: ReadonlyMap<string, Value>): string {
  return digest(nodeId, inputs).toString("hex").slice(0, 16);
}
