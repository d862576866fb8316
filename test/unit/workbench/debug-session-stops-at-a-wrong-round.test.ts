import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { restoreRound, truncateRound } from "../../helpers/wrong-round.js";
import { TraceStore } from "../../../src/store/store.js";
import { getTrace } from "../../../src/trace/reader.js";
import { toJson } from "../../../src/values/json.js";
import { openDebugSession } from "../../../src/workbench/debug-session.js";

// The comparative debug session driven through its typed API alone, no command
// strings: the direct runtime's ROUND is made to truncate (in process, as the
// controller tests do), so on the payment example with amount 99.95 the fee is
// 99.95 * 0.029 + 0.30 = 3.19855: 3.2 on the reference, 3.19 on the direct runtime.

const PAYMENT = "examples/payment.vsp";
const INPUTS = { sample: "default", assignments: ["amount=99.95"] };
afterEach(restoreRound);

const tempStore = () => join(mkdtempSync(join(tmpdir(), "vesper-debug-session-")), "vesper.db");

describe("a debug session through the typed API", () => {
  it("stops at the first diverging step with its path, both values and the source line, and goes back", async () => {
    truncateRound();
    const s = openDebugSession({ node: PAYMENT, inputs: INPUTS });
    try {
      expect(s.breakpoints.map((b) => b.spec)).toEqual(["divergence"]);
      expect(s.position).toBe(0);
      expect(s.source()).toEqual({ reference: undefined, direct: undefined });
      expect(s.where().reference.next).toMatchObject({ step: "enter", file: PAYMENT, line: 3 });

      const stop = await s.continue();
      expect(stop.reason).toBe("breakpoint");
      expect(stop.hits.map((h) => h.breakpoint.kind)).toEqual(["divergence"]);
      expect(stop.frames.map((f) => f.events.reference?.step)).toEqual(["enter", "check_amount", "compute_fee"]);
      expect(s.diverged).toBe(true);

      const [found, ...more] = s.divergences();
      expect(more).toEqual([]);
      expect(found).toMatchObject({
        position: 3,
        step: "compute_fee",
        index: 2,
        location: { file: PAYMENT, line: 64 },
        firstBinding: "fee",
      });
      expect(found!.diffs.find((d) => d.path === "fee")).toMatchObject({
        kind: "binding",
        expected: "3.2",
        actual: "3.19",
      });

      // The step each side is paused at, for a source pane, and what runs next.
      expect(s.source().reference).toMatchObject({ step: "compute_fee", op: "compute", file: PAYMENT, line: 64 });
      expect(s.source().direct).toMatchObject({ step: "compute_fee", line: 64 });
      expect(s.where().direct.next).toMatchObject({ step: "start_processing", op: "transition", line: 71 });
      expect(s.where().reference.changed).toEqual(["fee", "credit_used", "to_charge"]);

      const fee = s.evaluate("fee");
      expect(fee.reference.ok && toJson(fee.reference.value)).toBe("3.2");
      expect(fee.direct.ok && toJson(fee.direct.value)).toBe("3.19");
      expect(fee.differences.map((d) => d.path)).toEqual(["fee"]);
      expect(s.evaluate("currency").differences).toEqual([]);
      expect(s.diff().step.map((d) => d.path)).toContain("fee");

      // back restores the pause before the divergence; the divergence is remembered.
      expect(s.back()).toEqual({ steps: 1, position: 2 });
      expect(s.source().reference).toMatchObject({ step: "check_amount", line: 59 });
      expect(s.where().reference.bindings.has("fee")).toBe(false);
      expect(s.diff()).toEqual({ position: 2, step: [], state: [], carried: [] });
      expect(s.divergences().map((d) => d.step)).toEqual(["compute_fee"]);
      expect(s.firstDivergence?.step).toBe("compute_fee");

      // Stepping again runs compute_fee again, with the same result.
      const again = await s.step();
      expect(again.reason).toBe("breakpoint");
      expect(s.evaluate("fee").direct).toMatchObject({ ok: true });
      expect(s.divergences()).toHaveLength(1);
    } finally {
      s.close();
    }
  });

  it("adds and deletes breakpoints from specs, and counts their hits", async () => {
    const s = openDebugSession({ node: PAYMENT, inputs: INPUTS, breakpoints: ["divergence", "step:settle"] });
    try {
      const t = s.addBreakpoint("state_transition:pending->processing");
      expect(t).toMatchObject({ id: 3, kind: "state_transition", from: "pending", to: "processing", hits: 0 });
      expect(s.addBreakpoint("amount > 50")).toMatchObject({ id: 4, kind: "expression" });
      expect(s.deleteBreakpoint(4).spec).toBe("amount > 50");
      expect(s.breakpoints.map((b) => b.id)).toEqual([1, 2, 3]);

      const first = await s.continue();
      expect(first.hits.map((h) => h.breakpoint.id)).toEqual([3]);
      expect(s.source().reference?.step).toBe("start_processing");
      const second = await s.continue();
      expect(second).toMatchObject({ reason: "breakpoint", before: true });
      expect(second.hits[0]!.message).toBe("before step 'settle'");
      expect(s.where().reference.next?.step).toBe("settle");
      expect(s.breakpoints.map((b) => b.hits)).toEqual([0, 1, 1]);

      s.deleteBreakpoint(2);
      const end = await s.continue();
      expect(end.reason).toBe("ended");
      expect(s.done).toBe(true);
      expect(s.diverged).toBe(false);
      expect(s.summary()).toMatchObject({ finished: true, diverged: false, firstDivergence: undefined });
      expect(s.summary().results.reference?.status).toBe("success");
      await expect(s.next()).rejects.toThrow("both runs have ended");
    } finally {
      s.close();
    }
  });

  it("records both runs as a pair, and re-executes a recorded run from its trace", async () => {
    const store = tempStore();
    const recorded = openDebugSession({ node: PAYMENT, inputs: INPUTS, record: true, store });
    await recorded.continue();
    recorded.close();
    const ids = recorded.recording!;
    expect(ids.group).toMatch(/^dbg_/);

    const read = TraceStore.open(store, { readonly: true });
    try {
      expect(getTrace(read, ids.reference)).toMatchObject({
        status: "success",
        group_id: ids.group,
        role: "reference",
      });
      expect(getTrace(read, ids.direct)).toMatchObject({ status: "success", group_id: ids.group, role: "direct" });
    } finally {
      read.close();
    }

    // The recording predates the wrong ROUND: re-executing it finds the divergence.
    truncateRound();
    const replayed = openDebugSession({ trace: ids.reference, store });
    try {
      expect(replayed.replaying).toEqual({ trace: ids.reference, nodeChanged: false });
      expect(replayed.notes).toEqual([]);
      expect(toJson(replayed.inputs.get("amount")!)).toBe("99.95");
      expect(replayed.recording).toBeUndefined();
      await replayed.continue();
      expect(replayed.divergences()[0]).toMatchObject({ step: "compute_fee", firstBinding: "fee" });
    } finally {
      replayed.close();
    }
  });

  it("closing a session that stopped early leaves its recorded runs incomplete", async () => {
    const store = tempStore();
    const s = openDebugSession({ node: PAYMENT, inputs: INPUTS, record: true, store });
    await s.step(2);
    s.close();
    s.close();
    const read = TraceStore.open(store, { readonly: true });
    try {
      expect(getTrace(read, s.recording!.reference)).toMatchObject({ status: "incomplete", step_count: 2 });
      expect(getTrace(read, s.recording!.direct)).toMatchObject({ status: "incomplete", step_count: 2 });
    } finally {
      read.close();
    }
  });

  it("notes that the node file changed since the recording", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vesper-debug-changed-"));
    const file = join(dir, "payment.vsp");
    copyFileSync(PAYMENT, file);
    const store = tempStore();
    const recorded = openDebugSession({ node: file, inputs: INPUTS, record: true, store });
    await recorded.continue();
    recorded.close();
    writeFileSync(file, `${readFileSync(file, "utf8")}\n# edited after the recording\n`);
    const s = openDebugSession({ trace: recorded.recording!.reference, store });
    try {
      expect(s.replaying?.nodeChanged).toBe(true);
      expect(s.notes).toEqual([
        `${file} has changed since trace ${recorded.recording!.reference} was recorded; both runtimes run the file as it is now, against the recorded inputs and tool results`,
      ]);
    } finally {
      s.close();
    }
  });
});
