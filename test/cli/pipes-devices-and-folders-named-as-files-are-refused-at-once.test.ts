import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// A file the user names (--inputs @file, --input x=@file, VEYRA_CONFIG, the .vsp
// itself) that is a named pipe, a device, a folder or a symlink loop is refused at
// once with its reason and exit 2: never a hang on a FIFO nobody writes, never an
// endless read of /dev/zero, never a raw errno message or a stack trace.

const dir = mkdtempSync(join(tmpdir(), "vesper-not-files-"));
const fifo = join(dir, "pipe.json");
execFileSync("mkfifo", [fifo]);
const folder = join(dir, "folder.json");
mkdirSync(folder);
symlinkSync(join(dir, "loop-b"), join(dir, "loop-a"));
symlinkSync(join(dir, "loop-a"), join(dir, "loop-b"));
const order = join(ROOT, "examples/order_total.vsp");

/** A program that blocks on a FIFO is killed after `timeout` ms and shows as status null. */
function vesper(args: string[], env: Record<string, string | undefined> = {}, timeout = 20_000) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/vesper.js"), ...args], {
    cwd: dir,
    encoding: "utf8",
    timeout,
    env: { ...process.env, NO_COLOR: "1", VEYRA_STORE: join(dir, "store.db"), VEYRA_CONFIG: undefined, ...env },
  });
  return { status: r.status, stderr: r.stderr };
}

const refusedAtOnce = (r: { status: number | null; stderr: string }, message: string) => {
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(`vesper: error: ${message}\n`);
};

describe("--inputs @file and --input name=@file", () => {
  it("a FIFO, /dev/zero, a folder and a symlink loop are each refused with the reason", () => {
    refusedAtOnce(
      vesper(["run", order, "--inputs", `@${fifo}`]),
      `--inputs: cannot read ${fifo}: it is a named pipe (FIFO), not a regular file`,
    );
    refusedAtOnce(
      vesper(["run", order, "--input", "tax_rate=@/dev/zero"]),
      "--input tax_rate: cannot read /dev/zero: it is a device, not a regular file",
    );
    refusedAtOnce(vesper(["run", order, "--inputs", `@${folder}`]), `--inputs: cannot read ${folder}: it is a folder`);
    refusedAtOnce(
      vesper(["run", order, "--inputs", `@${join(dir, "loop-a")}`]),
      `--inputs: cannot read ${join(dir, "loop-a")}: too many levels of symbolic links (a loop?)`,
    );
  });
});

describe("VEYRA_CONFIG", () => {
  it("naming a FIFO or a device is a config error, for vesper and veyra", () => {
    const env = { VEYRA_STORE: undefined, XDG_STATE_HOME: join(dir, "state") };
    refusedAtOnce(
      vesper(["traces", "list"], { ...env, VEYRA_CONFIG: fifo }),
      `cannot read the config file ${fifo}: it is a named pipe (FIFO), not a regular file`,
    );
    const veyra = cli("veyra", ["seeds", "list"], { cwd: dir, env: { ...env, VEYRA_CONFIG: "/dev/zero" } });
    expect(veyra.status).toBe(2);
    expect(veyra.stderr).toBe(
      "veyra: error: cannot read the config file /dev/zero: it is a device, not a regular file\n",
    );
  });
});

// The .vsp file (src/ir/validate.ts validateFile) is read with readRegularFile too.
describe("the .vsp file itself", () => {
  it("a FIFO or /dev/zero given as the node is one V001 diagnostic, at once", () => {
    for (const file of [fifo, "/dev/zero"]) {
      const r = vesper(["validate", file], {}, 5_000);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        /error V001: cannot read the file: it is a (named pipe \(FIFO\)|device), not a regular file/,
      );
    }
  });
});
