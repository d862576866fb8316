import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";
import { openTelemetrySink } from "../../src/seeds/telemetry-sink.js";
import { latestVersion } from "../../src/store/migrations.js";
import { TraceStore } from "../../src/store/store.js";
import { writeRun } from "../fixtures/synthetic-seed-run.mjs";

// Migration 005 adds the seed tables. A store recorded before it (the schema-2
// fixtures in test/fixtures/traces/, copied first: the committed files never
// change) reads as a store with no seed runs while it is only read, is upgraded by
// the first writer, then holds a seed run beside its traces, and every old trace
// still verifies.

const DIR = join(ROOT, "test/fixtures/traces");
const OLD = readdirSync(DIR).filter((f) => /^schema\d+-.*\.db$/.test(f));

describe("stores from before the seed tables", () => {
  it("there are old fixtures to try", () => {
    expect(OLD.length).toBeGreaterThan(0);
  });

  for (const file of OLD) {
    it(`${file}: reads as having no seed runs, upgrades on the first write, and its traces still verify`, () => {
      const store = join(mkdtempSync(join(tmpdir(), "vesper-seed-upgrade-")), file);
      copyFileSync(join(DIR, file), store);
      const before = readFileSync(store);

      const list = cli("veyra", ["seeds", "list", "--store", store]);
      expect(list.stderr).toBe("");
      expect(list.status).toBe(0);
      expect(list.stdout).toBe("no seed runs recorded yet (veyra seeds run records one)\n");
      expect(cli("veyra", ["seeds", "show", "sr_x", "--store", store]).status).toBe(2);
      expect(readFileSync(store).equals(before)).toBe(true); // reading migrated nothing

      const s = TraceStore.open(store);
      expect(s.version).toBe(latestVersion());
      const sink = openTelemetrySink(s);
      writeRun(sink, "sr_after_upgrade", { epochs: 2 });
      sink.close();
      s.close();

      const verify = cli("veyra", ["seeds", "verify", "sr_after_upgrade", "--store", store]);
      expect(verify.stdout).toContain("hash chain intact (finished)");
      expect(verify.status).toBe(0);
      const traces = cli("vesper", ["traces", "verify", "--store", store]);
      expect(traces.stderr).toBe("");
      expect(traces.status).toBe(0);
    });
  }
});
