import { dirname } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReplayPane } from "../../tui/panes/replay/index.js";
import { type RecordedPayment, recordPayment } from "../helpers/recorded-payment.js";
import { ENTER, ESC, renderPane } from "./render-pane.js";

// In the Replay pane, `d` before any fork once answered with the headless replay's
// words ("modify a step, then run"): commands a person at the pane cannot type; the
// pane's keys are e, f and R. And a message about an opened trace once stayed on the
// screen after Esc went back to the list, as if it were about the list.

let rec: RecordedPayment;
beforeEach(async () => {
  rec = await recordPayment();
});
afterEach(() => rec.store.close());

function open() {
  return renderPane(ReplayPane, { store: rec.store, cwd: dirname(rec.file), width: 100, height: 30, target: {} });
}

describe("the Replay pane's messages", () => {
  it("d before a fork says which keys make one, not the headless commands", async () => {
    const p = open();
    await p.waitFor((f) => f.includes("1 trace"), "the list");
    await p.press(ENTER);
    await p.waitFor((f) => f.includes("#0 enter"), "the trace open");
    await p.press("d");
    const frame = await p.waitFor((f) => f.includes("no fork to compare yet"), "the refusal");
    expect(frame).toContain("e edits a step and f forks the run, or R reruns the current file");
    expect(frame).not.toMatch(/modify a step, then run/);
    p.unmount();
  });

  it("Esc back to the list clears what was said about the trace that was open", async () => {
    const p = open();
    await p.waitFor((f) => f.includes("1 trace"), "the list");
    await p.press(ENTER);
    await p.waitFor((f) => f.includes("#0 enter"), "the trace open");
    await p.press("d");
    await p.waitFor((f) => f.includes("no fork to compare yet"), "the refusal");
    await p.press(ESC);
    const list = await p.waitFor((f) => f.includes("traces (newest first)") || f.includes("1 trace ("), "the list");
    expect(list).not.toContain("no fork to compare yet");
    p.unmount();
  });
});
