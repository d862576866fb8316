import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { freshStore, recordPaymentRun, vesperOn } from "../helpers/store-faults.js";

// A disk that cannot take more (simulated with a file-size limit, `ulimit -f`, on the
// child: SQLite then gets EFBIG, as on a full disk) is a store error, exit 2, that
// says what to check — never "internal error" — whether it strikes when the store
// opens (its shared-memory file) or in the middle of recording a run. Every trace
// committed before is kept and still verifies.

/** `vesper run` with the file-size limit set to `kib` KiB for it alone. */
function runLimited(store: string, kib: number) {
  const r = spawnSync(
    "/bin/sh",
    [
      "-c",
      `ulimit -f ${kib} && exec "$0" "$@"`,
      process.execPath,
      join(ROOT, "bin/vesper.js"),
      "run",
      "examples/payment.vsp",
      "--store",
      store,
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
  );
  return { status: r.status, stderr: r.stderr };
}

describe("a full disk under vesper run", () => {
  it.each([
    ["when the store opens", 8, "SQLITE_IOERR_SHMSIZE"],
    ["while the run is recorded", 100, "SQLITE_IOERR_WRITE"],
  ])("%s: exit 2 naming the store and the likely cause; what was recorded before verifies", (_when, kib, code) => {
    const store = freshStore();
    const before = recordPaymentRun(store);
    const r = runLimited(store, kib);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `vesper: error: cannot use the trace store ${store}: SQLite could not write its files (${code}): is the disk full, or a file-size limit (ulimit -f) reached? What was committed before is kept; free space and try again\n`,
    );
    const verify = vesperOn(store, ["traces", "verify"]);
    expect(verify.status).toBe(0);
    expect(vesperOn(store, ["traces", "show", before]).status).toBe(0);
    // Without the limit the same store records again.
    expect(vesperOn(store, ["run", "examples/payment.vsp"]).status).toBe(0);
  });
});
