import { statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";

// Where a project is, found the way git finds its repository: the nearest folder,
// the working directory or one above it, that holds veyra.config.yaml or a traces/
// folder. Outside any project, per-user state lives under $XDG_STATE_HOME/vesper
// (else ~/.local/state/vesper). Only looks; never creates or reads a file's content.

export const CONFIG_FILE = "veyra.config.yaml";

/** The default trace store rule in one line, for --help (config.ts applies it). */
export const STORE_RULE =
  "VEYRA_STORE, else store: in veyra.config.yaml, else traces/vesper.db in the nearest folder (this one or above) holding veyra.config.yaml or a traces/ folder, else ~/.local/state/vesper/vesper.db";

/** The nearest folder at or above `cwd` holding veyra.config.yaml or a traces/ folder. */
export function findProject(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (isFile(join(dir, CONFIG_FILE)) || isDirectory(join(dir, "traces"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The per-user store, for runs outside any project. */
export function userStorePath(env: NodeJS.ProcessEnv = process.env): string {
  // XDG says a relative XDG_STATE_HOME is invalid and is to be ignored.
  const state =
    env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME)
      ? env.XDG_STATE_HOME
      : join(env.HOME || homedir(), ".local", "state");
  return join(state, "vesper", "vesper.db");
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
