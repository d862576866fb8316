import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restoreRound, truncateRound } from "../../helpers/wrong-round.js";
import { TraceStore } from "../../../src/store/store.js";
import { evidenceOf } from "../../../src/verify/evidence-store.js";
import { runDifferentialTest, type TestProgress } from "../../../src/workbench/differential-test.js";
import { example } from "../../helpers/runtimes.js";

// The differential-test use case through its typed API, as the TUI will drive it:
// progress arrives while it runs (every input, then each shrinking attempt, then the
// recording), and the summary agrees with what it stored. The direct runtime's ROUND
// truncates here (vitest isolates the change to this file), so the payment node diverges.

beforeAll(truncateRound);
afterAll(restoreRound);

describe("runDifferentialTest", () => {
  it("reports progress in order and returns what it stored", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vesper-difftest-"));
    const storePath = join(dir, "store.db");
    const caseFile = join(dir, "case.yaml");
    const progress: TestProgress[] = [];
    const s = await runDifferentialTest(storePath, example("payment"), {
      runs: 200,
      seed: 11,
      caseFile,
      onProgress: (p) => progress.push(p),
    });

    const generating = progress.filter((p) => p.phase === "generating");
    expect(generating.map((p) => p.done)).toEqual(generating.map((_, i) => i + 1));
    expect(generating.at(-1)).toMatchObject({
      done: 200,
      total: 200,
      compared: s.report.compared,
      agreed: s.report.agreed,
      diverged: s.report.diverged,
      discarded: s.report.discarded,
    });
    const phases = progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
    expect(phases).toEqual(["generating", "shrinking", "recording"]);

    expect(s.report.diverged).toBeGreaterThan(0);
    expect(s.kind).toBe("differential");
    expect(s.caseFile).toBe(caseFile);
    expect(readFileSync(caseFile, "utf8")).toContain("vesper test regression case for payments.process_payment@1.0.0");
    expect(s.storedDivergences).toBe(s.report.diverged);

    const store = TraceStore.open(storePath, { readonly: true });
    try {
      expect(evidenceOf(store, s.nodeId)).toEqual(s.evidence);
      expect(s.evidence).toMatchObject({ compared: s.report.compared, agreed: s.report.agreed });
      const rows = store.db.prepare("SELECT COUNT(*) AS n FROM divergences WHERE source = 'test'").get() as {
        n: number;
      };
      expect(rows.n).toBe(s.report.diverged);
    } finally {
      store.close();
    }
  }, 60_000);

  it("an open store is used and left open; nothing diverges with the real ROUND", async () => {
    restoreRound();
    const dir = mkdtempSync(join(tmpdir(), "vesper-difftest-"));
    const store = TraceStore.open(join(dir, "store.db"));
    try {
      const s = await runDifferentialTest(store, example("payment"), {
        runs: 50,
        seed: 3,
        caseFile: join(dir, "c.yaml"),
      });
      expect(s.report.diverged).toBe(0);
      expect(s.caseFile).toBeUndefined();
      expect(existsSync(join(dir, "c.yaml"))).toBe(false);
      expect(s.recommended).toBe("reference_only"); // 50 comparisons: below the 100 needed for any confidence
      expect(evidenceOf(store, s.nodeId).compared).toBe(s.report.compared);
    } finally {
      store.close();
    }
  }, 60_000);
});
