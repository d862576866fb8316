import type { StoreCursor } from "../store/follow.js";

// What every live follower of the store shares (the traces' in follow.ts, the seed
// runs' in seed-follow.ts): "now" fixed in one snapshot as it opens, an abort signal
// that closes it, close() that ends a wait at once, poll() for a caller's own timer,
// and the async iteration that looks every pollMs (at once again after a full batch).
// A subclass says what one look reads (read(), inside one read transaction), and may
// look without a change (due()) or end itself after a look (endsWith()): the look
// that ends it is still delivered whole, while a close() from outside stops the
// iteration at the next event.

export const DEFAULT_POLL_MS = 15;
export const DEFAULT_BATCH = 500;

export interface FollowerOptions {
  /** "now" (default): what is committed from here on; "start": everything in the store first. */
  from?: "now" | "start";
  /** How often to ask the store whether anything changed, in ms (default 15). */
  pollMs?: number;
  /** Rows read per table per look (default 500); more wait for the next look, which comes at once. */
  batch?: number;
  /** Stops the iteration (it then ends normally) and closes the store. */
  signal?: AbortSignal;
}

export abstract class StoreFollower<E> implements AsyncIterable<E> {
  /** A look read a whole batch somewhere: look again without waiting for a change. */
  protected more = true;
  protected readonly batch: number;
  private closed = false;
  /** Ends the current wait early (close()). */
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly pollMs: number;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort = () => this.close();

  protected constructor(
    protected readonly cursor: StoreCursor,
    options: FollowerOptions,
  ) {
    this.batch = options.batch ?? DEFAULT_BATCH;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.signal = options.signal;
  }

  /**
   * Fixes "now" (unless following from the start) and listens to the signal: the
   * last thing a subclass's constructor does, once its own fields are set. A store
   * that cannot be read closes the cursor and throws.
   */
  protected begin(from: "now" | "start" | undefined, startNow: () => void): void {
    try {
      if (from !== "start") this.cursor.snapshot(startNow);
    } catch (err) {
      this.cursor.close();
      throw err;
    }
    this.signal?.addEventListener("abort", this.onAbort, { once: true });
    if (this.signal?.aborted) this.close();
  }

  /** What one look reads: the events committed since the last look (inside a read transaction). */
  protected abstract read(): E[];

  /** Whether to look though nothing was committed (default: never). */
  protected due(): boolean {
    return false;
  }

  /** Whether these events end the follower (default: never; close() or the signal ends it). */
  protected endsWith(_events: readonly E[]): boolean {
    return false;
  }

  /** Notes a look that read a whole batch: the next look comes at once. */
  protected full(rows: readonly unknown[]): boolean {
    if (rows.length >= this.batch) this.more = true;
    return rows.length >= this.batch;
  }

  /** The store's path. */
  get path(): string {
    return this.cursor.path;
  }

  /** Whether it has ended (closed, or ended by what it read). */
  get done(): boolean {
    return this.closed;
  }

  /**
   * One look: the events committed since the last look, in order ([] when nothing
   * changed, which costs one pragma). For callers with their own timer (a TUI's
   * render loop); the async iterator calls it every pollMs.
   */
  poll(): E[] {
    if (this.closed) return [];
    if (!this.cursor.changed() && !this.more && !this.due()) return [];
    this.more = false;
    const events = this.cursor.snapshot(() => this.read());
    if (this.endsWith(events)) this.close();
    return events;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.signal?.removeEventListener("abort", this.onAbort);
    clearTimeout(this.timer);
    this.wake?.();
    this.cursor.close();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<E, void, undefined> {
    try {
      while (!this.closed) {
        const events = this.poll();
        // Ended by this very look: deliver it whole; closed from outside: stop.
        const ending = this.closed;
        for (const e of events) {
          yield e;
          if (this.closed && !ending) return;
        }
        if (events.length > 0 || this.more) continue;
        await this.wait();
      }
    } finally {
      this.close();
    }
  }

  /**
   * Waits pollMs, or until close(). A bare timer, not timers/promises with a signal:
   * idle, this wait is nearly all a follower costs, and the signal's listener
   * bookkeeping nearly doubled it.
   */
  private wait(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, this.pollMs);
    });
  }
}
