import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// docs/trace-store.md, "Garbage collection": a fork whose parent gc deletes "keeps its
// own rows and loses the link". The fork's seal covers its identity, parent included,
// so gc reseals it for the cleared link: a store gc'd as documented still verifies,
// and the fork still replays. A seal that did not hold before gc (a tampered fork) is
// not laundered: it is reported as before. With VEYRA_TRACE_KEY, a keyed fork is
// resealed only by a gc that holds the key.

const KEY = "gc test key";

function setUp(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "vesper-gc-fork-"));
  const store = join(dir, "store.db");
  const vesper = (args: string[], extra: Record<string, string> = {}) =>
    cli("vesper", [...args, "--store", store], { env: { ...env, ...extra }, cwd: dir });
  const rec = vesper(["run", join(ROOT, "examples/payment.vsp"), "--runtime", "reference", "--json"]);
  expect(rec.status).toBe(0);
  const parent = (JSON.parse(rec.stdout) as { traces: { id: string }[] }).traces[0]!.id;
  const fork = vesper(["replay", parent, "--json", "--commands", "goto 2; modify step 2 fee=5; run"]);
  expect(fork.status).toBe(0);
  const db = new Database(store);
  const forkId = db.prepare("SELECT id FROM traces WHERE parent_id = ?").pluck().get(parent) as string;
  // The parent was recorded ten days ago (its own seal no longer matters: gc deletes it).
  db.prepare("UPDATE traces SET started_at = started_at - 10 * 86400000 WHERE id = ?").run(parent);
  db.close();
  return { store, vesper, parent, forkId };
}

const verifyReport = (stdout: string, id: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { trace: string; problems: { kind: string }[] })
    .find((r) => r.trace === id)!;

describe("gc of a fork's parent", () => {
  it("leaves the fork unlinked, verifying and replayable", () => {
    const { store, vesper, parent, forkId } = setUp();
    const gc = vesper(["traces", "gc", "--keep-days", "1", "--json"]);
    expect(gc.status).toBe(0);
    expect(JSON.parse(gc.stdout)).toMatchObject({ deleted_traces: 1 });
    const db = new Database(store, { readonly: true });
    expect(db.prepare("SELECT parent_id, fork_step FROM traces WHERE id = ?").get(forkId)).toEqual({
      parent_id: null,
      fork_step: 2,
    });
    expect(db.prepare("SELECT COUNT(*) FROM traces WHERE id = ?").pluck().get(parent)).toBe(0);
    db.close();
    const verify = vesper(["traces", "verify", "--json"]);
    expect(verifyReport(verify.stdout, forkId).problems).toEqual([]);
    expect(verify.status).toBe(0);
    const replay = vesper(["replay", forkId, "--commands", "continue"]);
    expect(replay.status).toBe(0);
    expect(replay.stdout).toContain("identical to the recording");
  });

  it("does not launder a fork that was tampered with before gc", () => {
    const { store, vesper, forkId } = setUp();
    const db = new Database(store);
    db.prepare("UPDATE traces SET seed = '99' WHERE id = ?").run(forkId);
    db.close();
    vesper(["traces", "gc", "--keep-days", "1"]);
    const verify = vesper(["traces", "verify", "--json"]);
    expect(verify.status).toBe(1);
    expect(verifyReport(verify.stdout, forkId).problems.map((p) => p.kind)).toContain("identity-edited");
  });

  it("reseals a keyed fork with the key, and verifies with it", () => {
    const { vesper, forkId } = setUp({ VEYRA_TRACE_KEY: KEY });
    expect(vesper(["traces", "gc", "--keep-days", "1"]).status).toBe(0);
    const verify = vesper(["traces", "verify", "--json"]);
    expect(verifyReport(verify.stdout, forkId)).toMatchObject({ problems: [], seal: "keyed" });
    expect(verify.status).toBe(0);
  });
});
