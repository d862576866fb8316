import type { ErrorKind } from "../src/values/error-codes.js";

/** Exit statuses shared by both programs; documented in the README. */
export const EXIT = {
  OK: 0,
  /** Not built yet, or an internal failure (a bug: rerun with --debug for the stack). */
  FAILURE: 1,
  /** Bad usage, a bad flag, or an invalid .vsp file. */
  USAGE: 2,
  /** A contract violation or runtime failure while running a node. */
  RUNTIME: 3,
  /** The runtimes diverged (vesper debug --comparative, vesper test). */
  DIVERGENCE: 4,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

/** The one place an error's kind becomes an exit status. */
const BY_KIND: Record<ErrorKind, number> = {
  usage: EXIT.USAGE,
  input: EXIT.USAGE,
  node: EXIT.USAGE,
  store: EXIT.USAGE,
  runtime: EXIT.RUNTIME,
  environment: EXIT.FAILURE,
  bug: EXIT.FAILURE,
};

export function exitStatusFor(kind: ErrorKind): number {
  return BY_KIND[kind];
}
