import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { freshStore, recordPaymentRun, vesperOn } from "../helpers/store-faults.js";

// Files and paths that cannot hold a store: each is a store error (exit 2) naming
// the path, nothing is written, and nothing spins. A store with a damaged page is
// refused by everything that would write it; a store the user may only read can
// still be read.

const noInternalError = (r: { stderr: string }) => {
  expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
};

describe("a store with a damaged page", () => {
  it("is refused untouched by run, gc and verify; list does not crash", () => {
    const store = freshStore();
    for (let i = 0; i < 3; i++) recordPaymentRun(store);
    const db = new Database(store, { readonly: true });
    // A leaf page of the steps table: the header and the schema stay readable.
    const page = db
      .prepare("SELECT pageno FROM dbstat WHERE name = 'steps' AND pagetype = 'leaf' LIMIT 1")
      .pluck()
      .get() as number;
    db.close();
    const bytes = readFileSync(store);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0x7f, (page - 1) * pageSize, page * pageSize);
    writeFileSync(store, bytes);
    const before = readFileSync(store);
    for (const args of [
      ["run", "examples/payment.vsp"],
      ["traces", "gc", "--keep-days", "0"],
      ["traces", "verify"],
    ]) {
      const r = vesperOn(store, args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/is not a usable trace store: it fails SQLite's quick check .*; it was left untouched/);
      noInternalError(r);
      expect(readFileSync(store).equals(before)).toBe(true);
    }
    const list = vesperOn(store, ["traces", "list"]);
    expect([0, 2]).toContain(list.status);
    noInternalError(list);
  });
});

describe("store paths that cannot work", () => {
  it("a path under a regular file is a store error naming it, for writers and readers", () => {
    const file = join(dirname(freshStore()), "notes.txt");
    writeFileSync(file, "not a directory\n");
    const store = join(file, "traces", "store.db");
    for (const args of [
      ["run", "examples/payment.vsp"],
      ["traces", "list"],
    ]) {
      const r = vesperOn(store, args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${file} is a file, not a directory`);
      noInternalError(r);
    }
  });

  it("a directory given as the store is a store error", () => {
    const dir = dirname(freshStore());
    const r = vesperOn(dir, ["run", "examples/payment.vsp"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`cannot use the trace store ${dir}: it is a directory`);
  });

  it("under /proc: one clear error, at once, never a loop (also from the default path with /proc as the working directory)", () => {
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, "bin/vesper.js"),
        "run",
        join(ROOT, "examples/payment.vsp"),
        "--store",
        "/proc/vesper/traces/store.db",
      ],
      { encoding: "utf8", timeout: 20_000 },
    );
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot create the trace store \/proc\/vesper\/traces\/store\.db: /);
    // From /proc no project is found, so the default is the per-user store: put that under /proc too.
    const env = {
      ...process.env,
      VEYRA_STORE: undefined,
      VEYRA_CONFIG: undefined,
      XDG_STATE_HOME: "/proc/vesper-state",
    };
    const fromProc = spawnSync(
      process.execPath,
      [join(ROOT, "bin/vesper.js"), "run", join(ROOT, "examples/payment.vsp")],
      {
        cwd: "/proc",
        encoding: "utf8",
        timeout: 20_000,
        env,
      },
    );
    expect(fromProc.signal).toBeNull();
    expect(fromProc.status).toBe(2);
    expect(fromProc.stderr).toMatch(/trace store/);
    noInternalError(fromProc);
  });

  it("missing directories above a new store are created; an existing empty file is a new store for a writer", () => {
    const base = dirname(freshStore());
    const deep = join(base, "a", "b", "c", "store.db");
    expect(vesperOn(deep, ["run", "examples/payment.vsp"]).status).toBe(0);
    expect(statSync(deep).size).toBeGreaterThan(0);
    const empty = join(base, "empty.db");
    writeFileSync(empty, "");
    // A reader leaves it as it is; a writer makes it a store.
    expect(vesperOn(empty, ["traces", "list"]).status).toBe(2);
    expect(statSync(empty).size).toBe(0);
    expect(vesperOn(empty, ["run", "examples/payment.vsp"]).status).toBe(0);
    expect(vesperOn(empty, ["traces", "list", "--json"]).stdout.trim().split("\n")).toHaveLength(2);
  });
});

// Permissions mean nothing to root: as root, these run the CLI as nobody (setpriv).
const asRoot = process.getuid?.() === 0;
const hasSetpriv = !asRoot || existsSync("/usr/bin/setpriv");

function runAs(store: string, args: string[]) {
  const argv = [join(ROOT, "bin/vesper.js"), ...args, "--store", store];
  // A temp folder nobody may write, inside the test's scratch folder (removed with it).
  const tmp = join(dirname(dirname(store)), "tmp-for-nobody");
  mkdirSync(tmp, { recursive: true });
  chmodSync(tmp, 0o1777);
  const r = asRoot
    ? spawnSync("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, ...argv], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, VEYRA_STORE: undefined, TMPDIR: tmp },
      })
    : spawnSync(process.execPath, argv, { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Lets another user reach `path` through every folder above it (the test's temp folders are 0700). */
function reachable(path: string): void {
  for (let d = dirname(path); d !== dirname(d); d = dirname(d)) {
    const mode = statSync(d).mode & 0o777;
    if ((mode & 0o005) !== 0o005) chmodSync(d, mode | 0o005);
  }
}

describe.runIf(hasSetpriv)("read-only stores", () => {
  it("a read-only file in a read-only directory can be listed, shown, verified and exported, not written", () => {
    const store = freshStore();
    const id = recordPaymentRun(store);
    const dir = dirname(store);
    chmodSync(store, 0o444);
    chmodSync(dir, 0o555);
    reachable(store);
    try {
      expect(existsSync(`${store}-shm`)).toBe(false);
      const list = runAs(store, ["traces", "list", "--json"]);
      expect(list.stderr).toBe("");
      expect(list.status).toBe(0);
      expect(list.stdout).toContain(id);
      expect(runAs(store, ["traces", "show", id]).status).toBe(0);
      const verify = runAs(store, ["traces", "verify"]);
      expect(verify.stdout).toMatch(/✓ 1 of 1 traces verify/);
      expect(runAs(store, ["traces", "export", id]).status).toBe(0);
      const run = runAs(store, ["run", "examples/payment.vsp"]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`the trace store ${store} is read-only (its file is not writable)`);
      const gc = runAs(store, ["traces", "gc", "--keep-days", "0"]);
      expect(gc.status).toBe(2);
      noInternalError(gc);
    } finally {
      chmodSync(dir, 0o755);
      chmodSync(store, 0o644);
    }
  });

  it("a new store in a directory the user cannot write is a store error naming the directory", () => {
    const dir = join(dirname(freshStore()), "locked");
    mkdirSync(dir, { mode: 0o555 });
    chmodSync(dir, 0o555);
    reachable(join(dir, "x"));
    try {
      const r = runAs(join(dir, "sub", "store.db"), ["run", "examples/payment.vsp"]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`the directory ${dir} is not writable`);
      noInternalError(r);
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});
