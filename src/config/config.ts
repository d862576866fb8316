import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { ConfigError } from "./config-error.js";
import { didYouMean } from "../values/suggest.js";

// The one config file: veyra.config.yaml in the working directory (or the file
// VEYRA_CONFIG names). Every setting can also come from a VEYRA_* environment
// variable and a flag; precedence is flag, then environment, then this file, then
// the built-in default. Unknown keys and wrong types are errors with file:line:col.

export const CONFIG_FILE = "veyra.config.yaml";

export interface Config {
  /** Where the config file was read from, when there was one. */
  file?: string;
  /** The trace store file, resolved against the config file's folder. */
  store?: string;
}

const KEYS = { store: "string" } as const;

export function loadConfig(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Config {
  const file = env.VEYRA_CONFIG ? resolve(cwd, env.VEYRA_CONFIG) : join(cwd, CONFIG_FILE);
  if (!existsSync(file)) {
    if (env.VEYRA_CONFIG) throw new ConfigError(`VEYRA_CONFIG names ${file}, which does not exist`);
    return {};
  }
  const text = readFileSync(file, "utf8");
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (offset: number | undefined) => {
    const { line, col } = lines.linePos(offset ?? 0);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0)
    throw new ConfigError(`${at(doc.errors[0]!.pos[0])}: ${doc.errors[0]!.message.split("\n")[0]!.replace(/:$/, "")}`);
  const config: Config = { file };
  if (doc.contents === null) return config;
  if (!isMap(doc.contents))
    throw new ConfigError(`${at(doc.contents.range?.[0])}: the config file must be a mapping of settings`);
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const keyAt = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    if (!(key in KEYS))
      throw new ConfigError(
        `${keyAt}: unknown setting '${key}'${didYouMean(key, Object.keys(KEYS))} (settings: ${Object.keys(KEYS).join(", ")})`,
      );
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof value !== "string" || value === "")
      throw new ConfigError(
        `${at(isScalar(pair.value) ? pair.value.range?.[0] : pair.value?.range?.[0])}: '${key}' must be a file path`,
      );
    config.store = isAbsolute(value) ? value : resolve(dirname(file), value);
  }
  return config;
}

/** The trace store file: --store, then VEYRA_STORE, then the config file, then ./traces/vesper.db. */
export function resolveStorePath(
  flag: string | undefined,
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (flag !== undefined && flag.trim() === "") throw new ConfigError("--store needs a file path");
  if (flag !== undefined) return resolve(cwd, flag);
  if (env.VEYRA_STORE) return resolve(cwd, env.VEYRA_STORE);
  return loadConfig(cwd, env).store ?? join(cwd, "traces", "vesper.db");
}
