import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, cli } from "../helpers/cli.js";

// `vesper debug --trace <id>`: both runtimes re-execute against a recorded run's
// inputs and tool results (each on its own context serving the recorded tape).

const store = join(mkdtempSync(join(tmpdir(), "vesper-debug-trace-")), "vesper.db");
const env = { VEYRA_STORE: store };
const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, any>);

function recordPayment(args: string[] = []): { id: string; output: any } {
  const r = cli("vesper", ["run", "examples/payment.vsp", "--json", "--seed", "11", ...args], { env });
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout);
  return { id: report.traces.find((t: any) => t.runtime === "reference").id, output: report.output };
}

describe("debugging a recorded run", () => {
  it("re-executes both runtimes on the recorded inputs and tool results", () => {
    const recorded = recordPayment(["--input", "amount=250.00", "--sample", "default"]);
    const r = cli("vesper", ["debug", "--trace", recorded.id, "--json", "--commands", "continue"], { env });
    expect(r.status, r.stderr).toBe(0);
    const events = lines(r.stdout);
    expect(events[0]).toMatchObject({
      event: "session",
      trace: recorded.id,
      file: expect.stringContaining("payment.vsp"),
      inputs: { amount: "250.00", currency: "USD" },
    });
    const end = events.at(-1)!;
    expect(end).toMatchObject({ event: "end", diverged: false, finished: true });
    // The charge id came from the recording, not from a new call.
    expect(end.reference.output).toEqual(recorded.output);
    expect(end.direct.output).toEqual(recorded.output);
  });

  it("takes a unique prefix of the trace id, and the file may be given", () => {
    const recorded = recordPayment();
    const r = cli(
      "vesper",
      ["debug", "examples/payment.vsp", "--trace", recorded.id.slice(0, 10), "--no-record", "--commands", "continue"],
      { env },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`replaying trace ${recorded.id}`);
    expect(r.stdout).toContain("the runtimes agree at every step");
  });

  it("finds a direct-runtime bug in a run recorded before it was introduced", () => {
    const recorded = recordPayment(["--input", "amount=99.95", "--sample", "default"]);
    const w = spawnSync(
      process.execPath,
      [
        join(ROOT, "test/fixtures/vesper-wrong-op.mjs"),
        "debug",
        "--trace",
        recorded.id,
        "--json",
        "--commands",
        "continue",
      ],
      {
        cwd: ROOT,
        encoding: "utf8",
        input: "",
        env: { ...process.env, ...env, VESPER_WRONG_OP: "round" },
      },
    );
    expect(w.status, w.stderr).toBe(4);
    const stop = lines(w.stdout).find((e) => e.event === "stop")!;
    expect(stop.reference.at.step).toBe("compute_fee");
    expect(stop.diffs[0]).toMatchObject({ path: "fee", reference: "3.2", direct: "3.19" });
  });

  it("refuses inputs with --trace, and unknown traces, as usage errors", () => {
    const recorded = recordPayment();
    const withInput = cli("vesper", ["debug", "--trace", recorded.id, "--input", "amount=1"], { env });
    expect(withInput.status).toBe(2);
    expect(withInput.stderr).toContain("--input cannot be combined with --trace");
    const unknown = cli("vesper", ["debug", "--trace", "tr_ffffffffffffffff"], { env });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no trace 'tr_ffffffffffffffff'/);
    const other = cli("vesper", ["debug", "examples/refund.vsp", "--trace", recorded.id], { env });
    expect(other.status).toBe(2);
    expect(other.stderr).toContain("ran payments.process_payment@1.0.0");
  });
});
