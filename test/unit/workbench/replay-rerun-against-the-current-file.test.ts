import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getTrace } from "../../../src/trace/reader.js";
import { isCommandMistake } from "../../../src/values/errors.js";
import { openReplay } from "../../../src/workbench/replay.js";
import { ROOT } from "../../helpers/cli.js";
import { type RecordedPayment, recordPayment } from "../../helpers/recorded-payment.js";

// "Would my fix have saved it?" through the typed API: a payment whose simulated
// charge (4000 ms) outlasts the step's 3000 ms timeout is recorded; the file is then
// fixed (timeout 4500 ms). A replay still serves the recorded results (identical, and
// it says the file changed); rerun forks the trace against the current file and the
// charge succeeds. On an unchanged file a rerun reproduces the recording exactly.

let rec: RecordedPayment;

afterEach(() => rec.store.close());

const raiseTimeout = (file: string) =>
  writeFileSync(file, readFileSync(file, "utf8").replace("    timeout_ms: 3000\n", "    timeout_ms: 4500\n"));

describe("rerun: the trace against the node file as it is now", () => {
  it("after the timeout is raised, the replay is still the recording, and the rerun succeeds", async () => {
    rec = await recordPayment({ chargeLatencyMs: 4000 });
    raiseTimeout(rec.file);
    const replay = openReplay(rec.store, rec.traceId);
    expect(replay.fileChanged).toBe(true);
    expect(replay.contentHash).not.toBe(replay.trace.content_hash);

    // Recorded results are served: the replay shows what happened.
    const end = (await replay.continue()).end!;
    expect(end).toMatchObject({ identical: true, result: { status: "runtime_error" } });

    const rerun = await replay.rerun();
    expect(rerun.sameOutcome).toBe(false);
    expect(rerun.recorded).toMatchObject({ status: "runtime_error", failure: { code: "R208" } });
    expect(rerun.fork.result).toMatchObject({ status: "success", state: "paid", steps: 7 });
    expect(rerun.fork.againstChangedFile).toBe(true);
    expect(rerun.fork.trace).toMatchObject({ parent_id: rec.traceId, fork_step: 0, role: "fork", status: "success" });
    expect(getTrace(rec.store, rec.traceId)).toMatchObject({ status: "runtime_error" });

    // diff compares the rerun with the recording; no input was edited.
    const diff = replay.diff();
    expect(diff.inputs).toEqual([]);
    expect(diff.outcome).toContainEqual(
      expect.objectContaining({ path: "status", expected: "runtime_error", actual: "success" }),
    );
    expect(diff.steps).toContainEqual(expect.objectContaining({ index: 4, what: "call sim.payments.charge" }));

    // The rerun is a trace of the current text: replaying it reproduces it, with no warning.
    const again = openReplay(rec.store, rerun.fork.trace.id);
    expect(again.fileChanged).toBe(false);
    expect((await again.continue()).end).toMatchObject({ identical: true, result: { status: "success" } });
  });

  for (const latency of [undefined, 4000]) {
    it(`on an unchanged file reproduces the recording exactly (charge latency ${latency ?? "default"})`, async () => {
      rec = await recordPayment({ chargeLatencyMs: latency });
      const replay = openReplay(rec.store, rec.traceId);
      expect(replay.fileChanged).toBe(false);
      const rerun = await replay.rerun();
      expect(rerun.sameOutcome).toBe(true);
      expect(rerun.fork.result.steps).toBe(rec.result.steps);
      const diff = replay.diff();
      expect(diff.steps).toEqual([]);
      expect(diff.outcome).toEqual([]);
    });
  }

  it("a changed file makes an edit's fork run the changed file's calls again too", async () => {
    rec = await recordPayment({ chargeLatencyMs: 4000 });
    raiseTimeout(rec.file);
    const replay = openReplay(rec.store, rec.traceId);
    // An edit that leaves the charge's arguments as they were: without the changed file the
    // recorded TIMEOUT would be served again.
    replay.editStep(2, "credit_used", "MIN(customer.balance, amount) + 0");
    const fork = await replay.fork();
    expect(fork.result).toMatchObject({ status: "success" });
  });

  it("a --file holding another node is refused, naming both node ids", async () => {
    rec = await recordPayment();
    let thrown: unknown;
    try {
      openReplay(rec.store, rec.traceId, { file: join(ROOT, "examples/refund.vsp") });
    } catch (e) {
      thrown = e;
    }
    expect(isCommandMistake(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(
      /^trace tr_\w+ ran payments\.process_payment@1\.0\.0, but .*refund\.vsp holds \S+; pass --file with a copy of payments\.process_payment@1\.0\.0$/,
    );
  });
});
