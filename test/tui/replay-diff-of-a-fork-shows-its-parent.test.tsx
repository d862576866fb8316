import { dirname } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReplayPane } from "../../tui/panes/replay/index.js";
import { openReplay } from "../../src/workbench/index.js";
import { type RecordedPayment, recordPayment } from "../helpers/recorded-payment.js";
import { ESC, renderPane } from "./render-pane.js";

// In the Replay pane, `d` on a trace that is itself a fork once said "no fork to
// compare yet": a person who opened the fork to see what it changed had to fork it
// again. Now, with nothing edited, d shows the fork against its parent, naming both.

let rec: RecordedPayment;
let forkId: string;
beforeEach(async () => {
  rec = await recordPayment({ chargeLatencyMs: 4000 });
  const original = openReplay(rec.store, rec.traceId);
  original.editStep(4, "timeout_ms", "4500");
  forkId = (await original.fork()).trace.id;
});
afterEach(() => rec.store.close());

describe("d on a fork in the Replay pane", () => {
  it("shows how the fork departs from its parent, naming both, and offers only keys that act", async () => {
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
