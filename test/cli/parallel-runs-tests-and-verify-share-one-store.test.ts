import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { freshStore, vesperOn } from "../helpers/store-faults.js";

// Many `vesper run` processes recording into one store at once, beside a `vesper test`,
// a `traces verify` and a `traces gc`: every process succeeds without SQLITE_BUSY or any
// other error reaching the user, every run's traces are in the store, and the store
// verifies afterwards.

function vesper(store: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/vesper.js"), ...args, "--store", store], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("one store, many processes at once", () => {
  it("6 runs, a differential test, verify and gc all succeed; every run's traces are there and verify", async () => {
    const store = freshStore();
    expect(vesperOn(store, ["run", "examples/payment.vsp"]).status).toBe(0);
    const runs = Array.from({ length: 6 }, () => vesper(store, ["run", "examples/payment.vsp", "--json"]));
    const others = [
      vesper(store, ["test", "examples/order_total.vsp", "--runs", "50"]),
      vesper(store, ["traces", "verify"]),
      // Keeps the last day (all of these), so its work and locking overlap the runs without deleting their traces.
      vesper(store, ["traces", "gc", "--keep-days", "1"]),
    ];
    const results = await Promise.all([...runs, ...others]);
    for (const r of results) {
      expect(r.stderr).not.toMatch(/SQLITE_|locked|internal error|at .*\.js:\d+/);
      expect(r.status).toBe(0);
    }
    const recorded = (await Promise.all(runs)).flatMap((r) =>
      (JSON.parse(r.stdout) as { traces: { id: string }[] }).traces.map((t) => t.id),
    );
    expect(recorded.length).toBeGreaterThanOrEqual(6);
    const listed = vesperOn(store, ["traces", "list", "--json", "--limit", "1000"]).stdout;
    for (const id of recorded) expect(listed).toContain(id);
    const verify = vesperOn(store, ["traces", "verify"]);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(/✓ \d+ of \d+ traces verify/);
  });
});
