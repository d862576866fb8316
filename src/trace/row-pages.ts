import type { Statement } from "better-sqlite3";
import type { TraceStore } from "../store/store.js";

// A trace's rows of one table, in key order, read a page at a time: memory stays
// bounded whatever the trace's length, and between pages the connection is free
// for other statements (better-sqlite3 allows none while an iterator is open), so
// a reader can walk steps, calls and checkpoints side by side. Inside one read
// transaction every page comes from the same snapshot.

export const PAGE_ROWS = 1_000;

export type Row = Record<string, unknown>;

const TABLES = {
  steps: "idx",
  tool_calls: "seq",
  checkpoints: "step_idx",
  intents: "seq",
} as const;

export type PagedTable = keyof typeof TABLES;

/** One statement per table and connection: a statement prepared per page would hold native memory until collected. */
const statements = new WeakMap<object, Map<PagedTable, Statement>>();

function pageStatement(store: TraceStore, table: PagedTable): Statement {
  let byTable = statements.get(store.db);
  if (!byTable) statements.set(store.db, (byTable = new Map()));
  let s = byTable.get(table);
  if (!s) {
    const key = TABLES[table];
    s = store.db.prepare(
      `SELECT * FROM ${table} WHERE trace_id = ? AND ${key} >= ? AND ${key} <= ? ORDER BY ${key} LIMIT ?`,
    );
    byTable.set(table, s);
  }
  return s;
}

export class RowPages<R = Row> implements Iterable<R> {
  private page: R[] = [];
  private at = 0;
  private next: number;
  private done = false;
  private readonly key: string;

  constructor(
    private readonly store: TraceStore,
    private readonly table: PagedTable,
    private readonly traceId: string,
    from = 0,
    private readonly to = Number.MAX_SAFE_INTEGER,
    private readonly pageRows = PAGE_ROWS,
  ) {
    this.key = TABLES[table];
    this.next = from;
  }

  /** The next row, or undefined after the last. */
  shift(): R | undefined {
    if (this.at >= this.page.length) this.fill();
    return this.at < this.page.length ? this.page[this.at++] : undefined;
  }

  /** The next row without taking it. */
  peek(): R | undefined {
    if (this.at >= this.page.length) this.fill();
    return this.page[this.at];
  }

  *[Symbol.iterator](): Iterator<R> {
    for (let r = this.shift(); r !== undefined; r = this.shift()) yield r;
  }

  private fill(): void {
    this.page = [];
    this.at = 0;
    if (this.done) return;
    if (this.table === "intents" && !this.store.hasTable("intents")) {
      this.done = true;
      return;
    }
    this.page = pageStatement(this.store, this.table).all(this.traceId, this.next, this.to, this.pageRows) as R[];
    if (this.page.length < this.pageRows) this.done = true;
    const last = this.page[this.page.length - 1] as Row | undefined;
    if (last) this.next = (last[this.key] as number) + 1;
  }
}
