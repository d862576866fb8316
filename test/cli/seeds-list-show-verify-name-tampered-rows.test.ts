import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";
import { TraceStore } from "../../src/store/store.js";

// `veyra seeds list|show|verify` end to end through bin/ on a real SQLite file that
// another process (test/fixtures/seed-writer.mjs, the real sink) recorded a run
// into. A raw-SQL edit, a deleted row and two swapped rows are each named by
// `seeds verify` with exit 1; an unknown run id, bad flags and a file that is not a
// store exit 2 with a message saying so, and leave the file as it was.

function recorded(runId = "sr_cli", epochs = 4): string {
  const store = join(mkdtempSync(join(tmpdir(), "vesper-seeds-cli-")), "store.db");
  const w = spawnSync(
    process.execPath,
    [join(ROOT, "test/fixtures/seed-writer.mjs"), store, runId, "finish", String(epochs)],
    {
      encoding: "utf8",
    },
  );
  expect(w.stderr).toBe("");
  expect(w.stdout).toBe(`done ${runId}\n`);
  return store;
}

function sql(store: string, statement: string, ...params: unknown[]): void {
  const s = TraceStore.open(store);
  try {
    s.db.prepare(statement).run(...params);
  } finally {
    s.close();
  }
}

describe("veyra seeds list and show", () => {
  it("list prints each run with its status, epochs, accuracy against the baseline and seeds; --json one object per run", () => {
    const store = recorded();
    const text = cli("veyra", ["seeds", "list", "--store", store]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      /^✓ sr_cli {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}spirals {2}finished +4\/4 epochs {2}test 79\.0% vs baseline 73\.0% \(\+6\.0 points\) {2}s0 STABILIZATION\n$/,
    );
    const json = cli("veyra", ["seeds", "list", "--json", "--store", store]);
    const runs = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      id: "sr_cli",
      status: "finished",
      dataset: "spirals",
      epochs: 4,
      epochsDone: 4,
      baseline: true,
      finalTestAccuracy: 0.79,
      eventCount: 17,
    });
  });

  it("show tells each seed's stages and gates, the metrics and the final accuracy against the baseline", () => {
    const store = recorded();
    const r = cli("veyra", ["seeds", "show", "sr_c", "--store", store]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("✓ seed run sr_cli  finished  spirals  seed 7  backend cpu  with baseline");
    expect(r.stdout).toContain("accuracy: test 79.0% vs baseline 73.0% (+6.0 points); best 79.0% at epoch 4");
    expect(r.stdout).toContain("seed s0  bottleneck in h1  STABILIZATION");
    expect(r.stdout).toContain("stages: GERMINATED@1 → TRAINING@2 → GRAFTING@3 → STABILIZATION@4");
    expect(r.stdout).toContain("gates:  G0✓@1 G1✓@2 G2✓@3 G3✓@4");
    expect(r.stdout).toContain("checkpoint: after epoch 4");
    const json = JSON.parse(cli("veyra", ["seeds", "show", "sr_cli", "--json", "--store", store]).stdout);
    expect(json.accuracy).toEqual({ final: 0.79, baseline: 0.73, gainPoints: 6 });
    expect(json.epochs.seeded).toHaveLength(4);
    expect(json.epochs.baseline).toHaveLength(4);
    expect(json.seeds[0].gates.map((g: { gate: string }) => g.gate)).toEqual(["G0", "G1", "G2", "G3"]);
  });
});

describe("veyra seeds verify names the first row that is not as recorded, and exits 1", () => {
  it("an untouched run verifies (exit 0)", () => {
    const store = recorded();
    const r = cli("veyra", ["seeds", "verify", "sr_cli", "--store", store]);
    expect(r.stdout).toBe("✓ seed run sr_cli: 17 events, hash chain intact (finished)\n");
    expect(r.status).toBe(0);
  });

  it("a row edited with raw SQL", () => {
    const store = recorded();
    sql(store, "UPDATE seed_events SET body = replace(body, '\"passed\":true', '\"passed\":false') WHERE seq = 5");
    const r = cli("veyra", ["seeds", "verify", "sr_cli", "--store", store]);
    expect(r.stdout).toMatch(
      /^✗ seed run sr_cli: event 5 \(gate of s0\) does not match its hash: it was changed after it was recorded \[event-edited\]\n/,
    );
    expect(r.status).toBe(1);
  });

  it("a row deleted", () => {
    const store = recorded();
    sql(store, "DELETE FROM seed_events WHERE seq = 9");
    const r = cli("veyra", ["seeds", "verify", "sr_cli", "--json", "--store", store]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      run: "sr_cli",
      ok: false,
      problem: { seq: 9, kind: "event-missing" },
    });
  });

  it("two rows swapped", () => {
    const store = recorded();
    const s = TraceStore.open(store);
    const move = s.db.prepare("UPDATE seed_events SET seq = ? WHERE seq = ?");
    s.db.transaction(() => {
      move.run(-1, 2);
      move.run(2, 3);
      move.run(3, -1);
    })();
    s.close();
    const r = cli("veyra", ["seeds", "verify", "sr_cli", "--store", store]);
    expect(r.stdout).toContain(
      "✗ seed run sr_cli: event 2 (isolation of s0) does not match its hash at this position: it was recorded as event 3 and moved (rows were reordered) [event-reordered]",
    );
    expect(r.status).toBe(1);
  });

  it("the last rows cut off, and the run row left as it was", () => {
    const store = recorded();
    sql(store, "DELETE FROM seed_events WHERE seq >= 15");
    const r = cli("veyra", ["seeds", "verify", "sr_cli", "--json", "--store", store]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).problem).toMatchObject({ seq: null, kind: "events-truncated" });
  });
});

describe("veyra seeds: bad input exits 2 with a clear message and changes nothing", () => {
  it("an unknown run id", () => {
    const store = recorded();
    const before = readFileSync(store);
    for (const verb of ["show", "verify", "watch"]) {
      const r = cli("veyra", ["seeds", verb, "sr_nope", "--store", store]);
      expect(r.stderr).toBe(
        `veyra: error: no seed run sr_nope in the trace store ${store} (veyra seeds list shows the runs there)\n`,
      );
      expect(r.status).toBe(2);
    }
    expect(readFileSync(store).equals(before)).toBe(true);
  });

  it("bad flags name the flag", () => {
    const store = recorded();
    const status = cli("veyra", ["seeds", "list", "--status", "done", "--store", store]);
    expect(status.stderr).toBe(
      "veyra: error: --status must be one of running, finished, interrupted, failed, not 'done'\n",
    );
    expect(status.status).toBe(2);
    const limit = cli("veyra", ["seeds", "list", "--limit", "0", "--store", store]);
    expect(limit.stderr).toBe("veyra: error: --limit must be a whole number of at least 1, not '0'\n");
    expect(limit.status).toBe(2);
    const unknown = cli("veyra", ["seeds", "show", "sr_cli", "--jsn", "--store", store]);
    expect(unknown.stderr).toMatch(/unknown option '--jsn'/);
    expect(unknown.status).toBe(2);
    const missing = cli("veyra", ["seeds", "verify", "--store", store]);
    expect(missing.stderr).toMatch(/missing required argument 'run_id'/);
    expect(missing.status).toBe(2);
  });

  it("a --store that is not SQLite is refused untouched; a missing one is not created", () => {
    const dir = mkdtempSync(join(tmpdir(), "vesper-seeds-bad-"));
    const notes = join(dir, "notes.txt");
    writeFileSync(notes, "not a database, just some notes\n".repeat(10));
    for (const args of [["list"], ["show", "sr_x"], ["verify", "sr_x"], ["watch"]]) {
      const r = cli("veyra", ["seeds", ...args, "--store", notes]);
      expect(r.stderr).toMatch(
        new RegExp(
          `^veyra: error: ${notes.replace(/[.]/g, "\\.")} is not a usable trace store: it is not a SQLite database`,
        ),
      );
      expect(r.status).toBe(2);
    }
    expect(readFileSync(notes, "utf8")).toBe("not a database, just some notes\n".repeat(10));
    const missing = join(dir, "none.db");
    const r = cli("veyra", ["seeds", "list", "--store", missing]);
    expect(r.stderr).toContain(`no trace store at ${missing}`);
    expect(r.status).toBe(2);
    expect(existsSync(missing)).toBe(false);
  });
});
