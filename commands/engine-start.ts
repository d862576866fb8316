import { VesperError } from "../src/values/errors.js";
import { exitStatusFor } from "./exit-codes.js";

// What `veyra engine info` and `veyra engine bench` share: a backend the user named
// that cannot start on this machine is reported under the verb's own name
// (`veyra engine info: error: …`), with the exit status of its kind (environment, 1).
// Every other error, a misspelt backend included, goes to the program's handler.

export async function reportingStartFailure(command: string, verb: () => Promise<number>): Promise<number> {
  try {
    return await verb();
  } catch (err) {
    // E100: the named backend cannot start here (BackendStartError).
    if (!(err instanceof VesperError && err.code === "E100")) throw err;
    process.stderr.write(`veyra ${command}: error: ${err.message}\n`);
    return exitStatusFor(err.kind);
  }
}
