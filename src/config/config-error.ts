import type { ErrorCode } from "../values/error-codes.js";
import { VesperError } from "../values/errors.js";
// A bad config file or setting, reported as file:line:col; commands exit 2 on it.
export class ConfigError extends VesperError {
  override name = "ConfigError";
  constructor(message: string, code: ErrorCode = "U101") {
    super(code, message);
  }
}
