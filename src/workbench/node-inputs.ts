import { parseInputAssignment, parseInputsObject } from "../runtime/input-text.js";
import { resolveInputs, sampleInputs, type PreparedNode } from "../runtime/prepared.js";
import type { Value } from "../values/values.js";

// The inputs of one run, from what a user gives: a sample (named, or the node's
// first when nothing else is given), then a mapping of inputs, then single
// assignments on top; declared defaults fill the rest. A value that does not fit
// its declared type throws InputError (kind "input", exit 2) naming the input.

export interface InputChoice {
  /** NAME=VALUE assignments, each read by the input's declared type (VALUE may be @file). */
  assignments?: readonly string[];
  /** A JSON/YAML mapping of input names to values, or @file. */
  mapping?: string;
  /** A sample's name; the first sample is used when nothing else is given. */
  sample?: string;
}

export function nodeInputs(p: PreparedNode, choice: InputChoice = {}): Map<string, Value> {
  const given = new Map<string, Value>();
  const explicit = (choice.assignments?.length ?? 0) > 0 || choice.mapping !== undefined;
  if (choice.sample !== undefined || (!explicit && p.node.samples.length > 0)) {
    for (const [k, v] of sampleInputs(p, choice.sample)) given.set(k, v);
  }
  if (choice.mapping !== undefined) for (const [k, v] of parseInputsObject(p, choice.mapping)) given.set(k, v);
  for (const a of choice.assignments ?? []) {
    const [k, v] = parseInputAssignment(p, a);
    given.set(k, v);
  }
  return resolveInputs(p, given);
}
