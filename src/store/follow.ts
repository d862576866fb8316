import { StoreError } from "./store-error.js";
import { TraceStore } from "./store.js";
import type { Statement } from "better-sqlite3";

// Following a store that another process writes: the cursor mechanics, with no
// knowledge of what the tables mean. A read-only connection (so following never
// takes a lock a writer waits for; in WAL mode a reader never blocks the writer)
// asks SQLite whether anything was committed since it last looked: PRAGMA
// data_version changes when another connection commits, and costs a read of the
// shared-memory header, not of any table. Only then are tables read, and only
// their rows past a cursor: a column whose value only grows as rows are appended
// (rowid, an INTEGER PRIMARY KEY, an id), so nothing is ever read twice.
//
// Which tables are followed is a list of FollowedTable entries kept by their
// owners (src/trace/followed-tables.ts); a new table is a new entry. A table the
// store does not have yet (an older schema) reads as empty until a migration adds
// it, which is noticed because the schema version changes.

export type Row = Record<string, unknown>;

export interface FollowedTable {
  /** The table's name. */
  table: string;
  /** A column whose values only grow as rows are appended: rowid, an INTEGER PRIMARY KEY, an id. */
  cursor: string;
  /**
   * For a table whose cursor grows only within a partition (a trace's steps: idx
   * within one trace_id): the partition column. Its rows are read one partition at
   * a time, by the table's primary key.
   */
  partition?: string;
  /** The columns read (default every column). */
  columns?: readonly string[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`follow: '${name}' is not a plain SQL identifier`);
  return name;
}

export class StoreCursor {
  private readonly dataVersion: Statement;
  private readonly schemaVersion: Statement;
  private readonly statements = new Map<string, Statement>();
  private lastData: number;
  private lastSchema = -1;
  private tables = new Set<string>();

  private constructor(private readonly store: TraceStore) {
    this.dataVersion = store.db.prepare("PRAGMA data_version").pluck();
    this.schemaVersion = store.db.prepare("PRAGMA schema_version").pluck();
    this.lastData = this.dataVersion.get() as number;
  }

  /**
   * Opens the store at `path` for following. A missing file is a StoreError (the
   * store is created by the first writer; following waits for nothing), as is a
   * file that is not a store or is from a newer vesper.
   */
  static open(path: string): StoreCursor {
    const store = TraceStore.open(path, { readonly: true });
    try {
      return new StoreCursor(store);
    } catch (err) {
      store.close();
      throw new StoreError(`cannot follow the trace store ${path}: ${(err as Error).message}`);
    }
  }

  get path(): string {
    return this.store.path;
  }

  /** Whether another connection committed anything since the last call (or since opening). */
  changed(): boolean {
    const now = this.dataVersion.get() as number;
    if (now === this.lastData) return false;
    this.lastData = now;
    return true;
  }

  /** Runs f in one read transaction: every read in it sees the same committed state. */
  snapshot<T>(f: () => T): T {
    return this.store.read(() => {
      this.refreshTables();
      return f();
    });
  }

  /** Whether the store has this table now. */
  has(table: string): boolean {
    if (this.lastSchema < 0) this.refreshTables();
    return this.tables.has(table);
  }

  /** The cursor's highest value now (0 for an empty or missing table): where "from now" starts. */
  top(t: FollowedTable, partitionKey?: unknown): number {
    if (!this.has(t.table)) return 0;
    const where = t.partition ? ` WHERE ${identifier(t.partition)} = ?` : "";
    const stmt = this.statement(
      `top:${key(t)}`,
      () => `SELECT MAX(${identifier(t.cursor)}) FROM ${identifier(t.table)}${where}`,
      true,
    );
    const value = (t.partition ? stmt.get(partitionKey) : stmt.get()) as number | null;
    return value ?? 0;
  }

  /** Rows whose cursor is past `cursor`, in cursor order, at most `limit` (within one partition when the table has them). */
  after(t: FollowedTable, cursor: number, limit: number, partitionKey?: unknown): Row[] {
    if (!this.has(t.table)) return [];
    const where = t.partition ? `${identifier(t.partition)} = ? AND ` : "";
    const stmt = this.statement(`after:${key(t)}`, () => {
      const c = identifier(t.cursor);
      // rowid is not part of `*`: name it so the caller can advance its cursor.
      const extra = c === "rowid" ? "rowid AS rowid, " : "";
      return `SELECT ${extra}${columns(t)} FROM ${identifier(t.table)} WHERE ${where}${c} > ? ORDER BY ${c} LIMIT ?`;
    });
    return (t.partition ? stmt.all(partitionKey, cursor, limit) : stmt.all(cursor, limit)) as Row[];
  }

  /**
   * Rows of `table` whose `key` column is one of `keys`, read again: how a follower
   * sees rows that change in place (a trace's status and step count).
   */
  byKeys(t: FollowedTable, column: string, keys: readonly unknown[]): Row[] {
    if (!this.has(t.table) || keys.length === 0) return [];
    const out: Row[] = [];
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const sql = `SELECT ${columns(t)} FROM ${identifier(t.table)} WHERE ${identifier(column)} IN (${chunk.map(() => "?").join(", ")})`;
      out.push(...(this.statement(`keys:${key(t)}:${column}:${chunk.length}`, () => sql).all(...chunk) as Row[]));
    }
    return out;
  }

  close(): void {
    this.store.close();
  }

  private statement(name: string, sql: () => string, pluck = false): Statement {
    let s = this.statements.get(name);
    if (!s) {
      s = this.store.db.prepare(sql());
      if (pluck) s.pluck();
      this.statements.set(name, s);
    }
    return s;
  }

  /** Re-reads the list of tables when the schema changed (a migration added one). */
  private refreshTables(): void {
    const schema = this.schemaVersion.get() as number;
    if (schema === this.lastSchema) return;
    this.lastSchema = schema;
    this.tables = new Set(
      this.store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
    );
    // Statements prepared against the old schema are re-prepared on demand.
    this.statements.clear();
  }
}

/** Statements are cached per table definition: two entries may read one table differently. */
const key = (t: FollowedTable) => `${t.table}/${t.cursor}/${t.partition ?? ""}/${t.columns?.join(",") ?? "*"}`;

function columns(t: FollowedTable): string {
  return t.columns ? t.columns.map(identifier).join(", ") : "*";
}
