import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// docs/seeds-telemetry.md "Reading a run with SQL": the statements of its sql block,
// as written (RUN replaced by the run's id), run against a store a real `veyra seeds
// run` recorded (spirals, 5 epochs, with its baseline), opened read-only. Each
// returns what its comment says; the seed query names a seed the way the trainer does.

function docStatements(): string[] {
  const doc = readFileSync(join(ROOT, "docs/seeds-telemetry.md"), "utf8");
  const block = /```sql\n([\s\S]*?)```/.exec(doc)![1]!;
  return block
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, "").trim() !== "");
}

describe("the SQL in docs/seeds-telemetry.md", () => {
  it("runs as written against a recorded run and finds its runs, curves, seed stages and gates", () => {
    const store = join(mkdtempSync(join(tmpdir(), "vesper-seeds-sql-")), "store.db");
    const r = cli("veyra", [
      "seeds",
      "run",
      "--dataset",
      "spirals",
      "--epochs",
      "5",
      "--baseline",
      "--store",
      store,
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const runId = JSON.parse(r.stdout.split("\n")[0]!).runId as string;
    const db = new Database(store, { readonly: true });
    try {
      const [runs, curve, seedRows, nanSteps] = docStatements().map((s) =>
        db.prepare(s.replaceAll("'RUN'", `'${runId}'`)).all(),
      ) as Record<string, unknown>[][];
      expect(runs).toEqual([
        expect.objectContaining({ id: runId, dataset: "spirals", status: "finished", epochs: "5/5" }),
      ]);
      expect(curve!.map((row) => row.epoch)).toEqual([1, 2, 3, 4, 5]);
      for (const row of curve!)
        expect(row).toEqual(expect.objectContaining({ seeded: expect.any(Number), baseline: expect.any(Number) }));
      expect(seedRows!.length).toBeGreaterThan(0);
      expect(seedRows![0]).toMatchObject({ kind: "gate", gate: "G0", passed: 1 });
      expect(seedRows!.find((row) => row.kind === "stage")).toMatchObject({ from: "DORMANT", to: "GERMINATED" });
      expect(nanSteps).toEqual([]);
    } finally {
      db.close();
    }
  });
});
