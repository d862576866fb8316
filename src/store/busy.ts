import { StoreError } from "./store-error.js";

// A store another process is writing is busy for as long as that process holds the
// write lock (one short batch, normally). SQLite's own busy handler waits up to the
// connection's busy timeout; past that, every write path here tries again with
// growing, jittered pauses, and when the store stays locked for the whole budget it
// is a StoreError (exit 2) saying so — never "internal error: database is locked".
// A write is retried only when it failed to start (BEGIN IMMEDIATE, or a single
// statement): nothing of it was applied, so trying again cannot apply it twice.

/** How long one attempt waits inside SQLite for the lock. */
export const BUSY_TIMEOUT_MS = 5_000;
/** How long a write keeps trying, all attempts together. */
export const BUSY_BUDGET_MS = 60_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` (a synchronous store has nothing else to do meanwhile). */
export function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code === "SQLITE_LOCKED");
}

/**
 * Runs `f`, trying again while it fails because the store is busy, for at most
 * `budgetMs` in all; then a StoreError naming `path` and what was being done.
 */
export function retryBusy<T>(f: () => T, path: string, doing: string, budgetMs = BUSY_BUDGET_MS): T {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return f();
    } catch (err) {
      if (!isBusy(err)) throw err;
      const waited = Date.now() - started;
      if (waited >= budgetMs) {
        throw new StoreError(
          `the trace store ${path} stayed locked by another process for ${Math.round(waited / 1000)} s while ${doing}; nothing of it was written — try again (a long \`vesper traces gc --vacuum\` holds the lock while it runs)`,
          "S103",
        );
      }
      const pause = Math.min(1_000, 10 * 2 ** Math.min(attempt, 7)) * (0.5 + Math.random());
      sleepSync(Math.min(pause, budgetMs - waited));
    }
  }
}
