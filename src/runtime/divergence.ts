import type { Json } from "../values/json.js";

// One difference between two runs of a node, as the divergence comparator
// (src/exec/comparator.ts) reports it and the trace store keeps it: where, both
// sides' values, and why they count as different. Below exec and trace so both
// can speak of it.

export interface DiffEntry {
  /** Where the two runs differ, e.g. `output.fee` or `status`. */
  path: string;
  expected: Json;
  actual: Json;
  reason: string;
}
