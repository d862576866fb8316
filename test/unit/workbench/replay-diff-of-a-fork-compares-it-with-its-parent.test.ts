import { afterEach, describe, expect, it } from "vitest";
import { collectOldTraces, openReplay } from "../../../src/workbench/index.js";
import { ReplayCommands } from "../../../src/workbench/replay-commands.js";
import { type RecordedPayment, recordPayment } from "../../helpers/recorded-payment.js";

// docs/debugger.md, "Replay sessions": a fork is a trace whose parent is the run it was
// forked from. Opening the fork and asking for the diff, with nothing modified in this
// session, shows how it departs from its parent (the same diff the session that made
// it showed), and says which two traces are compared. Once this session modifies a
// step, or runs a fork or a rerun of its own, diff is about that, as for any trace.

let rec: RecordedPayment;

afterEach(() => rec.store.close());

/** The timed-out payment, and a fork of it whose charge timeout (4500 ms) outlasts the slow charge. */
async function forkedPayment() {
  rec = await recordPayment({ chargeLatencyMs: 4000 });
  const original = openReplay(rec.store, rec.traceId);
  original.editInput("currency", "EUR");
  original.editStep(4, "timeout_ms", "4500");
  const fork = await original.fork();
  return { made: original.diff(), forkId: fork.trace.id };
}

describe("diff on a trace that is itself a fork", () => {
  it("compares it with its parent: the same steps, outcome and inputs the forking session saw", async () => {
    const { made, forkId } = await forkedPayment();
    const replay = openReplay(rec.store, forkId);
    expect(replay.diffBasis).toBe("parent");
    const d = replay.diff();
    expect(d).toMatchObject({ original: rec.traceId, fork: forkId, compares: "parent", forkStep: 0 });
    expect(d.steps).toEqual(made.steps);
    expect(d.outcome).toEqual(made.outcome);
    expect(d.inputs).toEqual([{ input: "currency", original: '"USD"', fork: '"EUR"' }]);
    expect(d.outcome).toContainEqual(
      expect.objectContaining({ path: "status", expected: "runtime_error", actual: "success" }),
    );

    // The session's words and JSON name both traces and their roles; the older keys stay.
    const commands = new ReplayCommands(replay, { yes: false });
    const reply = await commands.handle("diff");
    expect(reply.text.split("\n")[0]).toBe(
      `diff ${rec.traceId} (its parent) → ${forkId} (this trace, a fork from step 0):`,
    );
    expect(reply.text).toContain("  status: runtime_error → success");
    expect(Object.keys(reply.json)).toEqual([
      "command",
      "original",
      "fork",
      "inputs",
      "steps",
      "outcome",
      "compares",
      "fork_step",
    ]);
    expect(reply.json).toMatchObject({ original: rec.traceId, fork: forkId, compares: "parent", fork_step: 0 });
  });

  it("is about this session's own edits, fork or rerun once there are any", async () => {
    const { forkId } = await forkedPayment();
    const replay = openReplay(rec.store, forkId);
    replay.editStep(4, "timeout_ms", "5000");
    expect(replay.diffBasis).toBeUndefined();
    expect(() => replay.diff()).toThrow("no fork to compare yet: modify a step, then run; or rerun the current file");
    await replay.fork();
    expect(replay.diff()).toMatchObject({ original: forkId, compares: "run", forkStep: 4 });

    const again = openReplay(rec.store, forkId);
    const rerun = await again.rerun();
    expect(again.diff()).toMatchObject({ original: forkId, fork: rerun.fork.trace.id, compares: "rerun" });
    const header = (await new ReplayCommands(again, { yes: false }).handle("diff")).text.split("\n")[0];
    expect(header).toBe(`diff ${forkId} (this trace) → ${rerun.fork.trace.id} (the rerun):`);
  });

  it("a trace that is not a fork still has nothing to compare, and a fork whose parent gc deleted says so", async () => {
    const { forkId } = await forkedPayment();
    const plain = openReplay(rec.store, rec.traceId);
    expect(plain.diffBasis).toBeUndefined();
    expect(() => plain.diff()).toThrow("no fork to compare yet: modify a step, then run; or rerun the current file");

    // The parent was recorded ten days ago; gc keeps a day and loses the fork's link to it.
    rec.store.db.prepare("UPDATE traces SET started_at = started_at - 10 * 86400000 WHERE id = ?").run(rec.traceId);
    collectOldTraces(rec.store, 1);
    const orphan = openReplay(rec.store, forkId);
    expect(orphan.trace.parent_id).toBeNull();
    expect(orphan.diffBasis).toBeUndefined();
    expect(() => orphan.diff()).toThrow("this trace's parent is no longer in the store (traces gc deleted it)");
  });
});
