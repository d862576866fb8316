import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// "Would my fix have saved it?" as a user asks it: a payment times out because the
// simulated charge takes 4000 ms against a 3000 ms step timeout; the user raises the
// timeout in the file and replays the trace. The replay says first that the file
// changed and that its results are the recorded ones; `rerun` answers the question
// in one line, counting steps as `vesper run` does. A --file of another node is refused.

const dir = mkdtempSync(join(tmpdir(), "vesper-replay-fix-"));
const store = join(dir, "store.db");
const file = join(dir, "payment.vsp");
const vesper = (args: string[]) => cli("vesper", [...args, "--store", store], { cwd: dir });
let id: string;

beforeAll(() => {
  copyFileSync(join(ROOT, "examples/payment.vsp"), file);
  const run = vesper(["run", file, "--runtime", "reference", "--sim", "sim.payments.charge:latency_ms=4000", "--json"]);
  expect(run.status).toBe(3);
  id = (JSON.parse(run.stdout) as { traces: { id: string }[] }).traces[0]!.id;
  writeFileSync(file, readFileSync(file, "utf8").replace("    timeout_ms: 3000\n", "    timeout_ms: 4500\n"));
});

describe("vesper replay after the node was fixed", () => {
  it("says first that the file changed, and rerun answers with the fork's outcome against the recorded one", () => {
    const r = vesper(["replay", id, "--commands", "continue; rerun"]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^WARNING: the node file changed since the recording \(sha256 [0-9a-f]{8} → [0-9a-f]{8}\)\.$/,
    );
    expect(lines[1]).toContain("The replay serves the recorded results");
    expect(r.stdout).toMatch(
      /^end of trace: runtime_error R208: .* — identical to the recording, whose results were served \(`rerun` runs the changed file\)$/m,
    );
    expect(r.stdout).toContain(
      "rerun against the current file: success in state paid, 7 steps; recorded: runtime_error R208 in state processing, 4 steps — a different outcome",
    );

    // The same count `vesper run` gives for the fixed file.
    const run = vesper([
      "run",
      file,
      "--runtime",
      "reference",
      "--sim",
      "sim.payments.charge:latency_ms=4000",
      "--no-record",
    ]);
    expect(run.stdout).toMatch(/^ {2}7 steps, final state paid/m);
  });

  it("an edit's fork counts its steps as vesper run does", () => {
    const r = vesper(["replay", id, "--commands", "modify step 4 timeout_ms=4600; run"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^fork tr_\w+ of tr_\w+ from step 4: success \(the original: runtime_error\), 7 steps$/m);
  });

  it("--json: the open event carries both content hashes, the rerun its result and the recorded one", () => {
    const r = vesper(["replay", id, "--json", "--commands", "rerun; diff"]);
    expect(r.status, r.stderr).toBe(0);
    const [open, rerun, diff] = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(open).toMatchObject({ command: "open", file_changed: true });
    expect(open.recorded_content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(open.content_hash).not.toBe(open.recorded_content_hash);
    expect(rerun).toMatchObject({
      command: "rerun",
      parent: id,
      file_changed: true,
      same_outcome: false,
      result: { status: "success", state: "paid" },
      recorded: { status: "runtime_error", state: "processing" },
    });
    expect(diff.outcome).toContainEqual({
      path: "status",
      expected: "runtime_error",
      actual: "success",
      reason: "the runs ended differently",
    });
  });

  it("diff renders outcome values with the value formatter, as step changes are", () => {
    const r = vesper(["replay", id, "--commands", "rerun; diff"]);
    expect(r.stdout).toContain("  status: runtime_error → success");
    expect(r.stdout).toMatch(/ {2}output: null → outputs\.success \{payment_id: "ch_\w+", charged: 93\.19, fee: 3\.2/);
    expect(r.stdout).not.toMatch(/"93\.19"|"3\.2"/);
  });

  it("a --file holding another node is refused with both node ids (exit 2)", () => {
    const r = vesper(["replay", id, "--file", join(ROOT, "examples/refund.vsp"), "--commands", "continue"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^vesper: error: trace tr_\w+ ran payments\.process_payment@1\.0\.0, but \S+refund\.vsp holds \S+@\S+; pass --file with a copy of payments\.process_payment@1\.0\.0\n$/,
    );
    expect(r.stdout).toBe("");
  });
});
