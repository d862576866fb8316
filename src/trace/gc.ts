import { retryBusy, sleepSync } from "../store/busy.js";
import { LEASE_MS } from "../store/liveness.js";
import type { TraceStore } from "../store/store.js";
import type { Statement } from "better-sqlite3";
import { forkResealer } from "./orphan-reseal.js";

// Deleting old traces without ever making a writer wait long. Work is done in short
// transactions (at most BATCH_MS, and BATCH_ROWS rows, each) with a pause after
// each, so a `vesper run` waiting for the write lock gets it within one batch. In
// each transaction:
//   1. the rows of traces deleted earlier whose rows did not fit a batch (noted in
//      gc_pending) are deleted a bounded number at a time;
//   2. the next old traces are deleted: the trace row (its references SET NULL by
//      hand), and with it, when they fit the batch, its steps, calls, checkpoints,
//      seal and intents (every table that refers to traces ON DELETE CASCADE);
//      a bigger trace's rows are noted in gc_pending for step 1. Its forks, which
//      lose their link, are resealed for it first (orphan-reseal.ts). From the moment
//      its row is gone no reader sees the trace; a gc that is killed leaves its
//      pending rows to the next gc.
// Foreign keys are off on gc's own connection meanwhile: with them on, deleting a
// trace row deletes all of its rows at once, in one unbounded transaction.
// A trace is never deleted while it is running, nor while it is incomplete with a
// fresh heartbeat (marked so by another process, but its writer is alive after all).
// `vacuum` then returns the freed pages to the file system, in batches too
// (incremental vacuum), except once for a store created before schema 4, which
// needs one full VACUUM to be switched to incremental.

export interface GcOptions {
  now?: number;
  /** Return freed pages to the file system afterwards. */
  vacuum?: boolean;
  /** Longest a transaction of gc's may hold the write lock (ms). */
  batchMs?: number;
  /** Most rows one transaction deletes. */
  batchRows?: number;
}

export interface GcResult {
  traces: number;
  steps: number;
  /** Transactions gc committed. */
  batches: number;
  /** Bytes returned to the file system (with `vacuum`). */
  reclaimedBytes?: number;
}

const BATCH_MS = 40;
const BATCH_ROWS = 5_000;
const TRACES_PER_BATCH = 200;

interface Reference {
  table: string;
  column: string;
  onDelete: string;
  /** CASCADE: every row of one trace; at most ? rows of one trace. */
  deleteAll?: Statement;
  deleteSome?: Statement;
  /** SET NULL. */
  setNull?: Statement;
  /** Anything else (NO ACTION, RESTRICT): whether a row refers to the trace, which then stays. */
  exists?: Statement;
}

/**
 * A pause after each transaction, longer than SQLite's first busy-handler sleeps
 * (1, 2, 5, 10 ms…): a writer waiting for the lock takes it here.
 */
const PAUSE_MS = 15;

export function collectGarbage(store: TraceStore, keepDays: number, options: GcOptions = {}): GcResult {
  const cutoff = (options.now ?? Date.now()) - keepDays * 86_400_000;
  const batchMs = options.batchMs ?? BATCH_MS;
  const batchRows = options.batchRows ?? BATCH_ROWS;
  const result: GcResult = { traces: 0, steps: 0, batches: 0 };
  const db = store.db;
  db.pragma("foreign_keys = OFF");
  try {
    const refs = references(store);
    const cascades = refs.filter((r) => r.deleteAll);
    const pick = db.prepare(
      `SELECT id, step_count FROM traces WHERE started_at < ? AND status != 'running'
         AND (status != 'incomplete' OR heartbeat_at IS NULL OR heartbeat_at < ?)
       ORDER BY started_at LIMIT ?`,
    );
    const pending = db.prepare("SELECT trace_id FROM gc_pending LIMIT ?").pluck();
    const note = db.prepare("INSERT OR IGNORE INTO gc_pending (trace_id) VALUES (?)");
    const forget = db.prepare("DELETE FROM gc_pending WHERE trace_id = ?");
    const deleteTrace = db.prepare("DELETE FROM traces WHERE id = ?");
    const resealForks = forkResealer(store);
    const count = (r: Reference, n: number) => {
      if (r.table === "steps") result.steps += n;
      return n;
    };

    /** One transaction's work; false when there was nothing left to do. */
    const batch = (): boolean => {
      const started = performance.now();
      let rows = 0;
      let did = false;
      const spent = () => rows >= batchRows || performance.now() - started > batchMs;
      // 1. The rows of traces already deleted, a bounded number at a time.
      for (const id of pending.all(TRACES_PER_BATCH) as string[]) {
        did = true;
        for (const r of cascades) {
          for (let n = -1; n !== 0 && !spent(); ) {
            n = count(r, r.deleteSome!.run(id, batchRows - rows).changes);
            rows += n;
          }
          if (spent()) return true;
        }
        forget.run(id);
      }
      // 2. The next old traces: a small one goes whole; a big one's rows are left to step 1.
      for (const { id, step_count } of pick.all(cutoff, Date.now() - LEASE_MS, TRACES_PER_BATCH) as {
        id: string;
        step_count: number;
      }[]) {
        if (refs.some((r) => r.exists?.get(id) !== undefined)) continue;
        did = true;
        resealForks(id);
        for (const r of refs) r.setNull?.run(id);
        result.traces += deleteTrace.run(id).changes;
        if (rows + step_count * 2 + 16 <= batchRows) {
          for (const r of cascades) rows += count(r, r.deleteAll!.run(id).changes);
        } else {
          note.run(id);
        }
        if (spent()) break;
      }
      return did;
    };
    for (;;) {
      const did = store.write(batch, "collecting garbage");
      if (!did) break;
      result.batches++;
      sleepSync(PAUSE_MS);
    }
  } finally {
    db.pragma("foreign_keys = ON");
  }
  if (options.vacuum) result.reclaimedBytes = vacuum(store, batchMs);
  return result;
}

/** Every column of every table that refers to traces(id), with what deleting a trace does to its rows. */
function references(store: TraceStore): Reference[] {
  const db = store.db;
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  const out: Reference[] = [];
  for (const table of tables) {
    const fks = db
      .prepare('SELECT "table" AS parent, "from" AS col, on_delete FROM pragma_foreign_key_list(?)')
      .all(table) as { parent: string; col: string; on_delete: string }[];
    for (const fk of fks) {
      if (fk.parent !== "traces") continue;
      const ref: Reference = { table, column: fk.col, onDelete: fk.on_delete.toUpperCase() };
      if (ref.onDelete === "CASCADE") {
        ref.deleteAll = db.prepare(`DELETE FROM ${table} WHERE ${fk.col} = ?`);
        ref.deleteSome = db.prepare(deleteSomeSql(store, table, fk.col));
      } else if (ref.onDelete === "SET NULL") {
        ref.setNull = db.prepare(`UPDATE ${table} SET ${fk.col} = NULL WHERE ${fk.col} = ?`);
      } else {
        ref.exists = db.prepare(`SELECT 1 FROM ${table} WHERE ${fk.col} = ? LIMIT 1`);
      }
      out.push(ref);
    }
  }
  // Steps last: a trace's calls and checkpoints go first.
  return out.sort((a, b) => Number(a.table === "steps") - Number(b.table === "steps"));
}

/** DELETE of at most ? rows of `table` whose `column` is ?: by primary key (WITHOUT ROWID tables) or rowid. */
function deleteSomeSql(store: TraceStore, table: string, column: string): string {
  const withoutRowid = store.db.prepare("SELECT wr FROM pragma_table_list WHERE name = ?").pluck().get(table) === 1;
  const key = withoutRowid
    ? (
        store.db
          .prepare("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk")
          .pluck()
          .all(table) as string[]
      ).join(", ")
    : "rowid";
  return `DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE ${column} = ? LIMIT ?)`;
}

/**
 * Returns free pages to the file system. A store with incremental auto-vacuum (every
 * store created since schema 4) gives them back a few thousand pages per
 * transaction; an older one is switched over by one full VACUUM, which holds the
 * write lock until it is done (writers wait and retry meanwhile).
 */
function vacuum(store: TraceStore, batchMs: number): number {
  const db = store.db;
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  const pages = () => db.pragma("page_count", { simple: true }) as number;
  const before = pages();
  if ((db.pragma("auto_vacuum", { simple: true }) as number) !== 2) {
    fullVacuum(store);
  } else {
    for (;;) {
      const free = db.pragma("freelist_count", { simple: true }) as number;
      if (free === 0) break;
      const step = Math.max(64, Math.min(free, Math.round(batchMs * 50)));
      retryBusy(() => db.pragma(`incremental_vacuum(${step})`), store.path, "returning free pages");
      sleepSync(PAUSE_MS);
    }
  }
  // Pages freed in the WAL reach the file (and it shrinks) at a checkpoint.
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } catch {
    // A reader in the way: the next checkpoint shrinks it.
  }
  return Math.max(0, before - pages()) * pageSize;
}

function fullVacuum(store: TraceStore): void {
  const db = store.db;
  // VACUUM may renumber rowids; the first trace recorded with a seal keeps marking where sealing began.
  const since = db.prepare("SELECT since_rowid FROM trace_sealing").pluck().get() as number | undefined;
  const firstSealed =
    since === undefined
      ? undefined
      : (db.prepare("SELECT id FROM traces WHERE rowid >= ? ORDER BY rowid LIMIT 1").pluck().get(since) as
          | string
          | undefined);
  retryBusy(
    () => {
      db.pragma("auto_vacuum = INCREMENTAL");
      db.exec("VACUUM");
    },
    store.path,
    "vacuuming it",
  );
  if (since !== undefined) {
    store.write(() => {
      const at = firstSealed
        ? db.prepare("SELECT rowid FROM traces WHERE id = ?").pluck().get(firstSealed)
        : db.prepare("SELECT COALESCE(MAX(rowid), 0) + 1 FROM traces").pluck().get();
      db.prepare("UPDATE trace_sealing SET since_rowid = ?").run(at);
    }, "vacuuming it");
  }
}
