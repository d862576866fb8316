import type { TraceStore } from "../store/store.js";
import type { RunStatus } from "./records.js";
import { decodeJson, type EventRow, eventHash, runGenesis } from "./telemetry-chain.js";
import { findRun } from "./telemetry-reader.js";

// Verifies one seed run's event chain, in one read transaction (a run being written
// is seen as one consistent snapshot: running, never "tampered"), and names every
// row that is not as it was written, the first one first:
//   - a row whose content no longer gives its hash: edited, or, when its hash holds
//     at another position, moved there from that position (rows were reordered);
//   - a position with no row (rows were deleted), and a row that is not the one
//     the next row chains to (rewritten with a freshly computed hash of its own);
//   - the chain's end against the run row's event_count and last_hash (rows cut
//     off the end, or added after it);
//   - the newest checkpoint against the chain (it must point at a row that is there).
// An unknown run is a StoreError (S106) from findRun.

export type SeedTamperKind =
  | "event-edited"
  | "event-missing"
  | "event-reordered"
  | "event-replaced"
  | "events-truncated"
  | "events-added"
  | "malformed-event"
  | "checkpoint-mismatch";

export interface SeedChainProblem {
  /** The event's position in the chain, or null when the problem is the run row or the checkpoint. */
  seq: number | null;
  kind: SeedTamperKind;
  reason: string;
}

export interface SeedChainReport {
  run: string;
  /** Event rows read. */
  events: number;
  status: RunStatus;
  ok: boolean;
  /** The first problem, if any. */
  problem?: SeedChainProblem;
  /** Every problem found, at most MAX_PROBLEMS (then one saying how many more). */
  problems: SeedChainProblem[];
}

const MAX_PROBLEMS = 20;
/** How far from its place a moved row is looked for. */
const REORDER_WINDOW = 64;

export function verifyRunChain(store: TraceStore, name: string): SeedChainReport {
  return store.read(() => {
    const run = findRun(store, name);
    const rows = store.db
      .prepare(
        "SELECT run_id, seq, ord, series, epoch, kind, seed_id, at, body, prev_hash, hash FROM seed_events WHERE run_id = ? ORDER BY seq",
      )
      .all(run.id) as EventRow[];
    const problems: SeedChainProblem[] = [];
    let dropped = 0;
    const report = (seq: number | null, kind: SeedTamperKind, reason: string) => {
      if (problems.length < MAX_PROBLEMS) problems.push({ seq, kind, reason });
      else dropped++;
    };
    const genesis = runGenesis(run.id);
    let prev = genesis;
    let prevOk = true;
    let expected = 0;
    for (const row of rows) {
      const what = `event ${row.seq} (${describe(row)})`;
      const gap = row.seq !== expected;
      if (gap) {
        report(
          expected,
          "event-missing",
          row.seq > expected
            ? `event ${expected}${row.seq - expected > 1 ? `–${row.seq - 1}` : ""} ${row.seq - expected > 1 ? "are" : "is"} missing (the next row is event ${row.seq}): rows were deleted`
            : `event ${row.seq} appears twice in the chain`,
        );
      }
      let ok = eventHash(row.prev_hash, row) === row.hash;
      if (!ok) {
        const moved = movedFrom(row, rows.length);
        report(
          row.seq,
          moved === null ? "event-edited" : "event-reordered",
          moved === null
            ? `${what} does not match its hash: it was changed after it was recorded`
            : `${what} does not match its hash at this position: it was recorded as event ${moved} and moved (rows were reordered)`,
        );
      } else if (!gap && prevOk && row.prev_hash !== prev) {
        ok = false;
        report(
          row.seq - 1,
          "event-replaced",
          `event ${row.seq - 1} is not the row event ${row.seq} was chained to: it was rewritten with a hash of its own making (or event ${row.seq} was replaced)`,
        );
      }
      if (ok) {
        try {
          decodeJson(row.body);
        } catch (err) {
          report(row.seq, "malformed-event", `${what} is not valid JSON (${(err as Error).message})`);
        }
      }
      prev = row.hash;
      prevOk = ok;
      expected = row.seq + 1;
    }
    const lastHash = run.lastHash ?? genesis;
    if (rows.length !== run.eventCount || prev !== lastHash) {
      const fewer = rows.length < run.eventCount;
      report(
        null,
        fewer ? "events-truncated" : "events-added",
        `the run row says ${run.eventCount} events ending in ${short(lastHash)}, the rows give ${rows.length} ending in ${short(prev)}: rows were ${fewer ? "removed" : "added or changed at the end"}`,
      );
    }
    const cp = store.db
      .prepare("SELECT epoch, event_count, last_hash FROM seed_checkpoints WHERE run_id = ?")
      .get(run.id) as { epoch: number; event_count: number; last_hash: string | null } | undefined;
    if (cp) {
      const at = cp.event_count === 0 ? genesis : rows.find((r) => r.seq === cp.event_count - 1)?.hash;
      if ((cp.last_hash ?? genesis) !== at) {
        report(
          null,
          "checkpoint-mismatch",
          `the checkpoint of epoch ${cp.epoch} says the chain stood at ${cp.event_count} events ending in ${short(cp.last_hash)}, which the rows do not give`,
        );
      }
    }
    if (dropped > 0)
      problems.push({ seq: null, kind: problems[problems.length - 1]!.kind, reason: `… and ${dropped} more problems` });
    return {
      run: run.id,
      events: rows.length,
      status: run.status,
      ok: problems.length === 0,
      problem: problems[0],
      problems,
    };
  });
}

/** The position a row's hash holds at, near its own, or null (then it was edited). */
function movedFrom(row: EventRow, count: number): number | null {
  const from = Math.max(0, row.seq - REORDER_WINDOW);
  const to = Math.min(Math.max(count, row.seq) + REORDER_WINDOW, row.seq + REORDER_WINDOW);
  for (let k = from; k <= to; k++) {
    if (k !== row.seq && eventHash(row.prev_hash, { ...row, seq: k }) === row.hash) return k;
  }
  return null;
}

function describe(row: EventRow): string {
  return row.seed_id ? `${row.kind} of ${row.seed_id}` : row.kind;
}

const short = (h: string | null | undefined) => (h ? `${h.slice(0, 12)}…` : "nothing");
