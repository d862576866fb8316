import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Confidence is evidence about one version of a node (its content hash). After the
// file changes, `vesper test` starts from zero for the new version instead of
// reporting the old version's confidence; a run that compared nothing says so and
// exits 1 rather than passing.

describe("vesper test: evidence belongs to a version of the node", () => {
  const dir = mkdtempSync(join(tmpdir(), "vesper-evidence-"));
  const file = join(dir, "payment.vsp");
  const store = join(dir, "store.db");
  copyFileSync("examples/payment.vsp", file);
  const test = (...args: string[]) =>
    cli("vesper", ["test", file, "--seed", "7", "--store", store, "--json", "--min-samples", "50", ...args]);

  it("an edited file starts from zero, and a test that compared nothing exits 1 saying so", () => {
    const first = test("--runs", "300");
    expect(first.status, first.stderr).toBe(0);
    const before = JSON.parse(first.stdout);
    expect(before.comparisons_in_store).toBeGreaterThan(50);
    expect(before.confidence).toBeGreaterThan(0.9);

    // The edit makes every generated input fail a precondition: nothing can be compared.
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace("  preconditions:\n", '  preconditions:\n    - "amount < 0"\n'));
    const second = test("--runs", "100");
    expect(second.status).toBe(1);
    const after = JSON.parse(second.stdout);
    expect(after).toMatchObject({
      compared: 0,
      comparisons_in_store: 0,
      confidence: 0,
      recommended_mode: "reference_only",
    });
    expect(second.stderr).toContain("vesper test: nothing was compared: all 100 generated inputs were discarded");

    // The old version's evidence is still there for the old file.
    writeFileSync(file, text);
    const again = test("--runs", "10");
    expect(JSON.parse(again.stdout).comparisons_in_store).toBe(before.comparisons_in_store + 10);
  });
});
