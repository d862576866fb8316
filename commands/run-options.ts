import { UsageError } from "../src/values/errors.js";
import { MODES, type Mode } from "../src/exec/modes.js";
import { parseInputAssignment, parseInputsObject } from "../src/runtime/input-text.js";
import { InputError, resolveInputs, sampleInputs, type PreparedNode } from "../src/runtime/prepared.js";
import type { Value } from "../src/values/values.js";

// Flags shared by the commands that run a node (run, bench): which inputs, which
// mode or runtime, which seed. Every problem is a UsageError naming the flag.

export interface RunFlags {
  input?: string[];
  inputs?: string;
  sample?: string;
  runtime?: string;
  mode?: string;
  seed?: string;
}

/**
 * The node's inputs: a sample (named, or the first when no input is given), then
 * --inputs, then each --input on top; declared defaults fill the rest.
 */
export function inputsFromFlags(p: PreparedNode, flags: RunFlags): Map<string, Value> {
  try {
    const given = new Map<string, Value>();
    const explicit = (flags.input?.length ?? 0) > 0 || flags.inputs !== undefined;
    if (flags.sample !== undefined || (!explicit && p.node.samples.length > 0)) {
      for (const [k, v] of sampleInputs(p, flags.sample)) given.set(k, v);
    }
    if (flags.inputs !== undefined) for (const [k, v] of parseInputsObject(p, flags.inputs)) given.set(k, v);
    for (const a of flags.input ?? []) {
      const [k, v] = parseInputAssignment(p, a);
      given.set(k, v);
    }
    return resolveInputs(p, given);
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(err.message);
    throw err;
  }
}

export function modeFromFlags(flags: RunFlags): Mode {
  if (flags.runtime !== undefined && flags.mode !== undefined) {
    throw new UsageError(
      "--runtime and --mode cannot be combined: --runtime runs one runtime alone, --mode routes between both",
    );
  }
  if (flags.runtime !== undefined) {
    if (flags.runtime === "reference") return "reference_only";
    if (flags.runtime === "direct") return "direct_only";
    throw new UsageError(`--runtime must be reference or direct, not '${flags.runtime}'`);
  }
  const mode = flags.mode ?? "dual_verify";
  if (!(MODES as readonly string[]).includes(mode))
    throw new UsageError(`--mode must be one of ${MODES.join(", ")} or auto, not '${mode}'`);
  return mode as Mode;
}

export function seedFromFlags(flags: RunFlags): number {
  if (flags.seed === undefined) return 0;
  if (!/^\d+$/.test(flags.seed)) throw new UsageError(`--seed must be a non-negative integer, not '${flags.seed}'`);
  return Number(flags.seed);
}
