import { accessSync, constants, mkdirSync, statSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { StoreError } from "./store-error.js";

// Where a store file may be: checked before SQLite is asked to open anything, so a
// path that cannot work is a StoreError naming it (exit 2), never an internal error.
//   - an existing path must be a regular file;
//   - a writer may create a missing file, and the missing folders above it, one
//     folder at a time (never `mkdir -p`, which spins forever under /proc): the
//     nearest existing folder above must be a writable directory;
//   - a reader never creates anything.
// Every loop here walks up a path, so it ends at the root at the latest.

export type StorePathState = "missing" | "empty" | "file";

function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR") {
      throw new StoreError(
        `cannot use the trace store ${path}: ${blockingFile(path)} is a file, not a directory`,
        "S104",
      );
    }
    throw new StoreError(`cannot use the trace store ${path}: ${code ?? (err as Error).message}`, "S104");
  }
}

/** The first component of `path` (from the root down) that exists and is not a directory. */
function blockingFile(path: string): string {
  const chain: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of chain) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      break;
    }
  }
  return dirname(path);
}

/** What is at `path` now; a directory, a device or a path through a file is a StoreError. */
export function storePathState(path: string): StorePathState {
  const st = stat(path);
  if (!st) return "missing";
  if (st.isDirectory()) {
    throw new StoreError(`cannot use the trace store ${path}: it is a directory; name a file inside it`, "S104");
  }
  if (!st.isFile()) throw new StoreError(`cannot use the trace store ${path}: it is not a regular file`, "S104");
  return st.size === 0 ? "empty" : "file";
}

/** Whether this process may write `path` (and create its -wal and -shm files beside it). */
export function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the folders above a store file that is about to be created. The nearest
 * existing folder must be a directory this process can write; each missing folder
 * is then made with one plain mkdir, and any failure is a StoreError naming it.
 */
export function prepareNewStore(path: string): void {
  const missing: string[] = [];
  let dir = dirname(resolve(path));
  for (;;) {
    const st = stat(dir);
    if (st) {
      if (!st.isDirectory())
        throw new StoreError(`cannot create the trace store ${path}: ${dir} is a file, not a directory`, "S104");
      break;
    }
    missing.unshift(dir);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (!writable(dir)) {
    throw new StoreError(
      `cannot create the trace store ${path}: the directory ${dir} is not writable (choose another file with --store)`,
      "S104",
    );
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && stat(d)?.isDirectory()) continue;
      throw new StoreError(`cannot create the trace store ${path}: cannot make the directory ${d} (${code})`, "S104");
    }
  }
}
