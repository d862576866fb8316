import Database from "better-sqlite3";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BUSY_TIMEOUT_MS, retryBusy } from "./busy.js";
import { CommitGroup } from "./group-commit.js";
import { isAbandoned, type WriterLease } from "./liveness.js";
import { latestVersion, migrations } from "./migrations.js";
import { StoreError } from "./store-error.js";
import { prepareNewStore, storePathState, writable } from "./store-path.js";

// The trace store: one SQLite file in WAL mode, so readers (traces list, the TUI,
// seeds watch) never block the writer and the writer never blocks them. Opening
// checks the path and the file before writing anything: a path that cannot hold a
// store, a file that is not SQLite, a SQLite file that is not a trace store, a store
// that fails SQLite's quick check, or one from a newer vesper is refused untouched.
// An older store is upgraded by the migrations in traces/ (by writers only: a
// reader opens read-only and reads any schema it knows). Traces whose writer is
// gone (src/store/liveness.ts: by lease, not by host) are marked incomplete.
// Every write retries a busy store (src/store/busy.ts) before it reports it.
// Opened with `groupCommitMs`, a writer may hand writes over to be committed
// together (src/store/group-commit.ts); any other use of the store by this process
// (`db`, `write`, `read`, `close`) commits them first.

export interface OpenOptions {
  /** Open for reading only: no migration, no recovery, and a missing file is an error. */
  readonly?: boolean;
  /** A missing or empty file is an error instead of a new store (for commands that only read). */
  mustExist?: boolean;
  /**
   * Run SQLite's quick check before using the file (default: when writing). A store
   * that fails it is refused untouched: writing into a damaged file spreads the damage.
   */
  check?: boolean;
  /** How long a write keeps retrying a busy store, all attempts together (tests shorten it). */
  busyBudgetMs?: number;
  /**
   * Group commit: writes handed to `defer` (a finished trace's rows) wait at most
   * this many milliseconds to be committed together (docs/trace-store.md, "Group
   * commit": a SIGKILL loses at most this window). Unset or 0: each is committed at once.
   */
  groupCommitMs?: number;
}

export class TraceStore {
  private readonly group?: CommitGroup;
  private savepoints?: Record<"begin" | "release" | "undo", Database.Statement>;

  private constructor(
    private readonly handle: Database.Database,
    readonly path: string,
    readonly readonly: boolean,
    private readonly busyBudgetMs: number | undefined,
    private readonly cleanup?: () => void,
    groupCommitMs = 0,
  ) {
    if (groupCommitMs > 0 && !readonly) this.group = new CommitGroup(groupCommitMs, (w) => this.commitGroup(w), path);
  }

  /** The database, with every write this process handed to `defer` committed. */
  get db(): Database.Database {
    if (this.group?.unsettled) this.group.settle();
    return this.handle;
  }

  /** Whether `defer` waits for a group commit (the store was opened with groupCommitMs). */
  get groupsCommits(): boolean {
    return this.group !== undefined;
  }

  /**
   * Runs `write` inside a write transaction: with the next group commit when the
   * store groups commits, else now, in a transaction of its own.
   */
  defer(write: () => void, doing: string): void {
    if (this.group) this.group.add(write);
    else this.write(write, doing);
  }

  /** Commits the writes waiting for a group commit now (a failure of an earlier group commit is thrown here). */
  commitWaiting(): void {
    this.group?.settle();
  }

  /** One transaction for a group: each write in a savepoint, so a failing one loses only itself. */
  private commitGroup(writes: (() => void)[]): void {
    let failure: unknown;
    // Prepared once: a better-sqlite3 transaction function per write costs more than the savepoint.
    const sp = (this.savepoints ??= {
      begin: this.handle.prepare("SAVEPOINT group_write"),
      release: this.handle.prepare("RELEASE group_write"),
      undo: this.handle.prepare("ROLLBACK TO group_write"),
    });
    this.write(() => {
      for (const w of writes) {
        sp.begin.run();
        try {
          w();
        } catch (err) {
          failure ??= err;
          sp.undo.run();
        }
        sp.release.run();
      }
    }, `committing ${writes.length} recorded traces`);
    if (failure !== undefined) throw storeErrorFrom(failure, this.path);
  }

  static open(path: string, options: OpenOptions = {}): TraceStore {
    const readonly = options.readonly ?? false;
    const state = storePathState(path);
    if (state !== "file" && (readonly || options.mustExist)) {
      throw new StoreError(
        `no trace store at ${path} (nothing has been recorded there yet; vesper run records into it)`,
      );
    }
    if (!readonly) checkWritable(path, state);
    let db = connect(path, readonly, Math.min(BUSY_TIMEOUT_MS, options.busyBudgetMs ?? BUSY_TIMEOUT_MS));
    let cleanup: (() => void) | undefined;
    try {
      try {
        checkFile(db, path, options.check ?? !readonly);
      } catch (err) {
        // A WAL store in a directory this process cannot write, with no -shm beside it:
        // SQLite cannot set up its shared memory there, so it is read from a private copy.
        if (!readonly || !cannotInitShm(err)) throw err;
        db.close();
        ({ db, cleanup } = readonlyCopy(path));
        checkFile(db, path, options.check ?? false);
      }
      if (!readonly) {
        if ((db.pragma("user_version", { simple: true }) as number) === 0) {
          // A new store: free pages can then be returned to the file system in short
          // batches (`traces gc --vacuum`) instead of one VACUUM that holds the lock.
          db.pragma("auto_vacuum = INCREMENTAL");
        }
        retryBusy(() => db.pragma("journal_mode = WAL"), path, "opening it", options.busyBudgetMs);
        // NORMAL is durable across application crashes in WAL mode (a power loss may
        // lose the last commits, never the file's consistency).
        db.pragma("synchronous = NORMAL");
      }
      db.pragma("foreign_keys = ON");
      const store = new TraceStore(db, path, readonly, options.busyBudgetMs, cleanup, options.groupCommitMs);
      if (!readonly) {
        store.migrate();
        store.markAbandoned();
      }
      return store;
    } catch (err) {
      db.close();
      cleanup?.();
      if (err instanceof StoreError) throw err;
      throw storeErrorFrom(err, path);
    }
  }

  close(): void {
    try {
      if (this.handle.open) this.group?.settle();
    } finally {
      if (this.handle.open) this.handle.close();
      this.cleanup?.();
    }
  }

  /**
   * Runs f in one IMMEDIATE transaction: the write lock is taken first, so what f
   * reads cannot change before it writes. A busy store is retried (f has not run
   * then) and reported as a StoreError when it stays busy. A call inside another
   * transaction joins it (a savepoint).
   */
  write<T>(f: () => T, doing = "writing to it"): T {
    const db = this.db;
    const run = this.transactions();
    if (db.inTransaction) return run(f) as T;
    try {
      return retryBusy(() => run.immediate(f) as T, this.path, doing, this.busyBudgetMs);
    } catch (err) {
      // A full disk is the user's to fix, not a bug: a StoreError (the transaction was rolled back).
      if (diskTrouble(String((err as { code?: unknown })?.code))) throw storeErrorFrom(err, this.path);
      throw err;
    }
  }

  /** Runs f in one read transaction: every read in it sees the same committed state. */
  read<T>(f: () => T): T {
    if (this.group?.unsettled) this.group.settle();
    return this.transactions().deferred(f) as T;
  }

  /**
   * One better-sqlite3 transaction function, made once, that runs the function it is
   * given: `db.transaction(f)` builds five wrappers each call, a few µs of every
   * recorded trace's commit.
   */
  private run?: Database.Transaction<typeof runIt>;

  private transactions(): Database.Transaction<typeof runIt> {
    return (this.run ??= this.handle.transaction(runIt));
  }

  /** Whether the store has this table (a reader may open a store of an older schema). */
  hasTable(name: string): boolean {
    return (
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) !== undefined
    );
  }

  get version(): number {
    return this.db.pragma("user_version", { simple: true }) as number;
  }

  private migrate(): void {
    if (migrations().length <= this.version) return;
    // IMMEDIATE takes the write lock first, so two processes opening a new store at
    // once apply each migration once: the second finds the version already raised.
    this.write(() => {
      for (const m of migrations().slice(this.version)) {
        this.db.exec(m.sql);
        this.db.pragma(`user_version = ${m.version}`);
      }
    }, "upgrading its schema");
  }

  /** Traces left `running` by a writer that is gone (its lease ran out, or its process died here) are marked incomplete. */
  private markAbandoned(): void {
    const lease = this.db.prepare("SELECT 1 FROM pragma_table_info('traces') WHERE name = 'heartbeat_at'").get()
      ? "heartbeat_at"
      : "NULL AS heartbeat_at";
    const running = this.db
      .prepare(`SELECT id, status, started_at, ${lease}, writer_pid, writer_host FROM traces WHERE status = 'running'`)
      .all() as (WriterLease & { id: string })[];
    const now = Date.now();
    const dead = running.filter((t) => isAbandoned(t, now));
    if (dead.length === 0) return;
    const mark = this.db.prepare("UPDATE traces SET status = 'incomplete' WHERE id = ? AND status = 'running'");
    this.write(() => {
      for (const t of dead) mark.run(t.id);
    }, "marking abandoned traces");
  }
}

function connect(path: string, readonly: boolean, timeout: number): Database.Database {
  try {
    return new Database(path, { readonly, fileMustExist: readonly, timeout });
  } catch (err) {
    throw new StoreError(`cannot open the trace store ${path}: ${(err as Error).message}`);
  }
}

/** A writer needs the file and its folder writable (the -wal and -shm files live beside it). */
function checkWritable(path: string, state: "missing" | "empty" | "file"): void {
  if (state === "missing") {
    prepareNewStore(path);
    return;
  }
  if (!writable(path)) {
    throw new StoreError(
      `the trace store ${path} is read-only (its file is not writable): nothing can be recorded into it; the reading commands (vesper traces list, show, verify, export) still work`,
      "S104",
    );
  }
  if (!writable(dirname(path)) && !existsSync(`${path}-wal`)) {
    throw new StoreError(
      `cannot write the trace store ${path}: its directory ${dirname(path)} is not writable (SQLite keeps a -wal file beside the store)`,
      "S104",
    );
  }
}

function cannotInitShm(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? "";
  return code === "SQLITE_READONLY_DIRECTORY" || code === "SQLITE_CANTOPEN" || code.startsWith("SQLITE_READONLY_CANT");
}

/** A private copy of a store (and its -wal) to read when its own directory cannot be written. */
function readonlyCopy(path: string): { db: Database.Database; cleanup: () => void } {
  let dir = "";
  const cleanup = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    dir = mkdtempSync(join(tmpdir(), "vesper-store-copy-"));
    const copy = join(dir, "store.db");
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    return { db: new Database(copy, { readonly: true, fileMustExist: true }), cleanup };
  } catch (err) {
    cleanup();
    throw new StoreError(
      `cannot read the trace store ${path}: its directory cannot be written (SQLite needs a -shm file beside the store), and a private copy could not be made either (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

/**
 * A SQLite failure met while using a store, as the StoreError a user can act on
 * (corrupt, not a database, locked, out of space); anything else is returned as it is.
 */
export function storeErrorFrom(err: unknown, path: string): unknown {
  if (err instanceof StoreError) return err;
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return err;
  const why = code.startsWith("SQLITE_CORRUPT")
    ? "the database is corrupt (PRAGMA integrity_check says where); restore it from a copy or move it away"
    : code === "SQLITE_NOTADB"
      ? "it is not a SQLite database"
      : diskTrouble(code)
        ? diskWhy(code)
        : code.startsWith("SQLITE_BUSY")
          ? "another process held its write lock for too long; try again"
          : code.startsWith("SQLITE_READONLY")
            ? "it cannot be written here"
            : (err as Error).message;
  return new StoreError(`cannot use the trace store ${path}: ${why}`, code.startsWith("SQLITE_BUSY") ? "S103" : "S100");
}

/** SQLite could not write or grow its files: the disk is full, or a file-size limit (ulimit -f) was reached. */
function diskTrouble(code: string): boolean {
  return code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR");
}

function diskWhy(code: string): string {
  return `SQLite could not write its files (${code}): is the disk full, or a file-size limit (ulimit -f) reached? What was committed before is kept; free space and try again`;
}

/** What a store transaction runs: the function it is handed. */
const runIt = (f: () => unknown): unknown => f();

/** Reads (never writes) enough of the file to know it is a store this program can use. */
function checkFile(db: Database.Database, path: string, quickCheck: boolean): void {
  let version: number;
  let tables: string[];
  let check = "ok";
  try {
    version = db.pragma("user_version", { simple: true }) as number;
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    if (quickCheck && tables.length > 0) {
      try {
        check = String(db.pragma("quick_check(1)", { simple: true }));
      } catch (err) {
        if (!String((err as { code?: string }).code).startsWith("SQLITE_CORRUPT")) throw err;
        check = (err as Error).message;
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    if (cannotInitShm(err)) throw err;
    if (diskTrouble(code)) throw new StoreError(`cannot use the trace store ${path}: ${diskWhy(code)}`);
    const why =
      code === "SQLITE_NOTADB"
        ? "it is not a SQLite database"
        : code.startsWith("SQLITE_CORRUPT")
          ? "the database is corrupt"
          : (err as Error).message;
    throw new StoreError(
      `${path} is not a usable trace store: ${why}; it was left untouched (move it away, or choose another file with --store)`,
    );
  }
  if (check !== "ok") {
    const what = check
      .replace(/\*\*\* in database \w+ \*\*\*\s*/g, "")
      .split("\n")
      .filter(Boolean)
      .join("; ");
    throw new StoreError(
      `${path} is not a usable trace store: it fails SQLite's quick check (${what}); it was left untouched — restore it from a copy, or move it away and record into a new one`,
    );
  }
  const latest = latestVersion();
  if (version > latest) {
    throw new StoreError(
      `${path} has trace store schema version ${version}, newer than this vesper knows (${latest}); upgrade vesper to read it — the file was left untouched`,
    );
  }
  if (version === 0 && tables.length > 0) {
    throw new StoreError(
      `${path} is a SQLite database but not a trace store (it has tables ${tables.slice(0, 3).join(", ")}…); it was left untouched`,
    );
  }
}
