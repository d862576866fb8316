import { UsageError } from "../src/values/errors.js";
import { MODES } from "../src/runtime/mode-names.js";
import type { PreparedNode } from "../src/runtime/prepared.js";
import { nodeInputs } from "../src/workbench/node-inputs.js";
import type { ModeChoice } from "../src/workbench/run-node.js";
import type { Value } from "../src/values/values.js";
import { oneOf, suggestName, wholeNumber } from "./common-flags.js";

// Flags shared by the commands that run a node (run, bench, debug): which inputs,
// which mode or runtime, which seed. Every problem is a usage error naming the flag.
// Inputs come in layers: the sample (the first unless --sample names one or
// --no-sample turns it off), then --inputs, then each --input.

export interface RunFlags {
  input?: string[];
  inputs?: string;
  /** --sample NAME, or false for --no-sample. */
  sample?: string | false;
  runtime?: string;
  mode?: string;
  seed?: string;
}

/** The node's inputs from --sample/--no-sample, --inputs and --input (see nodeInputs). */
export function inputsFromFlags(p: PreparedNode, flags: RunFlags): Map<string, Value> {
  return nodeInputs(p, { assignments: flags.input, mapping: flags.inputs, sample: flags.sample });
}

/** --runtime or --mode (auto included); dual_verify when neither is given. */
export function modeFromFlags(flags: RunFlags): ModeChoice {
  if (flags.runtime !== undefined && flags.mode !== undefined) {
    throw new UsageError(
      "--runtime and --mode cannot be combined: --runtime runs one runtime alone, --mode routes between both",
    );
  }
  if (flags.runtime !== undefined) {
    if (flags.runtime === "reference") return "reference_only";
    if (flags.runtime === "direct") return "direct_only";
    const runtimes = ["reference", "direct"];
    throw new UsageError(
      `--runtime must be reference or direct, not '${flags.runtime}'${suggestName(flags.runtime, runtimes)}`,
    );
  }
  return oneOf(flags.mode ?? "dual_verify", "--mode", [...MODES, "auto"]);
}

/** --seed: a whole number, 0 when absent. */
export function seedFromFlags(flags: RunFlags): number {
  return wholeNumber(flags.seed, "--seed", { min: 0, fallback: 0 });
}
