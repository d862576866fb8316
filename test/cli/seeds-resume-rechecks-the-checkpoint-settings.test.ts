import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// docs/seeds.md "Checkpoints and resume": a checkpoint is data anyone can edit, so a
// restore re-checks it before taking anything. The checkpoint also carries the run's
// settings (a resume takes them, not the flags'); they are checked as a config file's
// would be, and a bad one is `the checkpoint cannot be resumed: …` (S107, exit 2) with
// nothing trained. Before, a batch_size edited to 0 made the resumed run loop forever
// on its first epoch, and other edits were taken as they stood.

let recorded = "";
let runId = "";
beforeAll(() => {
  recorded = join(mkdtempSync(join(tmpdir(), "vesper-seeds-resume-settings-")), "store.db");
  const r = cli("veyra", ["seeds", "run", "--dataset", "spirals", "--epochs", "2", "--store", recorded, "--json"]);
  expect(r.status).toBe(0);
  runId = JSON.parse(r.stdout.split("\n")[0]!).runId;
});

/** A copy of the recorded store whose checkpoint's settings `edit` changed. */
function edited(edit: (config: Record<string, unknown>) => void): string {
  const store = join(mkdtempSync(join(tmpdir(), "vesper-seeds-resume-settings-")), "store.db");
  copyFileSync(recorded, store);
  const db = new Database(store);
  try {
    const row = db.prepare("SELECT state FROM seed_checkpoints WHERE run_id = ?").get(runId) as { state: Buffer };
    const state = JSON.parse(row.state.toString("utf8"));
    edit(state.state.extra.phase.config);
    db.prepare("UPDATE seed_checkpoints SET state = ? WHERE run_id = ?").run(Buffer.from(JSON.stringify(state)), runId);
  } finally {
    db.close();
  }
  return store;
}

function resume(store: string) {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "bin/veyra.js"), "seeds", "run", "--resume", runId, "--store", store, "--json"],
    {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1", VEYRA_CONFIG: undefined },
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("veyra seeds run --resume re-checks the checkpoint's settings", () => {
  it("an honest checkpoint resumes (its settings pass their own check)", () => {
    const r = resume(
      edited((c) => {
        c.epochs = 3;
      }),
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").at(-1)!)).toMatchObject({
      type: "summary",
      status: "finished",
      epochs: 3,
    });
  });

  it.each([
    [
      "a batch size of 0 (an epoch that never ends)",
      (c: Record<string, unknown>) => {
        c.batchSize = 0;
      },
      "'batch_size' must be a whole number from 1 to 65536 (got 0)",
    ],
    [
      "epochs that are not a number",
      (c: Record<string, unknown>) => {
        c.epochs = "many";
      },
      `'epochs' must be a whole number from 1 to 10000 (got "many")`,
    ],
    [
      "a gate threshold removed",
      (c: Record<string, unknown>) => {
        delete (c.gates as Record<string, unknown>).g4MaxDrop;
      },
      "'gates.g4_max_drop' must be a number from 0 to 1 (got undefined)",
    ],
    [
      "a setting no run has",
      (c: Record<string, unknown>) => {
        c.turbo = true;
      },
      "unknown seeds setting 'turbo'",
    ],
    [
      "settings that are not a mapping",
      (c: Record<string, unknown>) => {
        c.lifecycle = [1];
      },
      "'lifecycle' is not a mapping of settings",
    ],
  ])("refuses %s: exit 2, named, nothing trained", (_what, edit, message) => {
    const r = resume(edited(edit));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`veyra: error: the checkpoint cannot be resumed: its settings: ${message}\n`);
    expect(r.stdout).toBe("");
  });
});
