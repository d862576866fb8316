import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

// `npm start` without a terminal (CI, a pipe) runs the headless tour on the bundled
// examples: every step exits as it says it will, the tour ends with its summary, and
// it leaves no temporary folder behind (it once left one per run, holding the AST it
// compiled). The store is a scratch one, given through VEYRA_STORE.

describe("npm start without a terminal", () => {
  it("runs the whole tour and leaves its temporary folder empty", () => {
    const scratch = mkdtempSync(join(tmpdir(), "vesper-tour-test-"));
    const temp = join(scratch, "tmp");
    mkdirSync(temp);
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/start.mjs")], {
      cwd: ROOT,
      encoding: "utf8",
      input: "",
      env: { ...process.env, TMPDIR: temp, VEYRA_STORE: join(scratch, "store.db"), NO_COLOR: "1" },
    });
    expect(r.stderr).not.toMatch(/Error|error:/);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain("(expected exit status");
    expect(r.stdout).toContain("Tour complete.");
    expect(readdirSync(temp)).toEqual([]);
  }, 120_000);
});
