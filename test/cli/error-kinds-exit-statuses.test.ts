import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Each kind of error a user can cause, through the real program: its exit status,
// its one-line message, and no stack trace, with --debug too (a stack trace is only
// for Vesper's own bugs; test/unit/commands covers those and the kinds no CLI path
// reaches on purpose).

const STACK = /\n\s+at /;
const dir = mkdtempSync(join(tmpdir(), "vesper-kinds-"));

function both(args: string[]) {
  return [cli("vesper", args), cli("vesper", ["--debug", ...args])];
}

describe("vesper run: every kind of mistake has its exit status and no stack trace", () => {
  it("usage: a bad flag value exits 2 naming the flag", () => {
    for (const r of both(["run", "examples/payment.vsp", "--canary", "150"])) {
      expect([r.status, r.stderr]).toEqual([
        2,
        "vesper: error: --canary must be a percentage between 0 and 100, not '150'\n",
      ]);
    }
  });

  it("input: a value that does not fit its declared type exits 2 naming the input", () => {
    for (const r of both(["run", "examples/payment.vsp", "--input", "amount=lots"])) {
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^vesper: error: input 'amount' \(decimal\): expected a decimal number, got 'lots'\n$/);
    }
  });

  it("node: an invalid .vsp exits 2 with its diagnostics; nothing runs", () => {
    for (const r of both(["run", "examples/invalid/undeclared-state.vsp"])) {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/undeclared-state\.vsp:\d+:\d+: error V305/);
      expect(r.stderr).not.toMatch(STACK);
    }
  });

  it("store: a file that is not a trace store exits 2 and is left untouched; nothing runs", () => {
    const file = join(dir, "notes.db");
    writeFileSync(file, "not a database\n");
    for (const r of both(["run", "examples/payment.vsp", "--store", file])) {
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^vesper: error: .*notes\.db is not a usable trace store: it is not a SQLite database/);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
    expect(readFileSync(file, "utf8")).toBe("not a database\n");
  });

  it("runtime: a contract violation exits 3 with file:line:col and the contract", () => {
    for (const r of both([
      "run",
      "examples/payment.vsp",
      "--sample",
      "default",
      "--input",
      "amount=0",
      "--no-record",
    ])) {
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/^examples\/payment\.vsp:\d+:\d+: C004: input constraint failed: amount > 0\n$/);
    }
  });
});
