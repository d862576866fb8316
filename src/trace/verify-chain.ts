import { genesisHash, stepHash } from "./hash-chain.js";
import type { TraceRow } from "./reader.js";
import { RowPages } from "./row-pages.js";
import {
  checkpointText,
  digestsOf,
  intentText,
  keyId,
  macHolds,
  RowDigest,
  type SealDigests,
  type SealRow,
  sealHolds,
  sealInRow,
  traceKey,
} from "./seal.js";
import type { StepRow } from "./step-codec.js";
import { isAbandoned } from "../store/liveness.js";
import type { TraceStore } from "../store/store.js";

// Verifies one trace, in one read transaction (so a trace being written is seen as
// one consistent snapshot: a running trace is running, never "tampered"), and names
// every kind of change it finds:
//   - the step rows' hash chain: an edited row breaks its own hash, a removed row
//     leaves a gap, a row moved to another index verifies only at its old place;
//   - the rows against the trace row's step_count and last_hash (rows cut off);
//   - tool-call rows against the calls their (chained) step rows hold;
//   - checkpoints against the steps they summarise (bindings, state, tape counts);
//   - the seal (seal.ts) against the trace row: inputs, output, status, failure,
//     final state, identity, timing, the step count and last hash (a truncation
//     hidden by patching step_count and last_hash), checkpoints and intents;
//   - with VEYRA_TRACE_KEY set, the seal's HMAC: a chain and seal recomputed
//     without the key fail.
// A row whose JSON is broken is reported with its index and the check goes on.
// Traces recorded before sealing (no seal, older than the store's sealing) are
// "unsealed": their chain is checked, their outcome cannot be.

export type TamperKind =
  | "step-edited"
  | "step-missing"
  | "step-reordered"
  | "truncated"
  | "rows-added"
  | "call-edited"
  | "call-missing"
  | "call-added"
  | "checkpoint-edited"
  | "intent-edited"
  | "inputs-edited"
  | "output-edited"
  | "status-edited"
  | "failure-edited"
  | "final-state-edited"
  | "identity-edited"
  | "timing-edited"
  | "seal-edited"
  | "seal-missing"
  | "seal-forged"
  | "seal-unkeyed"
  | "malformed-row";

export interface ChainProblem {
  trace: string;
  /** The step row the problem is at (null when it is the trace row, a call row or the seal). */
  step: number | null;
  kind: TamperKind;
  reason: string;
}

/**
 * How the trace's seal was checked: `keyed` (its HMAC verified with VEYRA_TRACE_KEY),
 * `sha256` (verified, no key in use), `keyed-unchecked` (sealed with a key, verified
 * without it: the HMAC is not checked), `unsealed` (recorded before sealing).
 */
export type SealCheck = "keyed" | "sha256" | "keyed-unchecked" | "unsealed";

export interface ChainReport {
  trace: string;
  /** Step rows read. */
  steps: number;
  /** The trace's status in the snapshot checked (`running`: still being written). */
  status: string;
  seal: SealCheck;
  /** The first problem (what older versions reported alone). */
  problem?: ChainProblem;
  /** Every problem found, at most MAX_PROBLEMS. */
  problems: ChainProblem[];
  /** The trace was deleted (by gc) before it could be read: nothing to check. */
  deleted?: boolean;
  /**
   * Set when only the first `checked` step rows were walked (a quick check of a huge
   * trace): the rows after them were counted and the last one matched against the
   * trace row and its seal, but not hashed one by one.
   */
  checked?: number;
}

export interface VerifyOptions {
  /** Walk only the first this many step rows (and their calls and checkpoints). */
  rows?: number;
}

const MAX_PROBLEMS = 20;
/** How far from a row that fails its hash a moved row is looked for. */
const REORDER_WINDOW = 64;

interface CallShape {
  step: number;
  tool: unknown;
  capability: unknown;
  args: unknown;
  ok: unknown;
  result: unknown;
  error: unknown;
  attempts: unknown;
  elapsedMs: unknown;
}

export function verifyChain(store: TraceStore, t: TraceRow, options: VerifyOptions = {}): ChainReport {
  return store.read(() => new TraceCheck(store, t.id, options.rows).run());
}

class TraceCheck {
  private readonly problems: ChainProblem[] = [];
  private dropped = 0;

  constructor(
    private readonly store: TraceStore,
    private readonly id: string,
    /** Walk at most this many step rows (undefined: all). */
    private readonly limit?: number,
  ) {}

  private report(kind: TamperKind, step: number | null, reason: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ trace: this.id, step, kind, reason });
    else this.dropped++;
  }

  run(): ChainReport {
    const t = this.store.db.prepare("SELECT rowid AS _rowid, * FROM traces WHERE id = ?").get(this.id) as
      | (TraceRow & { _rowid: number })
      | undefined;
    if (!t) return { trace: this.id, steps: 0, status: "deleted", seal: "unsealed", problems: [], deleted: true };
    const partial = this.limit !== undefined && this.limit < t.step_count;
    const walked = this.checkSteps(t, partial ? this.limit! - 1 : Number.MAX_SAFE_INTEGER);
    const { steps, end, lastHash } = partial ? this.tail(t) : walked;
    const checkpoints = walked.checkpoints;
    // The end of the rows (the last index + 1), not their count: a gap in the middle is
    // step-missing, and the end still matches when only middle rows were deleted.
    if (end !== t.step_count || (t.last_hash ?? genesisHash(t.id)) !== lastHash) {
      this.report(
        end < t.step_count ? "truncated" : "rows-added",
        null,
        `the trace row says ${t.step_count} steps ending in ${short(t.last_hash)}, the rows give ${steps} ending in ${short(lastHash)}: rows were removed or added`,
      );
    }
    const seal = this.checkSeal(t, checkpoints);
    if (this.dropped > 0)
      this.problems.push({
        trace: this.id,
        step: null,
        kind: this.problems[this.problems.length - 1]!.kind,
        reason: `… and ${this.dropped} more problems`,
      });
    return {
      trace: this.id,
      steps,
      status: isAbandoned(t) ? "incomplete" : t.status,
      seal,
      problem: this.problems[0],
      problems: this.problems,
      ...(partial ? { checked: walked.steps } : {}),
    };
  }

  /** The step rows past a partial walk: how many there are and the last one's hash (as the chain would end). */
  private tail(t: TraceRow): { steps: number; end: number; lastHash: string } {
    const steps = this.store.db.prepare("SELECT COUNT(*) FROM steps WHERE trace_id = ?").pluck().get(t.id) as number;
    const last = this.store.db
      .prepare("SELECT idx, hash FROM steps WHERE trace_id = ? ORDER BY idx DESC LIMIT 1")
      .get(t.id) as { idx: number; hash: string } | undefined;
    return { steps, end: last ? last.idx + 1 : 0, lastHash: last?.hash ?? genesisHash(t.id) };
  }

  /** The chain, the call rows and the checkpoints, walked together a page at a time. */
  private checkSteps(
    t: TraceRow,
    to: number,
  ): { steps: number; end: number; lastHash: string; checkpoints: RowDigest } {
    const partial = to !== Number.MAX_SAFE_INTEGER;
    const rows = new RowPages<StepRow>(this.store, "steps", t.id, 0, to);
    const calls = new RowPages(this.store, "tool_calls", t.id);
    const cps = new RowPages<{ step_idx: number; state: string }>(this.store, "checkpoints", t.id);
    const checkpoints = new RowDigest();
    const replayed = new Replayed();
    let prev = genesisHash(t.id);
    let expected = 0;
    let count = 0;
    let callIndex = 0;
    const unreadable = new Set<number>();
    // After a gap or an unreadable row the replayed state is not the recorded one:
    // checkpoints after it are left to the seal's digest of them.
    let replayable = true;
    for (let row = rows.shift(); row !== undefined; row = rows.shift()) {
      count++;
      let checkHash = true;
      if (row.idx !== expected) {
        this.report(
          "step-missing",
          expected,
          `step row ${expected} is missing (the next row is ${row.idx}): rows were deleted`,
        );
        // The row after a gap chains from the deleted one: its own hash says nothing more.
        checkHash = false;
        replayable = false;
      }
      let event: { effects?: unknown[]; unlisted?: unknown[]; changed?: [string, unknown][] } | undefined;
      try {
        event = JSON.parse(row.event);
      } catch (err) {
        this.report(
          "malformed-row",
          row.idx,
          `step row ${row.idx} (${row.step}) has an event that is not valid JSON (${(err as Error).message})`,
        );
        unreadable.add(row.idx);
        replayable = false;
      }
      if (checkHash && stepHash(prev, row) !== row.hash) this.hashProblem(t, row);
      prev = row.hash;
      expected = row.idx + 1;
      if (event) {
        replayed.apply(event);
        for (const e of [...(event.effects ?? []), ...(event.unlisted ?? [])]) {
          this.checkCall(calls, callIndex++, row.idx, callShape(row.idx, e as Record<string, unknown>), unreadable);
        }
      }
      while (cps.peek() !== undefined && cps.peek()!.step_idx <= row.idx) {
        const cp = cps.shift()!;
        checkpoints.add(checkpointText(cp.step_idx, cp.state));
        if (cp.step_idx === row.idx && replayable) this.checkCheckpoint(cp, replayed);
        else if (cp.step_idx !== row.idx)
          this.report("checkpoint-edited", cp.step_idx, `checkpoint at step ${cp.step_idx} has no step ${cp.step_idx}`);
      }
    }
    for (let cp = cps.shift(); cp !== undefined; cp = cps.shift()) {
      checkpoints.add(checkpointText(cp.step_idx, cp.state));
      if (!partial)
        this.report("checkpoint-edited", cp.step_idx, `checkpoint at step ${cp.step_idx} is past the last step row`);
    }
    // Call rows of the steps a partial walk did not reach are not checked.
    for (let row = partial ? undefined : calls.shift(); row !== undefined; row = calls.shift()) {
      if (unreadable.has(row.step_idx as number)) continue;
      this.report(
        "call-added",
        null,
        `tool call row ${row.seq} does not match the call its step recorded: no step recorded it (${String(row.tool)})`,
      );
    }
    return { steps: count, end: expected, lastHash: prev, checkpoints };
  }

  /** A row that fails its hash: moved from another index, or edited. */
  private hashProblem(t: TraceRow, row: StepRow): void {
    const near = this.store.db
      .prepare("SELECT idx, hash FROM steps WHERE trace_id = ? AND idx BETWEEN ? AND ? ORDER BY idx")
      .all(t.id, Math.max(0, row.idx - REORDER_WINDOW - 1), row.idx + REORDER_WINDOW) as {
      idx: number;
      hash: string;
    }[];
    const hashAt = new Map(near.map((r) => [r.idx, r.hash]));
    for (let k = Math.max(0, row.idx - REORDER_WINDOW); k <= row.idx + REORDER_WINDOW; k++) {
      if (k === row.idx) continue;
      const before = k === 0 ? genesisHash(t.id) : hashAt.get(k - 1);
      if (before !== undefined && stepHash(before, { ...row, idx: k }) === row.hash) {
        this.report(
          "step-reordered",
          row.idx,
          `step row ${row.idx} (${row.step}) does not match its hash: it was recorded as step ${k} and moved (rows were reordered)`,
        );
        return;
      }
    }
    this.report(
      "step-edited",
      row.idx,
      `step row ${row.idx} (${row.step}) does not match its hash: it was changed after it was recorded`,
    );
  }

  private checkCall(
    calls: RowPages,
    index: number,
    stepIdx: number,
    recorded: CallShape,
    unreadable: Set<number>,
  ): void {
    let row = calls.shift();
    while (row !== undefined && unreadable.has(row.step_idx as number)) row = calls.shift();
    if (row === undefined) {
      this.report(
        "call-missing",
        null,
        `tool call row ${index} does not match the call its step recorded: it is missing (step ${stepIdx} called ${String(recorded.tool)})`,
      );
      return;
    }
    const parse = (field: "args" | "result" | "error"): unknown => {
      const text = row[field];
      if (text === null) return undefined;
      try {
        return JSON.parse(text as string);
      } catch (err) {
        this.report(
          "malformed-row",
          null,
          `tool call row ${row.seq} (${String(row.tool)}) has ${field} that are not valid JSON (${(err as Error).message})`,
        );
        return MALFORMED;
      }
    };
    const args = parse("args");
    const result = parse("result");
    const error = parse("error");
    if (args === MALFORMED || result === MALFORMED || error === MALFORMED) return;
    const stored = callShape(row.step_idx as number, {
      tool: row.tool,
      capability: row.capability,
      args,
      ok: row.ok === 1,
      result,
      error,
      attempts: row.attempts,
      elapsedMs: row.elapsed_ms,
    });
    if (row.seq !== index) {
      this.report("call-missing", null, `tool call row ${index} is missing (the next row is ${String(row.seq)})`);
      return;
    }
    const differ = (Object.keys(recorded) as (keyof CallShape)[]).filter(
      (k) => JSON.stringify(recorded[k]) !== JSON.stringify(stored[k]),
    );
    if (differ.length > 0) {
      this.report(
        "call-edited",
        null,
        `tool call row ${index} does not match the call its step recorded: its ${differ.join(", ")} differ (${String(row.tool)} at step ${String(row.step_idx)})`,
      );
    }
  }

  private checkCheckpoint(cp: { step_idx: number; state: string }, replayed: Replayed): void {
    let saved: {
      bindings?: Record<string, unknown>;
      state?: unknown;
      elapsedMs?: unknown;
      tape?: Record<string, unknown>;
    };
    try {
      saved = JSON.parse(cp.state);
    } catch (err) {
      this.report(
        "malformed-row",
        cp.step_idx,
        `checkpoint at step ${cp.step_idx} is not valid JSON (${(err as Error).message})`,
      );
      return;
    }
    const wrong = replayed.differences(saved);
    if (wrong.length > 0) {
      this.report(
        "checkpoint-edited",
        cp.step_idx,
        `checkpoint at step ${cp.step_idx} does not match the steps it summarises (${wrong.join(", ")})`,
      );
    }
  }

  /** The seal against the trace row as it is now. */
  private checkSeal(t: TraceRow & { _rowid: number }, checkpoints: RowDigest): SealCheck {
    if (!this.store.hasTable("seals")) return "unsealed";
    const seal =
      sealInRow(t) ??
      (this.store.db.prepare("SELECT * FROM seals WHERE trace_id = ?").get(t.id) as SealRow | undefined);
    if (!seal) {
      const since = this.store.db.prepare("SELECT since_rowid FROM trace_sealing").pluck().get() as number | undefined;
      if (since !== undefined && t._rowid >= since) {
        this.report(
          "seal-missing",
          null,
          "the trace has no seal, but it was recorded by a vesper that seals every trace: its seal was removed",
        );
      }
      return "unsealed";
    }
    if (!sealHolds(seal)) {
      this.report("seal-edited", null, "the seal does not match its own digests: the seal row was edited");
      return this.keyCheck(seal);
    }
    let sealed: SealDigests;
    try {
      sealed = JSON.parse(seal.digests) as SealDigests;
    } catch {
      this.report("malformed-row", null, "the seal's digests are not valid JSON");
      return this.keyCheck(seal);
    }
    const intents = new RowDigest();
    for (const i of new RowPages(this.store, "intents", t.id))
      intents.add(intentText(i as Parameters<typeof intentText>[0]));
    // A progress seal (written while running) also fits a trace another process marked incomplete after its writer died.
    const asSealed =
      sealed.status === "running" && t.status === "incomplete" ? { ...t, status: "running" as const } : t;
    const now = digestsOf(asSealed, checkpoints.value(), intents.value());
    this.compare(sealed, now, t);
    return this.keyCheck(seal);
  }

  private compare(sealed: SealDigests, now: SealDigests, t: TraceRow): void {
    const fields: [keyof SealDigests, TamperKind, string][] = [
      ["identity", "identity-edited", "what ran (node, file, runtime, seed, context, start, fork or group)"],
      ["inputs", "inputs-edited", "the inputs"],
      ["status", "status-edited", `the status (sealed as ${sealed.status}, now ${t.status})`],
      ["output", "output-edited", "the output"],
      ["failure", "failure-edited", "the failure"],
      ["final_state", "final-state-edited", "the final state"],
      ["timing", "timing-edited", "the finish time or duration"],
    ];
    for (const [field, kind, what] of fields) {
      if (JSON.stringify(sealed[field]) !== JSON.stringify(now[field]))
        this.report(kind, null, `${what} changed after the trace was sealed`);
    }
    if (sealed.step_count !== now.step_count || sealed.last_hash !== now.last_hash) {
      this.report(
        sealed.step_count > now.step_count ? "truncated" : "rows-added",
        null,
        `the seal says ${sealed.step_count} steps ending in ${short(sealed.last_hash)}, the trace has ${now.step_count} ending in ${short(now.last_hash)}: steps were ${sealed.step_count > now.step_count ? "removed from the end" : "added"} and the trace row patched to match`,
      );
    }
    if (JSON.stringify(sealed.checkpoints) !== JSON.stringify(now.checkpoints))
      this.report(
        "checkpoint-edited",
        null,
        `the checkpoints changed after the trace was sealed (sealed ${sealed.checkpoints.count}, now ${now.checkpoints.count})`,
      );
    if (JSON.stringify(sealed.intents) !== JSON.stringify(now.intents))
      this.report(
        "intent-edited",
        null,
        "the recorded intents of irreversible calls changed after the trace was sealed",
      );
  }

  private keyCheck(seal: SealRow): SealCheck {
    const key = traceKey();
    if (!key) return seal.mac === null ? "sha256" : "keyed-unchecked";
    if (seal.mac === null) {
      this.report(
        "seal-unkeyed",
        null,
        "the trace is sealed without a key, so VEYRA_TRACE_KEY cannot authenticate it (recorded by a process without the key, or resealed by someone without it)",
      );
    } else if (seal.key_id !== keyId(key)) {
      this.report(
        "seal-forged",
        null,
        `the trace was sealed with another key (key id ${seal.key_id}), not VEYRA_TRACE_KEY`,
      );
    } else if (!macHolds(seal, key)) {
      this.report(
        "seal-forged",
        null,
        "the keyed seal does not match: the trace and its seal were recomputed by someone without VEYRA_TRACE_KEY",
      );
    }
    return "keyed";
  }
}

const MALFORMED = Symbol("malformed");

/** The state the steps so far give: what a checkpoint after them must hold. */
class Replayed {
  private readonly bindings = new Map<string, string>();
  private state: string | null | undefined = undefined;
  private clock = 0;
  private random = 0;
  private calls = 0;
  private elapsedMs = 0;

  apply(e: {
    changed?: [string, unknown][];
    effects?: unknown[];
    unlisted?: unknown[];
    transition?: { to: string };
    tape?: { clock?: unknown[]; random?: unknown[] };
  }): void {
    for (const [k, v] of e.changed ?? []) this.bindings.set(k, JSON.stringify(v));
    if (e.transition) this.state = e.transition.to;
    this.clock += e.tape?.clock?.length ?? 0;
    this.random += e.tape?.random?.length ?? 0;
    for (const c of [...(e.effects ?? []), ...(e.unlisted ?? [])]) {
      this.calls++;
      this.elapsedMs += Number((c as { elapsedMs?: number }).elapsedMs ?? 0);
    }
  }

  /** What in a saved checkpoint differs from the replayed state. */
  differences(saved: {
    bindings?: Record<string, unknown>;
    state?: unknown;
    elapsedMs?: unknown;
    tape?: Record<string, unknown>;
  }): string[] {
    const out: string[] = [];
    const names = new Set([...this.bindings.keys(), ...Object.keys(saved.bindings ?? {})]);
    for (const name of names) {
      const had = saved.bindings?.[name];
      if (had === undefined || JSON.stringify(had) !== this.bindings.get(name)) out.push(`binding ${name}`);
    }
    // Before the first transition the state is the node's initial one, which only the node file knows.
    if (this.state !== undefined && saved.state !== this.state) out.push("state");
    if (saved.elapsedMs !== this.elapsedMs) out.push("virtual clock");
    const tape = saved.tape ?? {};
    if (tape.clock !== this.clock || tape.random !== this.random || tape.calls !== this.calls) out.push("tape counts");
    return out;
  }
}

function callShape(stepIdx: number, e: Record<string, unknown>): CallShape {
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
