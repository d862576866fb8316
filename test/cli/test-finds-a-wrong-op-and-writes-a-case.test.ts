import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ROOT, cli } from "../helpers/cli.js";

// The test fixture test/fixtures/vesper-wrong-op.mjs is the real vesper CLI with
// the direct runtime's ROUND truncating (VESPER_WRONG_OP=round). vesper test must
// find the divergence, shrink it, write a case file, and the case must reproduce
// through vesper run and vesper debug --comparative.
const dir = mkdtempSync(join(tmpdir(), "vesper-wrong-op-"));
const store = join(dir, "vesper.db");

function wrong(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "test/fixtures/vesper-wrong-op.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input: "",
    env: { ...process.env, NO_COLOR: "1", VEYRA_STORE: store, VESPER_WRONG_OP: "round" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("vesper test with a deliberately wrong ROUND in the direct runtime", () => {
  const casePath = join(dir, "payment-case.yaml");
  const run = wrong(["test", "examples/payment.vsp", "--runs", "400", "--seed", "5", "--case", casePath, "--json"]);
  const summary = JSON.parse(run.stdout);

  it("exits 4 and counts the divergences", () => {
    expect(run.status).toBe(4);
    expect(summary.diverged).toBeGreaterThan(0);
    expect(summary.agreed + summary.diverged).toBe(summary.compared);
  });

  it("shrinks the first divergence to a smaller input set", () => {
    expect(summary.shrunk.size).toBeLessThan(summary.first_divergence.size);
    expect(summary.shrunk.diffs[0]).toMatchObject({ path: "status", expected: "success", actual: "runtime_error" });
    // The shrunk amount still has a fee whose third decimal rounds up.
    const amount = Number(summary.shrunk.inputs.amount);
    const thousandths = Math.round((amount * 0.029 + 0.3) * 1e5) % 1000;
    expect(thousandths).toBeGreaterThanOrEqual(500);
  });

  it("writes the case file, and records the divergences in the store", () => {
    expect(summary.case_file).toBe(casePath);
    const text = readFileSync(casePath, "utf8");
    expect(text).toMatch(/^amount: [0-9.]+$/m);
    expect(text).toContain(`--seed ${summary.shrunk.context_seed}`);
    const db = new Database(store, { readonly: true });
    const n = (
      db
        .prepare(
          "SELECT COUNT(*) AS n FROM divergences WHERE node_id = 'payments.process_payment@1.0.0' AND source = 'test'",
        )
        .get() as { n: number }
    ).n;
    db.close();
    expect(n).toBe(summary.diverged);
  });

  it("the case reproduces through vesper run in dual_verify", () => {
    const r = wrong([
      "run",
      "examples/payment.vsp",
      "--inputs",
      `@${casePath}`,
      "--seed",
      String(summary.shrunk.context_seed),
      "--mode",
      "dual_verify",
      "--json",
    ]);
    expect(JSON.parse(r.stdout).divergence).not.toBeNull();
    // And with the correct runtimes it does not diverge.
    const ok = cli(
      "vesper",
      ["run", "examples/payment.vsp", "--inputs", `@${casePath}`, "--mode", "dual_verify", "--json"],
      { env: { VEYRA_STORE: store } },
    );
    expect(JSON.parse(ok.stdout).divergence).toBeNull();
  });

  it("the case reproduces through vesper debug --comparative with exit 4", () => {
    const r = wrong([
      "debug",
      "--comparative",
      "examples/payment.vsp",
      "--inputs",
      `@${casePath}`,
      "--seed",
      String(summary.shrunk.context_seed),
    ]);
    expect(r.stdout).toContain("THE RUNTIMES DIVERGED");
    expect(r.status).toBe(4);
  });

  it("without --case the file goes to regressions/ in the working directory", () => {
    const cwd = mkdtempSync(join(tmpdir(), "vesper-cwd-"));
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, "test/fixtures/vesper-wrong-op.mjs"),
        "test",
        join(ROOT, "examples/payment.vsp"),
        "--runs",
        "200",
        "--seed",
        "5",
        "--json",
      ],
      {
        cwd,
        encoding: "utf8",
        input: "",
        env: { ...process.env, VEYRA_STORE: store, VESPER_WRONG_OP: "round" },
      },
    );
    const s = JSON.parse(r.stdout);
    expect(s.case_file).toMatch(
      new RegExp(
        `^${cwd.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/regressions/payments\\.process_payment@1\\.0\\.0-[0-9a-f]{16}\\.yaml$`,
      ),
    );
    expect(existsSync(s.case_file)).toBe(true);
  });
});
