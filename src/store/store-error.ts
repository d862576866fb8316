import type { ErrorCode } from "../values/error-codes.js";
import { VesperError } from "../values/errors.js";
// A problem with the trace store the user can act on: a missing trace, a file that
// is not a store, a schema newer than this program. Commands report it without a
// stack trace and exit 2; the file is left as it was.
export class StoreError extends VesperError {
  override name = "StoreError";
  constructor(message: string, code: ErrorCode = "S100") {
    super(code, message);
  }
}
