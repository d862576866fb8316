import { genesisHash, stepHash } from "./hash-chain.js";
import type { StepRow } from "./step-codec.js";
import type { TraceRow } from "./reader.js";
import type { TraceStore } from "../store/store.js";

// Recomputes a trace's hash chain from its rows. Any edited, removed, inserted or
// reordered step row breaks the chain at that row; the trace row's last_hash and
// step_count catch rows removed from the end. Tool-call rows must agree with the
// calls their (chained) step rows hold.

export interface ChainProblem {
  trace: string;
  /** The first step row that does not verify (null when the problem is the trace row or a call row). */
  step: number | null;
  reason: string;
}

export interface ChainReport {
  trace: string;
  steps: number;
  problem?: ChainProblem;
}

export function verifyChain(store: TraceStore, t: TraceRow): ChainReport {
  const rows = store.db
    .prepare("SELECT * FROM steps WHERE trace_id = ? ORDER BY idx")
    .iterate(t.id) as IterableIterator<StepRow>;
  let prev = genesisHash(t.id);
  let expected = 0;
  const calls: string[] = [];
  for (const row of rows) {
    if (row.idx !== expected) {
      return {
        trace: t.id,
        steps: expected,
        problem: {
          trace: t.id,
          step: expected,
          reason: `step row ${expected} is missing (the next row is ${row.idx})`,
        },
      };
    }
    const hash = stepHash(prev, row);
    if (hash !== row.hash) {
      return {
        trace: t.id,
        steps: expected,
        problem: {
          trace: t.id,
          step: row.idx,
          reason: `step row ${row.idx} (${row.step}) does not match its hash: it was changed after it was recorded`,
        },
      };
    }
    const event = JSON.parse(row.event) as { effects: unknown[]; unlisted?: unknown[] };
    for (const e of [...event.effects, ...(event.unlisted ?? [])])
      calls.push(JSON.stringify(callShape(row.idx, e as Record<string, unknown>)));
    prev = hash;
    expected++;
  }
  if (expected !== t.step_count || (t.last_hash ?? genesisHash(t.id)) !== prev) {
    return {
      trace: t.id,
      steps: expected,
      problem: {
        trace: t.id,
        step: null,
        reason: `the trace row says ${t.step_count} steps ending in ${short(t.last_hash)}, the rows give ${expected} ending in ${short(prev)}: rows were removed or added`,
      },
    };
  }
  const callRows = store.db.prepare("SELECT * FROM tool_calls WHERE trace_id = ? ORDER BY seq").all(t.id) as Record<
    string,
    unknown
  >[];
  for (let i = 0; i < Math.max(calls.length, callRows.length); i++) {
    const row = callRows[i];
    const stored = row
      ? JSON.stringify(
          callShape(row.step_idx as number, {
            tool: row.tool,
            capability: row.capability,
            args: JSON.parse(row.args as string),
            ok: row.ok === 1,
            result: row.result === null ? undefined : JSON.parse(row.result as string),
            error: row.error === null ? undefined : JSON.parse(row.error as string),
            attempts: row.attempts,
            elapsedMs: row.elapsed_ms,
          }),
        )
      : undefined;
    if (stored !== calls[i]) {
      return {
        trace: t.id,
        steps: expected,
        problem: { trace: t.id, step: null, reason: `tool call row ${i} does not match the call its step recorded` },
      };
    }
  }
  return { trace: t.id, steps: expected };
}

function callShape(stepIdx: number, e: Record<string, unknown>) {
  return {
    step: stepIdx,
    tool: e.tool,
    capability: e.capability,
    args: e.args,
    ok: e.ok,
    result: e.ok ? (e.result ?? null) : null,
    error: e.ok ? null : (e.error ?? null),
    attempts: e.attempts,
    elapsedMs: e.elapsedMs,
  };
}

const short = (h: string | null | undefined) => (h ? `${h.slice(0, 12)}…` : "nothing");
