import { BackendChoiceError, BackendStartError } from "../src/engine/backend-choice.js";
import { createEngine } from "../src/engine/create-engine.js";
import type { TfjsEngine } from "../src/engine/tfjs-engine.js";
import { UsageError } from "../src/values/errors.js";

// What `veyra engine info` and `veyra engine bench` share: start the engine from
// --backend / VEYRA_BACKEND, turning a misspelt backend into bad usage (exit 2) and
// a named backend that cannot start into a one-line failure (exit 1).

export type Started = { engine: TfjsEngine } | { failure: string };

export async function startEngine(command: string, backend: string | undefined): Promise<Started> {
  try {
    return { engine: await createEngine({ backend }) };
  } catch (err) {
    if (err instanceof BackendChoiceError) throw new UsageError(err.message);
    if (err instanceof BackendStartError) return { failure: `veyra ${command}: error: ${err.message}\n` };
    throw err;
  }
}
