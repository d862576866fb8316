import Database from "better-sqlite3";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stepHash } from "../../src/trace/hash-chain.js";
import { ROOT } from "../helpers/cli.js";
import { freshStore, recordPaymentRun, vesperOn } from "../helpers/store-faults.js";

// What a user sees of a changed or damaged trace: show warns first and still shows
// it, replay warns, a row whose JSON is broken is named (show, verify, export go
// on; replay stops with a store error, never an internal one), and the stores of
// earlier versions verify as unsealed, not tampered.

function edit(store: string, sql: string, ...params: unknown[]): void {
  const db = new Database(store);
  db.prepare(sql).run(...params);
  db.close();
}

describe("a tampered trace", () => {
  it("show warns at the top, names the change and still shows it; verify names it; replay warns", () => {
    const store = freshStore();
    const id = recordPaymentRun(store);
    edit(store, "UPDATE traces SET output = replace(output, '93.19', '1.00') WHERE id = ?", id);
    const show = vesperOn(store, ["traces", "show", id]);
    expect(show.status).toBe(0);
    const lines = show.stdout.split("\n");
    expect(lines[0]).toBe(
      `warning: trace ${id} fails its check: the output changed after the trace was sealed; what follows may not be what was recorded (vesper traces verify ${id} names every problem)`,
    );
    expect(lines[1]).toContain(`${id}  payments.process_payment@1.0.0`);
    const json = JSON.parse(vesperOn(store, ["traces", "show", id, "--json"]).stdout);
    expect(json.check).toMatchObject({ ok: false, problem: { kind: "output-edited" } });
    const verify = vesperOn(store, ["traces", "verify", id]);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toBe(`✗ ${id}: the output changed after the trace was sealed [output-edited]\n`);
    const replay = vesperOn(store, ["replay", id, "--json"]);
    expect(replay.stdout + replay.stderr).toMatch(/the output changed after the trace was sealed/);
  });
});

describe("a row whose JSON is broken", () => {
  it("show marks the row and goes on; verify names trace and row; export keeps its text; replay is a store error", () => {
    const store = freshStore();
    const id = recordPaymentRun(store);
    edit(store, "UPDATE steps SET event = '{\"changed\": [' WHERE trace_id = ? AND idx = 2", id);
    const show = vesperOn(store, ["traces", "show", id]);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(
      /^warning: trace tr_[0-9a-f]+ fails its check: step row 2 \(compute_fee\) has an event that is not valid JSON/,
    );
    expect(show.stdout).toMatch(
      /✗ {3}2 compute_fee .* unreadable row: trace tr_[0-9a-f]+ cannot be read: step row 2 \(compute_fee\)'s event is not valid JSON/,
    );
    expect(show.stdout).toMatch(/✓ {3}3 /);
    const verify = vesperOn(store, ["traces", "verify", "--json"]);
    expect(verify.status).toBe(1);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      trace: id,
      ok: false,
      problem: { kind: "malformed-row", step: 2 },
    });
    const exported = vesperOn(store, ["traces", "export", id]);
    expect(exported.status).toBe(0);
    expect(JSON.parse(exported.stdout).steps[2].event).toEqual({ $malformed: '{"changed": [' });
    const replay = vesperOn(store, ["replay", id]);
    expect(replay.status).toBe(2);
    expect(replay.stderr).toContain(`trace ${id} cannot be read: step row 2 (compute_fee)'s event is not valid JSON`);
    expect(replay.stderr).not.toMatch(/internal error/);
  });
});

describe("show on a long trace", () => {
  it("shows the first 1000 step rows by default and says so; --limit and --all choose", () => {
    const store = freshStore();
    const id = recordPaymentRun(store);
    // 1,500 more step rows, chained as the recorder chains them, written by the test.
    const db = new Database(store);
    const rows = db.prepare("SELECT * FROM steps WHERE trace_id = ? ORDER BY idx").all(id) as Parameters<
      typeof stepHash
    >[1][];
    let prev = db.prepare("SELECT last_hash FROM traces WHERE id = ?").pluck().get(id) as string;
    const insert = db.prepare(
      "INSERT INTO steps (trace_id, idx, step, op, line, col, event, duration_us, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    db.transaction(() => {
      for (let i = rows.length; i < rows.length + 1500; i++) {
        const row = { ...rows[1]!, idx: i };
        prev = stepHash(prev, row);
        insert.run(id, i, row.step, row.op, row.line, row.col, row.event, row.duration_us, prev);
      }
    })();
    db.close();
    const total = rows.length + 1500;
    const stepLines = (out: string) => out.split("\n").filter((l) => /^ {2}[✓✗] +\d+ /.test(l));
    const show = vesperOn(store, ["traces", "show", id]);
    expect(show.stdout).toContain(
      `  showing step rows 0 to 999 of ${total} (--all shows every one, --limit N the first N)`,
    );
    expect(stepLines(show.stdout)).toHaveLength(1000);
    expect(show.stdout).toContain(`  … ${total - 1000} more step rows (--all shows them)`);
    expect(stepLines(vesperOn(store, ["traces", "show", id, "--all"]).stdout)).toHaveLength(total);
    expect(stepLines(vesperOn(store, ["traces", "show", id, "--limit", "5"]).stdout)).toHaveLength(5);
    const json = JSON.parse(vesperOn(store, ["traces", "show", id, "--json", "--limit", "5"]).stdout);
    expect(json).toMatchObject({ timeline_total: total, timeline_shown: 5 });
    expect(json.timeline).toHaveLength(5);
    const both = vesperOn(store, ["traces", "show", id, "--all", "--limit", "5"]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain("--all and --limit cannot be used together");
  });
});

describe("stores recorded before sealing", () => {
  it("verify every trace of each fixture store as unsealed, not tampered", () => {
    for (const fixture of ["schema2-payment-fork.db", "schema2-debug-wrong-round.db", "schema2-tensor-mlp.db"]) {
      const store = join(mkdtempSync(join(tmpdir(), "vesper-unsealed-")), fixture);
      copyFileSync(join(ROOT, "test/fixtures/traces", fixture), store);
      const r = vesperOn(store, ["traces", "verify"]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^✓ (\d+) of \1 traces verify \(\1 unsealed \(recorded before sealing\)\)\n$/);
    }
  });
});
