import Database from "better-sqlite3";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { latestVersion, migrations } from "./migrations.js";
import { StoreError } from "./store-error.js";

// The trace store: one SQLite file in WAL mode, so readers (traces list, the TUI,
// seeds watch) never block the writer and the writer never blocks them. Opening
// checks the file before writing anything: a file that is not SQLite, a SQLite file
// that is not a trace store, or a store from a newer vesper is refused untouched.
// An older store is upgraded by the migrations in traces/. Traces whose writing
// process died (SIGKILL, power loss) are marked incomplete.

export interface OpenOptions {
  /** Open for reading only: no migration, no recovery, and a missing file is an error. */
  readonly?: boolean;
  /** A missing or empty file is an error instead of a new store (for commands that only read). */
  mustExist?: boolean;
}

/** How long a writer waits for another writer's transaction before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

export class TraceStore {
  private constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {}

  static open(path: string, options: OpenOptions = {}): TraceStore {
    const isNew = !existsSync(path);
    if ((isNew || statSync(path).size === 0) && (options.readonly || options.mustExist)) {
      throw new StoreError(
        `no trace store at ${path} (nothing has been recorded there yet; vesper run records into it)`,
      );
    }
    if (isNew) mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: options.readonly ?? false, timeout: BUSY_TIMEOUT_MS });
    } catch (err) {
      throw new StoreError(`cannot open the trace store ${path}: ${(err as Error).message}`);
    }
    try {
      checkFile(db, path);
      if (!options.readonly) {
        db.pragma("journal_mode = WAL");
        // NORMAL is durable across application crashes in WAL mode (a power loss may
        // lose the last commits, never the file's consistency).
        db.pragma("synchronous = NORMAL");
      }
      db.pragma("foreign_keys = ON");
      const store = new TraceStore(db, path);
      if (!options.readonly) {
        store.migrate();
        store.markAbandoned();
      }
      return store;
    } catch (err) {
      db.close();
      if (err instanceof StoreError) throw err;
      throw new StoreError(`cannot use the trace store ${path}: ${(err as Error).message}`);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * Runs f in one IMMEDIATE transaction: the write lock is taken first, so what f
   * reads cannot change before it writes. A call inside another joins it (a savepoint).
   */
  write<T>(f: () => T): T {
    return this.db.transaction(f).immediate();
  }

  /** Runs f in one read transaction: every read in it sees the same committed state. */
  read<T>(f: () => T): T {
    return this.db.transaction(f).deferred();
  }

  get version(): number {
    return this.db.pragma("user_version", { simple: true }) as number;
  }

  private migrate(): void {
    const from = this.version;
    const pending = migrations().slice(from);
    if (pending.length === 0) return;
    // IMMEDIATE takes the write lock first, so two processes opening a new store at
    // once apply each migration once: the second finds the version already raised.
    this.db
      .transaction(() => {
        const now = this.version;
        for (const m of migrations().slice(now)) {
          this.db.exec(m.sql);
          this.db.pragma(`user_version = ${m.version}`);
        }
      })
      .immediate();
  }

  /** Traces left `running` by a process that no longer exists are marked incomplete. */
  private markAbandoned(): void {
    const running = this.db
      .prepare("SELECT id, writer_pid, writer_host FROM traces WHERE status = 'running'")
      .all() as { id: string; writer_pid: number | null; writer_host: string | null }[];
    const host = hostname();
    const dead = running.filter((t) => t.writer_host !== host || t.writer_pid === null || !processAlive(t.writer_pid));
    if (dead.length === 0) return;
    const mark = this.db.prepare("UPDATE traces SET status = 'incomplete' WHERE id = ? AND status = 'running'");
    this.db
      .transaction(() => {
        for (const t of dead) mark.run(t.id);
      })
      .immediate();
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Reads (never writes) enough of the file to know it is a store this program can use. */
function checkFile(db: Database.Database, path: string): void {
  let version: number;
  let tables: string[];
  try {
    version = db.pragma("user_version", { simple: true }) as number;
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (r) => r.name,
    );
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === "SQLITE_NOTADB"
        ? "it is not a SQLite database"
        : code === "SQLITE_CORRUPT"
          ? "the database is corrupt"
          : (err as Error).message;
    throw new StoreError(
      `${path} is not a usable trace store: ${why}; it was left untouched (move it away, or choose another file with --store)`,
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
