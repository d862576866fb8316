import { parseInputAssignment, parseInputsObject } from "../runtime/input-text.js";
import { resolveInputs, sampleInputs, type PreparedNode } from "../runtime/prepared.js";
import type { Value } from "../values/values.js";

// The inputs of one run, from what a user gives, in layers: a sample (the one
// named, else the node's first, unless the sample is turned off), then a mapping of
// inputs on top, then single assignments on top of that; declared defaults fill
// the rest. So `--input amount=99.99` changes one value of the default sample and
// keeps the others. A value that does not fit its declared type throws InputError
// (kind "input", exit 2) naming the input.

export interface InputChoice {
  /** NAME=VALUE assignments, each read by the input's declared type (VALUE may be @file). */
  assignments?: readonly string[];
  /** A JSON/YAML mapping of input names to values, or @file. */
  mapping?: string;
  /**
   * The sample to start from: its name; absent for the node's first sample (none when
   * it has none); false to start from no sample at all (declared defaults only).
   */
  sample?: string | false;
}

export function nodeInputs(p: PreparedNode, choice: InputChoice = {}): Map<string, Value> {
  const given = new Map<string, Value>();
  const { sample } = choice;
  if (typeof sample === "string" || (sample === undefined && p.node.samples.length > 0)) {
    for (const [k, v] of sampleInputs(p, sample)) given.set(k, v);
  }
  if (choice.mapping !== undefined) for (const [k, v] of parseInputsObject(p, choice.mapping)) given.set(k, v);
  for (const a of choice.assignments ?? []) {
    const [k, v] = parseInputAssignment(p, a);
    given.set(k, v);
  }
  return resolveInputs(p, given);
}
