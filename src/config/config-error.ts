// A bad config file or setting, reported as file:line:col; commands exit 2 on it.
export class ConfigError extends Error {
  override name = "ConfigError";
}
