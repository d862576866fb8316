import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { getTrace } from "../../../src/trace/reader.js";
import { openReplay } from "../../../src/workbench/replay.js";
import { type RecordedPayment, recordPayment } from "../../helpers/recorded-payment.js";

// The replay use case end to end through its typed API, with no command strings: a
// payment whose simulated charge (4000 ms) outlasts the step's 3000 ms timeout is
// replayed, the timeout is edited to 4500 ms, the fork succeeds as a new trace whose
// parent is the original, the diff says what changed, and apply writes exactly that
// one value into (a temp copy of) the .vsp file.

let rec: RecordedPayment;

afterEach(() => rec.store.close());

describe("replay edit → fork → diff → apply through the typed API", () => {
  it("a longer timeout lets the slow charge succeed, and only that value changes in the file", async () => {
    rec = await recordPayment({ chargeLatencyMs: 4000 });
    expect(rec.result.status).toBe("runtime_error");
    const original = readFileSync(rec.file);
    const replay = openReplay(rec.store, rec.traceId);

    // The recording reproduces, and its one call timed out three times.
    const run = await replay.continue();
    expect(run.done).toBe(true);
    expect(run.end).toMatchObject({ identical: true, result: { status: "runtime_error" } });
    expect(replay.mismatches).toEqual([]);
    expect(replay.calls()).toMatchObject([
      { index: 4, step: "charge_card", made: true, effect: { ok: false, attempts: 3, error: { code: "TIMEOUT" } } },
    ]);

    // Edit: validated at once, listed in order.
    const edit = replay.editStep(4, "timeout_ms", "4500");
    expect(edit).toEqual({
      index: 4,
      step: "charge_card",
      kind: "step",
      param: "timeout_ms",
      value: "4500",
      before: "3000",
      after: "4500",
    });
    expect(replay.edits).toEqual([edit]);
    expect(replay.forked).toBeUndefined();

    // Fork: a new trace, the original its parent, which stays as it was.
    const fork = await replay.fork();
    expect(replay.forked).toBe(fork);
    expect(fork.trace.id).not.toBe(rec.traceId);
    expect(fork.trace).toMatchObject({ parent_id: rec.traceId, fork_step: 4, status: "success", role: "fork" });
    expect(fork.result).toMatchObject({ status: "success", state: "paid" });
    expect(fork.steps.length).toBe(fork.trace.step_count);
    expect(getTrace(rec.store, rec.traceId)).toMatchObject({ status: "runtime_error", parent_id: null });

    // Diff: the outcome and the call that changed, and no input changes.
    const diff = replay.diff();
    expect(diff.original).toBe(rec.traceId);
    expect(diff.fork).toBe(fork.trace.id);
    expect(diff.inputs).toEqual([]);
    expect(diff.outcome).toContainEqual(
      expect.objectContaining({ path: "status", expected: "runtime_error", actual: "success" }),
    );
    expect(diff.steps).toContainEqual(
      expect.objectContaining({ index: 4, step: "charge_card", what: "call sim.payments.charge" }),
    );
    expect(diff.steps.every((c) => c.index >= 4)).toBe(true);

    // Apply: the file's bytes differ only inside the edited value.
    const applied = await replay.apply({ yes: true });
    const edited = readFileSync(rec.file);
    expect(applied).toEqual({
      applied: true,
      file: rec.file,
      edits: [edit],
      skipped: [],
      contentHash: createHash("sha256").update(edited).digest("hex"),
    });
    const at = original.indexOf("timeout_ms: 3000\n") + "timeout_ms: ".length;
    expect(original.indexOf("timeout_ms: 3000\n", at)).toBe(-1);
    expect(edited.length).toBe(original.length);
    const changed = [...edited.keys()].filter((i) => edited[i] !== original[i]);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((i) => i >= at && i < at + 4)).toBe(true);
    expect(edited.subarray(at, at + 4).toString()).toBe("4500");

    // The fork replays like any trace: its recorded edits re-applied to its parent's file.
    const again = openReplay(rec.store, fork.trace.id);
    expect(again.fileChanged).toBe(false);
    expect((await again.continue()).end).toMatchObject({ identical: true, result: { status: "success" } });
  });

  it("an input edit goes to the fork and the diff, and apply skips it and says so", async () => {
    rec = await recordPayment();
    const original = readFileSync(rec.file, "utf8");
    const replay = openReplay(rec.store, rec.traceId);
    const input = replay.editInput("amount", "50");
    expect(input).toMatchObject({ index: 0, step: "enter", kind: "input", param: "amount", before: "99.99" });
    const step = replay.editStep(2, "fee", "ROUND(amount * 0.03, 2)");
    expect(step).toMatchObject({ param: "set.fee", before: '"ROUND(amount * 0.029 + 0.30, 2)"' });

    const fork = await replay.fork();
    expect(fork.trace.fork_step).toBe(0);
    expect(fork.result.status).toBe("success");
    const diff = replay.diff();
    expect(diff.inputs).toEqual([{ input: "amount", original: "99.99", fork: "50" }]);
    expect(diff.steps).toContainEqual(expect.objectContaining({ index: 2, what: "fee", original: "3.2", fork: "1.5" }));

    const questions: string[] = [];
    const applied = await replay.apply({
      confirm: async (q) => {
        questions.push(q);
        return true;
      },
    });
    expect(questions).toEqual([
      `write compute_fee.set.fee: "ROUND(amount * 0.029 + 0.30, 2)" → "ROUND(amount * 0.03, 2)" into ${rec.file}? [y/N] `,
    ]);
    expect(applied).toMatchObject({ applied: true, edits: [step], skipped: [input] });
    expect(readFileSync(rec.file, "utf8")).toBe(
      original.replace('fee: "ROUND(amount * 0.029 + 0.30, 2)"', 'fee: "ROUND(amount * 0.03, 2)"'),
    );
  });

  it("apply asks, and a no leaves the file as it was", async () => {
    rec = await recordPayment();
    const original = readFileSync(rec.file, "utf8");
    const replay = openReplay(rec.store, rec.traceId);
    replay.editStep(4, "timeout_ms", "6000");
    expect(await replay.apply({ confirm: async () => false })).toEqual({ applied: false });
    expect(readFileSync(rec.file, "utf8")).toBe(original);
  });
});
