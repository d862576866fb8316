import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// Ink's colours follow the terminal; these tests draw as if at a colour terminal, so
// `color: false` is proven to drop colour rather than getting none by accident.
vi.hoisted(() => {
  process.env.FORCE_COLOR = "3";
});

import { ReplayPane } from "../../tui/panes/replay/index.js";
import { loadNode, nodeInputs, openReplay, runNode } from "../../src/workbench/index.js";
import { ROOT } from "../helpers/cli.js";
import { type RecordedPayment, recordPayment } from "../helpers/recorded-payment.js";
import { colourCodes } from "./colour.js";
import { ENTER, ESC, LEFT, RIGHT, TAB, renderPane } from "./render-pane.js";

// The Replay pane against a temp store holding a payment whose simulated charge
// (4000 ms) outlasts its step's 3000 ms timeout, recorded from a temp copy of
// examples/payment.vsp (so apply writes the copy), and an order_total run.

let rec: RecordedPayment;

beforeEach(async () => {
  rec = await recordPayment({ chargeLatencyMs: 4000 });
  const order = loadNode(join(ROOT, "examples/order_total.vsp"));
  await runNode(order, { inputs: nodeInputs(order), mode: "reference_only", store: rec.store });
});
afterEach(() => rec.store.close());

function open(setup: { width?: number; height?: number; color?: boolean; trace?: string } = {}) {
  return renderPane(ReplayPane, {
    store: rec.store,
    cwd: dirname(rec.file),
    width: setup.width ?? 120,
    height: setup.height ?? 40,
    color: setup.color,
    target: setup.trace ? { trace: setup.trace } : {},
  });
}

const listed = (frame: string) => frame.split("\n").filter((l) => /^[▶ ] tr_/.test(l));

async function filter(p: ReturnType<typeof open>, text: string) {
  await p.press("/");
  await p.press("\u0015");
  await p.type(text);
  await p.press(ENTER);
}

describe("the Replay pane's trace list", () => {
  it("filters by node, status and date from one line, and Esc clears the filter", async () => {
    const p = open();
    let frame = await p.waitFor((f) => f.includes("2 traces"), "the list");
    expect(listed(frame)).toHaveLength(2);
    await filter(p, "node:order");
    frame = await p.waitFor((f) => f.includes("matching 'node:order'"), "the node filter");
    expect(listed(frame)).toHaveLength(1);
    expect(listed(frame)[0]).toContain("order_total");
    await filter(p, "status:failed");
    frame = await p.waitFor((f) => f.includes("matching 'status:failed'"), "the status filter");
    expect(listed(frame)).toHaveLength(1);
    expect(listed(frame)[0]).toMatch(/✗ runtime_error\s+payments\.process_payment/);
    await filter(p, "since:2999-01-01 payment");
    frame = await p.waitFor((f) => f.includes("0 traces matching"), "the date filter");
    expect(frame).toContain("No trace matches the filter");
    await filter(p, "until:2999-01-01 payment");
    frame = await p.waitFor((f) => f.includes("1 trace matching 'until:2999-01-01 payment'"), "free words");
    expect(listed(frame)[0]).toContain("payments.process_payment");
    expect(p.keys.map((k) => k.keys)).toContain("Esc");
    await p.press(ESC);
    await p.waitFor((f) => f.includes("2 traces (newest first)"), "the filter cleared");
    p.unmount();
  });

  it("takes keys typed faster than it redraws into the filter", async () => {
    const p = open();
    await p.waitFor((f) => f.includes("2 traces"), "the list");
    await p.burst("/", "n", "ode:order", ENTER);
    const frame = await p.waitFor((f) => f.includes("matching 'node:order'"), "the filter");
    expect(listed(frame)).toHaveLength(1);
    expect(p.capturing).toBe(false);
    p.unmount();
  });

  it("refuses a bad filter term with what to type, keeping the prompt and capturing keys", async () => {
    const p = open();
    await p.waitFor((f) => f.includes("2 traces"), "the list");
    await p.press("/");
    expect(p.capturing).toBe(true);
    await p.type("status:weird");
    await p.press(ENTER);
    const frame = await p.waitFor((f) => f.includes("status 'weird' is not one of"), "the refusal");
    expect(frame).toContain("filter> status:weird");
    expect(p.capturing).toBe(true);
    await p.press(ESC);
    await p.waitFor((f) => !f.includes("filter>"), "the prompt closed");
    expect(p.capturing).toBe(false);
    p.unmount();
  });
});

describe("the Replay pane's timeline", () => {
  it("opens the selected trace with Enter and scrubs it with ← and →", async () => {
    const p = open();
    await p.waitFor((f) => f.includes("2 traces"), "the list");
    await filter(p, "payment");
    await p.waitFor((f) => f.includes("1 trace matching"), "the payment trace");
    await p.press(ENTER);
    let frame = await p.waitFor((f) => f.includes("▶ #0 enter"), "the timeline at enter");
    expect(frame).toContain(`REPLAY ${rec.traceId.slice(0, 8)}`);
    for (let i = 0; i < 4; i++) await p.press(RIGHT);
    frame = await p.waitFor((f) => f.includes("▶ #4 charge_card (call) line 75"), "step 4");
    expect(frame).toMatch(/✓✓✓✓✗\s+step 4 of 0–4/);
    expect(frame).toContain("call sim.payments.charge ✗ TIMEOUT");
    expect(frame).toContain("3 attempts");
    expect(frame).toMatch(/STATE\s+state processing/);
    expect(frame).toContain("to_charge = 93.19");
    await p.press(LEFT);
    frame = await p.waitFor((f) => f.includes("▶ #3 start_processing"), "back one step");
    expect(frame).toContain("state pending → processing");
    await p.press("g");
    await p.waitFor((f) => f.includes("▶ #0 enter"), "the first step");
    await p.press(ESC);
    await p.waitFor((f) => f.includes("1 trace matching"), "back to the list");
    p.unmount();
  });

  it("edits a step in a form, forks, shows the diff, and applies to the file only after a yes", async () => {
    const original = readFileSync(rec.file, "utf8");
    const p = open({ trace: rec.traceId, width: 120, height: 50 });
    await p.waitFor((f) => f.includes("▶ #0 enter"), "the trace opened directly");
    for (let i = 0; i < 4; i++) await p.press(RIGHT);
    await p.waitFor((f) => f.includes("▶ #4 charge_card"), "step 4");

    await p.press("e");
    expect(p.capturing).toBe(true);
    let frame = await p.waitFor((f) => f.includes("EDIT"), "the form");
    expect(frame).toMatch(/step {2}\[4█? +\] {2}charge_card \(call\)/);
    // Keys typed into the form do not act: "f" does not fork, "q" does not reach the shell.
    await p.press(TAB);
    await p.type("timeout_msfq");
    await p.press("\u007f");
    await p.press("\u007f");
    await p.press(TAB);
    await p.type("4500");
    expect(p.text()).not.toContain("DIFF");
    await p.press(ENTER);
    frame = await p.waitFor((f) => f.includes("EDITS"), "the edit listed");
    expect(p.capturing).toBe(false);
    expect(frame).toContain("#4 charge_card.timeout_ms: 3000 → 4500 (not applied)");

    await p.press("f");
    frame = await p.waitFor((f) => f.includes("DIFF fork"), "the fork's diff");
    expect(frame).toContain(`against the original ${rec.traceId.slice(0, 8)}`);
    expect(frame).toMatch(/#4 charge_card: call sim\.payments\.charge\n\s+- TIMEOUT/);
    expect(frame).toMatch(/\+ ok record \{id: "ch_/);
    expect(frame).toMatch(/status\n\s+- runtime_error\n\s+\+ success/);
    expect(frame).toContain("ran: success");

    // Apply asks; no leaves the file as it was.
    await p.press("a");
    frame = await p.waitFor((f) => f.includes("[y/N]"), "the question");
    expect(frame).toContain("write charge_card.timeout_ms: 3000 → 4500 into");
    expect(p.capturing).toBe(true);
    await p.press("n");
    await p.waitFor((f) => f.includes("nothing written"), "the no");
    expect(readFileSync(rec.file, "utf8")).toBe(original);
    // Yes writes exactly the edited value.
    await p.press("a");
    await p.waitFor((f) => f.includes("[y/N]"), "the question again");
    await p.press("y");
    await p.waitFor((f) => f.includes("wrote 1 edit into"), "the write");
    expect(readFileSync(rec.file, "utf8")).toBe(original.replace("timeout_ms: 3000\n", "timeout_ms: 4500\n"));
    p.unmount();
  });

  it("keeps the form open with the replay's message when an edit cannot be made", async () => {
    const p = open({ trace: rec.traceId });
    await p.waitFor((f) => f.includes("▶ #0 enter"), "the trace");
    await p.press("e");
    await p.press("\u0015");
    await p.type("4");
    await p.press(TAB);
    await p.type("no_such_param");
    await p.press(TAB);
    await p.type("1");
    await p.press(ENTER);
    const frame = await p.waitFor((f) => f.includes("✗ "), "the refusal");
    expect(frame).toContain("EDIT");
    expect(frame).toMatch(/no_such_param/);
    expect(p.capturing).toBe(true);
    await p.press(ESC);
    await p.waitFor((f) => !f.includes("Tab: next field"), "the form closed");
    await p.press("f");
    await p.waitFor((f) => f.includes("nothing to run: modify a step first"), "fork refused");
    p.unmount();
  });

  for (const [width, height] of [
    [80, 24],
    [200, 50],
  ] as const) {
    it(`fits ${width}×${height}: list, timeline and diff, without colour when color is false`, async () => {
      const p = open({ width, height, color: false });
      const check = (frame: string) => {
        const lines = frame.split("\n");
        expect(lines.length).toBeLessThanOrEqual(height);
        for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(width);
        expect(colourCodes(p.lastFrame())).toEqual([]);
      };
      check(await p.waitFor((f) => f.includes("2 traces"), "the list"));
      await filter(p, "payment");
      await p.waitFor((f) => f.includes("1 trace matching"), "the payment trace");
      await p.press(ENTER);
      for (let i = 0; i < 5; i++) await p.press(RIGHT);
      const frame = await p.waitFor((f) => f.includes("▶ #4 charge_card"), "step 4");
      check(frame);
      expect(frame).toContain("TIMEOUT");
      await p.press("e");
      await p.press(TAB);
      await p.type("timeout_ms");
      await p.press(TAB);
      await p.type("4500");
      check(p.text());
      await p.press(ENTER);
      await p.press("f");
      check(await p.waitFor((f) => f.includes("DIFF fork"), "the diff"));
      p.unmount();
    });
  }
});

// In the Replay pane, `d` on a trace that is itself a fork once said "no fork to
// compare yet": a person who opened the fork to see what it changed had to fork it
// again. Now, with nothing edited, d shows the fork against its parent, naming both.

describe("d on a fork in the Replay pane", () => {
  it("shows how the fork departs from its parent, naming both, and offers only keys that act", async () => {
    const original = openReplay(rec.store, rec.traceId);
    original.editStep(4, "timeout_ms", "4500");
    const forkId = (await original.fork()).trace.id;
    const p = renderPane(ReplayPane, {
      store: rec.store,
      cwd: dirname(rec.file),
      width: 100,
      height: 30,
      target: { trace: forkId },
    });
    await p.waitFor((f) => f.includes("#0 enter"), "the fork open");
    await p.press("d");
    const frame = await p.waitFor((f) => f.includes("DIFF"), "the diff");
    expect(frame).toContain(
      `DIFF this trace ${forkId.slice(0, 8)} (a fork from step 4) against its parent ${rec.traceId.slice(0, 8)}`,
    );
    expect(frame).toMatch(/#4 charge_card: call sim\.payments\.charge\n\s+- TIMEOUT/);
    expect(frame).toMatch(/status\n\s+- runtime_error\n\s+\+ success/);
    expect(frame).not.toContain("no fork to compare yet");
    // Nothing was edited here: apply would have nothing to write, so it is not offered.
    expect(p.keys.map((k) => k.keys)).toEqual(["↑/↓", "d/Esc"]);
    await p.press(ESC);
    await p.waitFor((f) => f.includes("▶ #0 enter") && !f.includes("DIFF"), "back to the timeline");
    p.unmount();
  });
});
