import Database from "better-sqlite3";
import fc from "fast-check";
import { createHash, createHmac } from "node:crypto";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyTraces } from "../../../src/workbench/traces.js";
import { cli, ROOT } from "../../helpers/cli.js";

// docs/trace-store.md, "The hash chain and the seal" and "What verify checks", read as
// a user would: traces recorded by the real CLI are rechecked here from the doc's own
// definitions (sha256 chain, seal text, HMAC), and each tamper is named by the kind the
// doc gives it, and only by the kinds of what changed: rows deleted from the middle
// are `step-missing`, never also `truncated` (the end is intact); rows deleted from
// the end are `truncated`. (test/unit/trace/verify-names-every-tamper-kind.test.ts has
// the other kinds; this file adds the ones it leaves out.)

const KEY = "doc4 key";
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
let dir: string;
let store: string;
let id: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vesper-verify-doc-"));
  store = join(dir, "store.db");
  const r = cli("vesper", ["run", join(ROOT, "examples/payment.vsp"), "--store", store, "--json"], {
    env: { VEYRA_TRACE_KEY: KEY },
    cwd: dir,
  });
  expect(r.status).toBe(0);
  id = (JSON.parse(r.stdout) as { traces: { id: string; runtime: string }[] }).traces.find(
    (t) => t.runtime === "reference",
  )!.id;
});

interface Row {
  idx: number;
  step: string;
  op: string;
  line: number;
  col: number;
  event: string;
  duration_us: number;
  hash: string;
}

describe("the chain and the seal, recomputed from the doc", () => {
  it("every recorded trace's rows chain, and its seal and HMAC are the doc's formulas", () => {
    const db = new Database(store, { readonly: true });
    const traces = db.prepare("SELECT * FROM traces").all() as Record<string, string | number | null>[];
    expect(traces.length).toBe(2);
    for (const t of traces) {
      const tid = t.id as string;
      let prev = sha(`vesper trace ${tid}`);
      const rows = db.prepare("SELECT * FROM steps WHERE trace_id = ? ORDER BY idx").all(tid) as Row[];
      rows.forEach((r, i) => {
        expect(r.idx).toBe(i);
        const h = sha(
          `${prev}\n${tid}\n${r.idx}\n${r.step}\n${r.op}\n${r.line}:${r.col}\n${r.duration_us}\n${r.event}`,
        );
        expect(r.hash).toBe(h);
        prev = h;
      });
      expect(t.step_count).toBe(rows.length);
      expect(t.last_hash).toBe(prev);
      const text = `vesper seal v1\n${tid}\n${t.seal_digests}`;
      expect(t.seal).toBe(sha(text));
      expect(t.seal_mac).toBe(createHmac("sha256", KEY).update(text).digest("hex"));
      const digests = JSON.parse(t.seal_digests as string);
      expect(digests).toMatchObject({ status: t.status, step_count: t.step_count, last_hash: t.last_hash });
      expect(digests.inputs).toBe(sha(t.inputs as string));
      expect(digests.output).toBe(sha(t.output as string));
    }
    db.close();
  });
});

let copies = 0;
function tampered(edit: (db: Database.Database) => void): string {
  const file = join(dir, `copy-${copies++}.db`);
  copyFileSync(store, file);
  const db = new Database(file);
  edit(db);
  db.close();
  return file;
}

function kinds(file: string): string[] {
  process.env.VEYRA_TRACE_KEY = KEY;
  try {
    return verifyTraces(file, id).reports[0]!.problems.map((p) => p.kind);
  } finally {
    delete process.env.VEYRA_TRACE_KEY;
  }
}

/** Appends a row that chains from the last one, and (patched) the trace row to match. */
function appendRow(db: Database.Database, patched: boolean): void {
  const last = db.prepare("SELECT idx, hash FROM steps WHERE trace_id = ? ORDER BY idx DESC LIMIT 1").get(id) as Row;
  const idx = last.idx + 1;
  const hash = sha(`${last.hash}\n${id}\n${idx}\nextra\ncompute\n1:1\n5\n{}`);
  db.prepare("INSERT INTO steps VALUES (?, ?, 'extra', 'compute', 1, 1, '{}', 5, ?)").run(id, idx, hash);
  if (patched) db.prepare("UPDATE traces SET step_count = ?, last_hash = ? WHERE id = ?").run(idx + 1, hash, id);
}

const CASES: [string, string, (db: Database.Database) => void][] = [
  ["a row added at the end", "rows-added", (db) => appendRow(db, false)],
  ["a row added at the end, the trace row patched", "rows-added", (db) => appendRow(db, true)],
  [
    "a call row added",
    "call-added",
    (db) =>
      db
        .prepare(
          "INSERT INTO tool_calls SELECT trace_id, seq + 10, step_idx, step, tool, capability, args, ok, result, error, attempts, elapsed_ms FROM tool_calls WHERE trace_id = ?",
        )
        .run(id),
  ],
  [
    "the finish time",
    "timing-edited",
    (db) => db.prepare("UPDATE traces SET finished_at = finished_at + 1 WHERE id = ?").run(id),
  ],
  [
    "the duration",
    "timing-edited",
    (db) => db.prepare("UPDATE traces SET duration_us = duration_us + 1 WHERE id = ?").run(id),
  ],
  [
    "an intent added",
    "intent-edited",
    (db) => db.prepare("INSERT INTO intents VALUES (?, 0, 4, 'charge_card', 'http.request', 'net', '{}', 1)").run(id),
  ],
  [
    "a checkpoint added",
    "checkpoint-edited",
    (db) =>
      db
        .prepare("INSERT INTO checkpoints VALUES (?, 3, ?)")
        .run(
          id,
          JSON.stringify({ bindings: {}, state: "pending", elapsedMs: 0, tape: { clock: 0, random: 0, calls: 0 } }),
        ),
  ],
  [
    "a step's name",
    "step-edited",
    (db) => db.prepare("UPDATE steps SET step = 'x' WHERE trace_id = ? AND idx = 2").run(id),
  ],
  [
    "a step's op",
    "step-edited",
    (db) => db.prepare("UPDATE steps SET op = 'x' WHERE trace_id = ? AND idx = 2").run(id),
  ],
  [
    "a step's line",
    "step-edited",
    (db) => db.prepare("UPDATE steps SET line = line + 1 WHERE trace_id = ? AND idx = 2").run(id),
  ],
  [
    "a step's duration",
    "step-edited",
    (db) => db.prepare("UPDATE steps SET duration_us = 1 WHERE trace_id = ? AND idx = 2").run(id),
  ],
  ["the group", "identity-edited", (db) => db.prepare("UPDATE traces SET group_id = 'g' WHERE id = ?").run(id)],
  [
    "the node file",
    "identity-edited",
    (db) => db.prepare("UPDATE traces SET node_file = '/x.vsp' WHERE id = ?").run(id),
  ],
];

describe("verify names each change by the doc's kind", () => {
  it("the untouched store verifies, keyed", () => {
    process.env.VEYRA_TRACE_KEY = KEY;
    try {
      const v = verifyTraces(store);
      expect(v.tampered).toBe(0);
      expect(v.reports.map((r) => r.seal)).toEqual(["keyed", "keyed"]);
    } finally {
      delete process.env.VEYRA_TRACE_KEY;
    }
  });

  it.each(CASES)("%s → %s", (_what, kind, edit) => {
    expect(kinds(tampered(edit))).toContain(kind);
  });

  it("a middle row's hash edited is step-edited at that row and at the next, which chains from it", () => {
    process.env.VEYRA_TRACE_KEY = KEY;
    try {
      const file = tampered((d) =>
        d.prepare("UPDATE steps SET hash = ? WHERE trace_id = ? AND idx = 1").run("0".repeat(64), id),
      );
      const problems = verifyTraces(file, id).reports[0]!.problems.filter((p) => p.kind === "step-edited");
      expect(problems.map((p) => p.step)).toEqual([1, 2]);
    } finally {
      delete process.env.VEYRA_TRACE_KEY;
    }
  });

  it("rows deleted from the middle are step-missing only; rows deleted from the end are truncated", () => {
    const db = new Database(store, { readonly: true });
    const count = db.prepare("SELECT step_count FROM traces WHERE id = ?").pluck().get(id) as number;
    db.close();
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: count - 1 }), { minLength: 1, maxLength: count - 1 }),
        (deleted) => {
          const found = kinds(
            tampered((d) => {
              for (const idx of deleted) d.prepare("DELETE FROM steps WHERE trace_id = ? AND idx = ?").run(id, idx);
            }),
          );
          const gone = new Set(deleted);
          let end = count;
          while (end > 0 && gone.has(end - 1)) end--;
          const gap = deleted.some((i) => i < end);
          expect(found.includes("step-missing")).toBe(gap);
          expect(found.includes("truncated")).toBe(end < count);
          expect(found).not.toContain("rows-added");
        },
      ),
      { numRuns: 40 },
    );
  });
});
