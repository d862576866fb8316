import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { ConfigError } from "./config-error.js";
import { readRegularFile, utf8Text } from "./text-file.js";
import { CONFIG_FILE, findProject, userStorePath } from "./project.js";
import { didYouMean } from "../values/suggest.js";

// The one config file: veyra.config.yaml in the project (the nearest folder, the
// working directory or above, holding it or a traces/ folder; see project.ts), or
// the file VEYRA_CONFIG names. Every setting can also come from a VEYRA_*
// environment variable and a flag; precedence is flag, then environment, then this
// file, then the built-in default. Unknown keys and wrong types are errors with
// file:line:col.
//
// The trace store, by the same precedence (STORE_RULE says it in one line):
//   1. --store FILE;  2. VEYRA_STORE;  3. `store:` in the config file;
//   4. the project's traces/vesper.db;
//   5. outside any project, the per-user store ($XDG_STATE_HOME/vesper/vesper.db,
//      else ~/.local/state/vesper/vesper.db).
// Relative paths are resolved against the working directory (1, 2) or the config
// file's folder (3). Nothing here opens the store. STORE_RULE is the rule for --help.

export { CONFIG_FILE, STORE_RULE } from "./project.js";

export interface Config {
  /** Where the config file was read from, when there was one. */
  file?: string;
  /** The trace store file, resolved against the config file's folder. */
  store?: string;
}

// `seeds:` is the seed runs' section, read and checked by seeds-config.ts.
const KEYS = { store: "string", seeds: "mapping" } as const;

export function loadConfig(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Config {
  const project = env.VEYRA_CONFIG ? undefined : findProject(cwd);
  const file = env.VEYRA_CONFIG ? resolve(cwd, env.VEYRA_CONFIG) : join(project ?? cwd, CONFIG_FILE);
  if (!existsSync(file)) {
    if (env.VEYRA_CONFIG) throw new ConfigError(`VEYRA_CONFIG names ${file}, which does not exist`);
    return {};
  }
  const text = configText(file);
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
    if (key === "seeds") continue;
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof value !== "string" || value === "")
      throw new ConfigError(
        `${at(isScalar(pair.value) ? pair.value.range?.[0] : pair.value?.range?.[0])}: '${key}' must be a file path`,
      );
    config.store = isAbsolute(value) ? value : resolve(dirname(file), value);
  }
  return config;
}

/** Which rule chose the store: --store, VEYRA_STORE, the config file, the project's traces/, or the per-user store. */
export type StoreSource = "flag" | "env" | "config" | "project" | "user";

export interface StoreLocation {
  /** The store file, absolute. */
  path: string;
  source: StoreSource;
}

/** Where the store is, and which rule said so (the rules are in this file's header). */
export function locateStore(
  flag: string | undefined,
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): StoreLocation {
  if (flag !== undefined && flag.trim() === "") throw new ConfigError("--store needs a file path");
  if (flag !== undefined) return { path: resolve(cwd, flag), source: "flag" };
  if (env.VEYRA_STORE) return { path: resolve(cwd, env.VEYRA_STORE), source: "env" };
  const config = loadConfig(cwd, env);
  if (config.store) return { path: config.store, source: "config" };
  const project = findProject(cwd);
  if (project) return { path: join(project, "traces", "vesper.db"), source: "project" };
  return { path: userStorePath(env), source: "user" };
}

/**
 * The trace store file by the rules above. The per-user store's folder is created
 * when it is chosen: it is vesper's own, and a first run on a new machine must not
 * fail for want of it.
 */
export function resolveStorePath(
  flag: string | undefined,
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  // The per-user folder is created by the store itself when a writer opens it, one
  // folder at a time (src/store/store-path.ts): `mkdir -p` spins forever under /proc.
  return locateStore(flag, cwd, env).path;
}

/**
 * Whether the store `flag` names differs from the one a command run in `cwd`
 * without --store would use: then a suggested command must carry --store.
 */
export function storeNeedsNaming(
  flag: string | undefined,
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (flag === undefined) return false;
  try {
    return locateStore(flag, cwd, env).path !== locateStore(undefined, cwd, env).path;
  } catch {
    // No default can be worked out here (a bad config file): name the store.
    return true;
  }
}

/** The config file's text; one that is a FIFO, a device, a folder or not UTF-8 is a ConfigError, never a hang. */
export function configText(file: string): string {
  const read = readRegularFile(file);
  const decoded = read.ok ? utf8Text(read.bytes) : read;
  if (!decoded.ok) throw new ConfigError(`cannot read the config file ${file}: ${decoded.reason}`);
  return decoded.text;
}
