// Group commit: writes handed to a CommitGroup are committed together, in one
// transaction, instead of one commit each; a commit (its WAL pages, its locks) costs
// more than a short trace's rows. The trade is durability, and it is bounded: a
// write is committed at most `windowMs` after it was handed over, or as soon as
// GROUP_MAX writes wait, or at the next use of the store by this process (the store
// commits the group before any other read or write, so this process never sees the
// store without its own writes), or when the store is closed, or when the process
// exits: normally, by process.exit(), or on SIGINT, SIGTERM or SIGHUP (a listener is
// held only while writes wait; with no other listener for the signal, it is raised
// again once the group is committed, so the process still ends as it would have).
// A SIGKILL, a crash of Node itself or a power loss loses the writes still waiting:
// at most the last window's. docs/trace-store.md, "Group commit", states the trade.
// Each write runs in its own savepoint, so one that fails loses only itself; a
// failure is reported at the next use of the store (or on stderr at exit).

/** At most this many writes wait for one group commit. */
export const GROUP_MAX = 64;

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Groups with writes waiting, across the process: the exit and signal listeners commit them. */
const waiting = new Set<CommitGroup>();

function commitAllAtExit(): void {
  for (const g of [...waiting]) g.commitAtExit();
}

function onSignal(signal: NodeJS.Signals): void {
  commitAllAtExit();
  // commitAtExit released the listeners; nobody else listening means the signal's default: end the process.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function hold(g: CommitGroup): void {
  if (waiting.size === 0) {
    process.on("exit", commitAllAtExit);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  waiting.add(g);
}

function release(g: CommitGroup): void {
  if (!waiting.delete(g) || waiting.size > 0) return;
  process.removeListener("exit", commitAllAtExit);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

export class CommitGroup {
  private queue: (() => void)[] = [];
  private timer?: NodeJS.Timeout;
  /** A commit made by the timer that failed: thrown at the next use of the store. */
  private failure: unknown;

  /**
   * `commit` writes a group in one transaction, running each write in a savepoint
   * and throwing the first failure after the others are committed.
   */
  constructor(
    readonly windowMs: number,
    private readonly commit: (writes: (() => void)[]) => void,
    private readonly path: string,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  /** Whether writes wait, or a failed commit waits to be reported: settle() has something to do. */
  get unsettled(): boolean {
    return this.queue.length > 0 || this.failure !== undefined;
  }

  /** Hands a write over: it is committed with the group (see the file's header for when). */
  add(write: () => void): void {
    this.queue.push(write);
    if (this.queue.length === 1) {
      hold(this);
      this.timer = setTimeout(() => this.commitLater(), this.windowMs);
      // The exit listener commits what waits; the timer must not keep the process alive.
      this.timer.unref();
    }
    if (this.queue.length >= GROUP_MAX) this.settle();
  }

  /** Commits what waits now, and throws a failure of this group's commits not yet reported. */
  settle(): void {
    const failure = this.failure;
    this.failure = undefined;
    this.commitNow();
    if (failure !== undefined) throw failure;
  }

  /** At exit or on a signal: commits what waits; a failure can only be told on stderr. */
  commitAtExit(): void {
    try {
      this.settle();
    } catch (err) {
      process.stderr.write(
        `vesper: the trace store ${this.path}: writes waiting for a group commit were lost: ${(err as Error).message}\n`,
      );
      if (!process.exitCode) process.exitCode = 2;
    }
  }

  private commitLater(): void {
    try {
      this.commitNow();
    } catch (err) {
      this.failure ??= err;
    }
  }

  private commitNow(): void {
    if (this.queue.length === 0) return;
    const writes = this.queue;
    this.queue = [];
    clearTimeout(this.timer);
    release(this);
    this.commit(writes);
  }
}
