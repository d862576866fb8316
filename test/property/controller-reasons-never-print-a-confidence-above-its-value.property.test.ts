import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fmt } from "../../src/verify/controller.js";
import { wilsonLowerBound } from "../../src/verify/wilson.js";
import { cli } from "../helpers/cli.js";

// The controller's reasons print a confidence with six decimals. Rounded, a node one
// comparison short of a threshold read "confidence 0.999000 over 10813 comparisons
// reached the canary_direct threshold 0.95": the threshold it had not reached. The
// printed value is never above the real one, and within a millionth of it.

const PAYMENT = "payments.process_payment@1.0.0";

describe("confidence in the controller's reasons", () => {
  it("is never printed above its value, and is at most a millionth below it", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (c) => {
        const printed = Number(fmt(c));
        expect(fmt(c)).toMatch(/^[01]\.\d{6}$/);
        expect(printed).toBeLessThanOrEqual(c);
        expect(c - printed).toBeLessThan(1e-6 + 1e-12);
      }),
      { numRuns: 2000 },
    );
    // Every all-agreeing count near the thresholds, as the controller computes it.
    for (const n of [205, 206, 10_813, 10_814, 108_230, 108_231]) {
      const c = wilsonLowerBound(n, n);
      expect(Number(fmt(c))).toBeLessThanOrEqual(c);
    }
  });

  it("vesper mode --auto one comparison short of dual_verify says 0.998999, not 0.999000", () => {
    for (const [n, text] of [
      [10_813, "confidence 0.998999 over 10813 comparisons reached the canary_direct threshold 0.95"],
      [10_814, "confidence 0.999000 over 10814 comparisons reached the dual_verify threshold 0.999"],
      [108_230, "confidence 0.999899 over 108230 comparisons reached the dual_verify threshold 0.999"],
    ] as const) {
      const store = join(mkdtempSync(join(tmpdir(), "vesper-reason-")), "vesper.db");
      const env = { VEYRA_STORE: store };
      cli("vesper", ["run", "examples/payment.vsp", "--mode", "reference_only"], { env });
      const db = new Database(store);
      const { content_hash } = db.prepare("SELECT content_hash FROM traces").get() as { content_hash: string };
      db.prepare(
        "INSERT INTO comparisons (node_id, content_hash, source, compared, agreed, first_at, last_at) VALUES (?, ?, 'test', ?, ?, 1, 1)",
      ).run(PAYMENT, content_hash, n, n);
      db.close();
      const r = cli("vesper", ["mode", PAYMENT, "--auto"], { env });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(text);
    }
  });
});
