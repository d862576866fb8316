import { locateStore, storeNeedsNaming } from "../src/config/config.js";

// `--store FILE` for the commands a verb suggests (`vesper replay ID`, `vesper debug
// --trace ID`, a reproduce line): present exactly when the store in use is not the
// one the same command would find without --store from the working directory, so a
// suggested command pasted as printed reaches the same store. The path is absolute
// (it still works from another folder) and quoted for a POSIX shell when it must be.

/** " --store FILE" when a suggested command needs it, else "". */
export function storeArgument(flag: string | undefined, cwd = process.cwd(), env = process.env): string {
  if (!storeNeedsNaming(flag, cwd, env)) return "";
  return ` --store ${shellWord(locateStore(flag, cwd, env).path)}`;
}

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** For --help: which store a command run here without --store uses, and why. */
export function storeHereLine(cwd = process.cwd(), env = process.env): string {
  let where: ReturnType<typeof locateStore>;
  try {
    where = locateStore(undefined, cwd, env);
  } catch (err) {
    return `\nTrace store here: unknown (${(err as Error).message})`;
  }
  const why = {
    flag: "--store",
    env: "from VEYRA_STORE",
    config: "from store: in the config file",
    project: "the project's, found at or above this folder",
    user: "the per-user store: no veyra.config.yaml or traces/ folder here or above",
  }[where.source];
  return `\nTrace store here (without --store): ${where.path} (${why})`;
}
