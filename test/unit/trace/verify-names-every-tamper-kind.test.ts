import Database from "better-sqlite3";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runObserved } from "../../../src/runtime/observed-run.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import { ReferenceRuntime } from "../../../src/runtime/reference/reference-runtime.js";
import { TraceStore } from "../../../src/store/store.js";
import { TraceRecorder } from "../../../src/trace/recorder.js";
import { digestsOf, RowDigest, sealOf, type SealedRow, type SealRow } from "../../../src/trace/seal.js";
import { stepHash, genesisHash } from "../../../src/trace/hash-chain.js";
import { verifyTraces } from "../../../src/workbench/traces.js";
import { context, example } from "../../helpers/runtimes.js";

// Every kind of change to a recorded trace is found by verify and named: one row
// per tamper, applied with plain SQL to a copy of a store holding one payment run
// (a call, a state machine, checkpoints every 2 steps). An untouched copy verifies.

const KEY = "correct horse battery staple";
let dir: string;
let pristine: string;
let keyed: string;
let id: string;
let keyedId: string;

async function record(file: string, key?: string): Promise<string> {
  const before = process.env.VEYRA_TRACE_KEY;
  if (key) process.env.VEYRA_TRACE_KEY = key;
  else delete process.env.VEYRA_TRACE_KEY;
  try {
    const store = TraceStore.open(file);
    const p = example("payment");
    const inputs = sampleInputs(p);
    const recorder = TraceRecorder.begin(
      store,
      { node: p, runtime: "reference", backend: "reference-float64", inputs, seed: "7", context: { clockStartMs: 0 } },
      { checkpointEvery: 2, batchSize: 3 },
    );
    const result = await runObserved(new ReferenceRuntime(), p, inputs, context(p), recorder);
    expect(result.status).toBe("success");
    store.close();
    return recorder.id;
  } finally {
    if (before === undefined) delete process.env.VEYRA_TRACE_KEY;
    else process.env.VEYRA_TRACE_KEY = before;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vesper-tamper-"));
  pristine = join(dir, "pristine.db");
  keyed = join(dir, "keyed.db");
  id = await record(pristine);
  keyedId = await record(keyed, KEY);
});

afterEach(() => {
  delete process.env.VEYRA_TRACE_KEY;
});

let copies = 0;
function tampered(from: string, sql: (db: Database.Database, id: string) => void, traceId = id): string {
  const file = join(dir, `copy-${copies++}.db`);
  copyFileSync(from, file);
  const db = new Database(file);
  sql(db, traceId);
  db.close();
  return file;
}

const run = (db: Database.Database, sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);

/** Moves a trace's seal from its row to a `seals` row, where a vesper before schema 6 wrote it. */
function sealAsBeforeSchema6(db: Database.Database, traceId: string): void {
  run(
    db,
    "INSERT INTO seals (trace_id, digests, seal, mac, key_id) SELECT id, seal_digests, seal, seal_mac, seal_key_id FROM traces WHERE id = ?",
    traceId,
  );
  run(
    db,
    "UPDATE traces SET seal_digests = NULL, seal = NULL, seal_mac = NULL, seal_key_id = NULL WHERE id = ?",
    traceId,
  );
}

/** The seal an attacker with this code (and no key) computes for the trace as it now is. */
function reseal(db: Database.Database, traceId: string, key?: string): SealRow {
  const t = db.prepare("SELECT * FROM traces WHERE id = ?").get(traceId) as SealedRow;
  const cps = new RowDigest();
  for (const c of db
    .prepare("SELECT step_idx, state FROM checkpoints WHERE trace_id = ? ORDER BY step_idx")
    .all(traceId) as {
    step_idx: number;
    state: string;
  }[])
    cps.add(`${c.step_idx}\n${c.state}`);
  return sealOf(traceId, digestsOf(t, cps.value(), new RowDigest().value()), key);
}

function rechain(db: Database.Database, traceId: string): void {
  let prev = genesisHash(traceId);
  const rows = db.prepare("SELECT * FROM steps WHERE trace_id = ? ORDER BY idx").all(traceId) as Parameters<
    typeof stepHash
  >[1][];
  for (const r of rows) {
    prev = stepHash(prev, r);
    run(db, "UPDATE steps SET hash = ? WHERE trace_id = ? AND idx = ?", prev, traceId, r.idx);
  }
  run(db, "UPDATE traces SET last_hash = ?, step_count = ? WHERE id = ?", prev, rows.length, traceId);
}

/** Writes a seal where a trace recorded since schema 6 keeps it: in its row. */
function writeSeal(db: Database.Database, s: SealRow): void {
  run(
    db,
    "UPDATE traces SET seal_digests = ?, seal = ?, seal_mac = ?, seal_key_id = ? WHERE id = ?",
    s.digests,
    s.seal,
    s.mac,
    s.key_id,
    s.trace_id,
  );
}

const CASES: [string, string, (db: Database.Database, id: string) => void][] = [
  [
    "an edited event",
    "step-edited",
    (db, t) => run(db, "UPDATE steps SET event = replace(event, '3.2', '0.2') WHERE trace_id = ? AND idx = 2", t),
  ],
  ["a deleted step row", "step-missing", (db, t) => run(db, "DELETE FROM steps WHERE trace_id = ? AND idx = 3", t)],
  [
    "two step rows swapped",
    "step-reordered",
    (db, t) => {
      run(db, "UPDATE steps SET idx = -1 WHERE trace_id = ? AND idx = 3", t);
      run(db, "UPDATE steps SET idx = 3 WHERE trace_id = ? AND idx = 4", t);
      run(db, "UPDATE steps SET idx = 4 WHERE trace_id = ? AND idx = -1", t);
    },
  ],
  [
    "a call's args",
    "call-edited",
    (db, t) => run(db, "UPDATE tool_calls SET args = replace(args, '93.19', '9.19') WHERE trace_id = ?", t),
  ],
  [
    "a call's result",
    "call-edited",
    (db, t) => run(db, "UPDATE tool_calls SET result = replace(result, 'ch_', 'xx_') WHERE trace_id = ?", t),
  ],
  ["a deleted call row", "call-missing", (db, t) => run(db, "DELETE FROM tool_calls WHERE trace_id = ?", t)],
  [
    "the inputs",
    "inputs-edited",
    (db, t) => run(db, "UPDATE traces SET inputs = replace(inputs, '100', '900') WHERE id = ?", t),
  ],
  [
    "the output",
    "output-edited",
    (db, t) => run(db, "UPDATE traces SET output = replace(output, '93.19', '1.00') WHERE id = ?", t),
  ],
  ["the status", "status-edited", (db, t) => run(db, "UPDATE traces SET status = 'error' WHERE id = ?", t)],
  [
    "the failure",
    "failure-edited",
    (db, t) => run(db, `UPDATE traces SET failure = '{"code":"C001","message":"x"}' WHERE id = ?`, t),
  ],
  [
    "the final state",
    "final-state-edited",
    (db, t) => run(db, "UPDATE traces SET final_state = 'refunded' WHERE id = ?", t),
  ],
  ["what ran (the seed)", "identity-edited", (db, t) => run(db, "UPDATE traces SET seed = '8' WHERE id = ?", t)],
  [
    "a checkpoint",
    "checkpoint-edited",
    (db, t) => run(db, "UPDATE checkpoints SET state = replace(state, '3.2', '0.2') WHERE trace_id = ?", t),
  ],
  [
    "a deleted checkpoint",
    "checkpoint-edited",
    (db, t) => run(db, "DELETE FROM checkpoints WHERE trace_id = ? AND step_idx = 1", t),
  ],
  ["the last rows removed", "truncated", (db, t) => run(db, "DELETE FROM steps WHERE trace_id = ? AND idx >= 6", t)],
  [
    "the last rows removed, step_count and last_hash patched",
    "truncated",
    (db, t) => {
      run(db, "DELETE FROM steps WHERE trace_id = ? AND idx >= 6", t);
      run(db, "DELETE FROM checkpoints WHERE trace_id = ? AND step_idx >= 6", t);
      run(
        db,
        "UPDATE traces SET step_count = 6, last_hash = (SELECT hash FROM steps WHERE trace_id = ? AND idx = 5) WHERE id = ?",
        t,
        t,
      );
    },
  ],
  [
    "the seal's digests",
    "seal-edited",
    (db, t) =>
      run(
        db,
        "UPDATE traces SET seal_digests = replace(seal_digests, '\"step_count\":8', '\"step_count\":6') WHERE id = ?",
        t,
      ),
  ],
  ["the seal's hash emptied", "seal-edited", (db, t) => run(db, "UPDATE traces SET seal = NULL WHERE id = ?", t)],
  [
    "the seal removed",
    "seal-missing",
    (db, t) =>
      run(
        db,
        "UPDATE traces SET seal_digests = NULL, seal = NULL, seal_mac = NULL, seal_key_id = NULL WHERE id = ?",
        t,
      ),
  ],
  [
    "the digests of a seal kept in seals (before schema 6)",
    "seal-edited",
    (db, t) => {
      sealAsBeforeSchema6(db, t);
      run(
        db,
        "UPDATE seals SET digests = replace(digests, '\"step_count\":8', '\"step_count\":6') WHERE trace_id = ?",
        t,
      );
    },
  ],
  [
    "the output of a trace sealed in seals (before schema 6)",
    "output-edited",
    (db, t) => {
      sealAsBeforeSchema6(db, t);
      run(db, "UPDATE traces SET output = replace(output, '93.19', '1.00') WHERE id = ?", t);
    },
  ],
  [
    "a seal kept in seals (before schema 6) removed",
    "seal-missing",
    (db, t) => {
      sealAsBeforeSchema6(db, t);
      run(db, "DELETE FROM seals WHERE trace_id = ?", t);
    },
  ],
  [
    "an event that is not JSON",
    "malformed-row",
    (db, t) => run(db, "UPDATE steps SET event = '{\"changed\": [' WHERE trace_id = ? AND idx = 2", t),
  ],
];

describe("verify names every kind of tampering", () => {
  it("an untouched trace verifies, sealed", () => {
    const v = verifyTraces(pristine, id);
    expect(v.tampered).toBe(0);
    expect(v.reports[0]).toMatchObject({ seal: "sha256", status: "success", problems: [] });
  });

  it("a trace recorded since schema 6 keeps its seal in its row, and one sealed in seals (before) verifies too", () => {
    const db = new Database(pristine, { readonly: true });
    expect(db.prepare("SELECT seal IS NOT NULL AS sealed FROM traces WHERE id = ?").get(id)).toEqual({ sealed: 1 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM seals").get()).toEqual({ n: 0 });
    db.close();
    const v = verifyTraces(tampered(pristine, sealAsBeforeSchema6), id);
    expect(v.tampered).toBe(0);
    expect(v.reports[0]).toMatchObject({ seal: "sha256", problems: [] });
  });

  it.each(CASES)("%s → %s", (_what, kind, edit) => {
    const file = tampered(pristine, edit);
    const v = verifyTraces(file, id);
    expect(v.tampered).toBe(1);
    const kinds = v.reports[0]!.problems.map((p) => p.kind);
    expect(kinds).toContain(kind);
  });

  it("a malformed row does not stop verify-all: every trace is still checked", async () => {
    const file = tampered(pristine, (db, t) =>
      run(db, "UPDATE tool_calls SET args = 'not json' WHERE trace_id = ?", t),
    );
    // A second, intact trace in the same store.
    const second = await record(file);
    const v = verifyTraces(file);
    expect(v.reports.map((r) => r.trace).sort()).toEqual([id, second].sort());
    expect(v.reports.find((r) => r.trace === id)!.problem).toMatchObject({ kind: "malformed-row" });
    expect(v.reports.find((r) => r.trace === second)!.problems).toEqual([]);
  });
});

describe("keyed sealing (VEYRA_TRACE_KEY)", () => {
  it("a trace sealed with the key verifies with it", () => {
    process.env.VEYRA_TRACE_KEY = KEY;
    const v = verifyTraces(keyed, keyedId);
    expect(v.reports[0]).toMatchObject({ seal: "keyed", problems: [] });
  });

  it("an edit with the chain and seal recomputed passes without the key and fails with it", () => {
    const file = tampered(
      keyed,
      (db, t) => {
        run(db, "UPDATE steps SET event = replace(event, '3.2', '0.2') WHERE trace_id = ? AND idx = 2", t);
        run(db, "UPDATE checkpoints SET state = replace(state, '3.2', '0.2') WHERE trace_id = ?", t);
        run(db, "UPDATE traces SET output = replace(output, '93.19', '1.00') WHERE id = ?", t);
        rechain(db, t);
        const forged = reseal(db, t);
        // The attacker keeps the stored HMAC (they cannot make a new one).
        const stored = db
          .prepare("SELECT seal_mac AS mac, seal_key_id AS key_id FROM traces WHERE id = ?")
          .get(t) as SealRow;
        writeSeal(db, { ...forged, mac: stored.mac, key_id: stored.key_id });
      },
      keyedId,
    );
    expect(verifyTraces(file, keyedId).reports[0]!.problems).toEqual([]);
    process.env.VEYRA_TRACE_KEY = KEY;
    const v = verifyTraces(file, keyedId);
    expect(v.tampered).toBe(1);
    expect(v.reports[0]!.problems.map((p) => p.kind)).toEqual(["seal-forged"]);
  });

  it("a recomputed seal without an HMAC, or with another key's, fails with the key set", () => {
    const unkeyed = tampered(
      keyed,
      (db, t) => {
        run(db, "UPDATE traces SET output = replace(output, '93.19', '1.00') WHERE id = ?", t);
        writeSeal(db, reseal(db, t));
      },
      keyedId,
    );
    const otherKey = tampered(
      keyed,
      (db, t) => {
        run(db, "UPDATE traces SET output = replace(output, '93.19', '1.00') WHERE id = ?", t);
        writeSeal(db, reseal(db, t, "a guess"));
      },
      keyedId,
    );
    process.env.VEYRA_TRACE_KEY = KEY;
    expect(verifyTraces(unkeyed, keyedId).reports[0]!.problems.map((p) => p.kind)).toEqual(["seal-unkeyed"]);
    expect(verifyTraces(otherKey, keyedId).reports[0]!.problems.map((p) => p.kind)).toEqual(["seal-forged"]);
  });

  it("without the key, a keyed seal is reported as not checked, and the rest is still verified", () => {
    const v = verifyTraces(keyed, keyedId);
    expect(v.reports[0]).toMatchObject({ seal: "keyed-unchecked", problems: [] });
  });
});
