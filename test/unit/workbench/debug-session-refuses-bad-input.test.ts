import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TraceStore } from "../../../src/store/store.js";
import { VesperError } from "../../../src/values/errors.js";
import { InvalidNodeError } from "../../../src/workbench/load-node.js";
import { openDebugSession } from "../../../src/workbench/debug-session.js";

// What openDebugSession and the session's methods refuse: each a VesperError whose
// kind says whose mistake it is (usage, store, node), with a message that names
// the problem, and nothing recorded when the session could not open.

const PAYMENT = "examples/payment.vsp";
const tempStore = () => join(mkdtempSync(join(tmpdir(), "vesper-debug-refuse-")), "vesper.db");

/** The VesperError `f` throws (failing the test if it throws anything else, or nothing). */
function thrown(f: () => unknown): VesperError {
  try {
    f();
  } catch (err) {
    if (err instanceof VesperError) return err;
    throw err;
  }
  throw new Error("expected a VesperError, but nothing was thrown");
}

describe("opening a debug session refuses", () => {
  it("a bad breakpoint spec, naming where it came from, before anything is recorded", () => {
    const store = tempStore();
    const e = thrown(() =>
      openDebugSession({
        node: PAYMENT,
        breakpoints: ["step:charge_crd"],
        breakpointsFrom: "--break-on",
        record: true,
        store,
      }),
    );
    expect(e.kind).toBe("usage");
    expect(e.code).toBe("U203");
    expect(e.message).toBe(
      "--break-on 'step:charge_crd': no step named 'charge_crd'; did you mean 'charge_card'? (steps: check_amount, compute_fee, start_processing, charge_card, settle, mark_paid, done, mark_failed, declined)",
    );
    expect(existsSync(store)).toBe(false);
    const bare = thrown(() => openDebugSession({ node: PAYMENT, breakpoints: ["amount + 1"] }));
    expect(bare.message).toMatch(
      /^breakpoint 'amount \+ 1': 'amount \+ 1' is decimal, but a breakpoint condition must be true or false$/,
    );
  });

  it("an unknown trace, as a store error", () => {
    const store = tempStore();
    TraceStore.open(store).close();
    const e = thrown(() => openDebugSession({ trace: "tr_ffffffffffffffff", store }));
    expect(e.kind).toBe("store");
    expect(e.message).toMatch(
      /^no trace 'tr_ffffffffffffffff' in .*vesper\.db \(vesper traces list shows the recorded traces\)$/,
    );
    const missing = thrown(() => openDebugSession({ trace: "tr_ffffffffffffffff", store: tempStore() }));
    expect(missing.kind).toBe("store");
    expect(missing.message).toMatch(/^no trace store at /);
  });

  it("inputs, a seed or service behaviour given with a trace", () => {
    const store = tempStore();
    const cases: [Parameters<typeof openDebugSession>[0], string][] = [
      [{ trace: "tr_x", store, inputs: { assignments: ["amount=1"] } }, "--input"],
      [{ trace: "tr_x", store, inputs: { mapping: "{}" } }, "--inputs"],
      [{ trace: "tr_x", store, inputs: { sample: "default" } }, "--sample"],
      [{ trace: "tr_x", store, seed: 0 }, "--seed"],
      [{ trace: "tr_x", store, behaviour: { "*": { failureRate: 1 } } }, "--sim"],
    ];
    for (const [options, flag] of cases) {
      const e = thrown(() => openDebugSession(options));
      expect(e.kind).toBe("usage");
      expect(e.message).toBe(
        `${flag} cannot be combined with --trace: a recorded run's inputs, seed and services are used`,
      );
    }
  });

  it("no node and no trace, recording without a store, and an invalid node", () => {
    expect(thrown(() => openDebugSession({})).message).toContain("needs a .vsp file, or --trace <id>");
    expect(thrown(() => openDebugSession({ node: PAYMENT, record: true })).message).toBe(
      "recording a debug session needs a trace store",
    );
    const invalid = thrown(() => openDebugSession({ node: "examples/no-such-node.vsp" }));
    expect(invalid).toBeInstanceOf(InvalidNodeError);
    expect(invalid.kind).toBe("node");
    const badInput = thrown(() => openDebugSession({ node: PAYMENT, inputs: { assignments: ["amount=lots"] } }));
    expect(badInput.kind).toBe("input");
  });
});

describe("an open debug session refuses", () => {
  it("bad breakpoints, unknown breakpoint ids, bad expressions and moves, and goes on", async () => {
    const s = openDebugSession({ node: PAYMENT });
    try {
      const spec = thrown(() => s.addBreakpoint("divergense"));
      expect(spec.kind).toBe("usage");
      expect(spec.message).toContain("'divergense' is not a breakpoint; did you mean 'divergence'?");
      expect(thrown(() => s.deleteBreakpoint(9)).message).toBe("no breakpoint 9 (breakpoints: 1)");
      expect(thrown(() => s.evaluate("random() < 2")).message).toMatch(/^random\(\) cannot be used in the debugger/);
      expect(thrown(() => s.evaluate("nonsense")).kind).toBe("usage");
      expect(thrown(() => s.back()).message).toBe("already at the start: nothing has run yet");
      await expect(s.step(0)).rejects.toThrow("step takes a positive number of steps, not '0'");
      expect(s.breakpoints).toHaveLength(1);
      const moved = await s.step();
      expect(moved.frames).toHaveLength(1);
    } finally {
      s.close();
    }
    await expect(s.step()).rejects.toThrow("the session is closed");
  });
});
