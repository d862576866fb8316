import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";
import { latestVersion } from "../../src/store/migrations.js";
import { TraceStore } from "../../src/store/store.js";

// A seed run recorded by an earlier version (test/fixtures/seeds/, see its README)
// must keep reading and verifying: a migration or a change of the chain's bytes
// that breaks old runs fails here. The fixture is copied first (opening a store to
// write may migrate it), so the committed file never changes.

const FIXTURE = join(ROOT, "test/fixtures/seeds/schema5-synthetic-run.db");

function copy(): string {
  const store = join(mkdtempSync(join(tmpdir(), "vesper-seed-fixture-")), "store.db");
  copyFileSync(FIXTURE, store);
  return store;
}

function expectAsRecorded(store: string): void {
  const verify = cli("veyra", ["seeds", "verify", "sr_fixture_schema5", "--store", store]);
  expect(verify.stdout).toBe("✓ seed run sr_fixture_schema5: 17 events, hash chain intact (finished)\n");
  expect(verify.status).toBe(0);
  const show = JSON.parse(cli("veyra", ["seeds", "show", "sr_fixture_schema5", "--json", "--store", store]).stdout);
  expect(show.run).toMatchObject({ status: "finished", epochs: 4, epochsDone: 4, eventCount: 17, baseline: true });
  expect(show.accuracy).toEqual({ final: 0.79, baseline: 0.73, gainPoints: 6 });
  expect(show.metrics).toMatchObject({
    steps: 80,
    nanSteps: 0,
    events: { command: 4, gate: 4, stage: 4, isolation: 4, run: 1 },
  });
  expect(show.seeds[0].stages.map((s: { stage: string }) => s.stage)).toEqual([
    "GERMINATED",
    "TRAINING",
    "GRAFTING",
    "STABILIZATION",
  ]);
  expect(show.checkpoint).toMatchObject({ epoch: 4 });
}

describe("a seed run recorded at schema 5", () => {
  it("reads and verifies as it was written, read-only", () => {
    expectAsRecorded(copy());
  });

  it("still does after this version's migrations run on it", () => {
    const store = copy();
    const s = TraceStore.open(store);
    expect(s.version).toBe(latestVersion());
    s.close();
    expectAsRecorded(store);
  });
});
