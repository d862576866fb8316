import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// `veyra seeds run --resume RUN` names the run as every other seeds verb does (list,
// show, verify, watch): its id or a prefix of exactly one. Before, a prefix — the
// way `veyra seeds list` output invites a newcomer to type it — was looked up as a
// whole id and refused with "run 'sr_…' has no checkpoint to resume from", a
// message that was false (the run had one); an unknown run got the same message
// instead of the store's "no seed run …" (S106); and a missing --store file was
// created empty before being refused.

let store = "";
let runId = "";
beforeAll(() => {
  store = join(mkdtempSync(join(tmpdir(), "vesper-seeds-resume-prefix-")), "store.db");
  const r = cli("veyra", ["seeds", "run", "--dataset", "spirals", "--epochs", "2", "--store", store, "--json"]);
  expect(r.status).toBe(0);
  runId = JSON.parse(r.stdout.split("\n")[0]!).runId;
});

describe("veyra seeds run --resume RUN", () => {
  it("takes a unique prefix of the run id and continues that run", () => {
    const r = cli("veyra", ["seeds", "run", "--resume", runId.slice(0, 8), "--store", store, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "start", runId, resumedFrom: 2 });
    expect(lines.at(-1)).toMatchObject({ type: "summary", runId, status: "finished" });
  });

  it("refuses an unknown run as the other seeds verbs do (S106, exit 2), naming it", () => {
    const r = cli("veyra", ["seeds", "run", "--resume", "sr_nope", "--store", store, "--json"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `veyra: error: no seed run sr_nope in the trace store ${store} (veyra seeds list shows the runs there)\n`,
    );
  });

  it("does not create a store that does not exist to look for the run in", () => {
    const missing = join(mkdtempSync(join(tmpdir(), "vesper-seeds-resume-prefix-")), "none.db");
    const r = cli("veyra", ["seeds", "run", "--resume", runId, "--store", missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no trace store at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });
});
