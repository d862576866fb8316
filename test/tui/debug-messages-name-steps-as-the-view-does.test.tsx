import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DebugPane } from "../../tui/panes/debug/index.js";
import { ROOT } from "../helpers/cli.js";
import { renderPane } from "./render-pane.js";

// The Debug pane numbers steps from enter = #0 ("REFERENCE ▶ #2 compute_fee"), as
// `vesper debug` does. Its diff view and its "went back" message once counted
// positions instead ("DIFF at step 3" beside "#2 done", "went back 1 step (to step 2)"
// beside "#1 check_amount"): a person read a step that is not the one shown.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tui-debug-steps-"));
  copyFileSync(join(ROOT, "examples/payment.vsp"), join(dir, "payment.vsp"));
});

function open() {
  return renderPane(DebugPane, { store: join(dir, "store.db"), cwd: dir, target: { node: "payment.vsp" } });
}

describe("the Debug pane's messages name a step as its view does", () => {
  it("the diff view names the step the sides show as the last one run", async () => {
    const p = open();
    await p.waitFor((f) => f.includes("not started"), "the session");
    for (const k of ["s", "s", "s"]) {
      await p.press(k);
      await p.waitFor((f) => !f.includes("…"), "the step");
    }
    const sides = await p.waitFor((f) => f.includes("3 steps run"), "three steps");
    expect(sides).toContain("REFERENCE ▶ #2 compute_fee");
    await p.press("d");
    const diff = await p.waitFor((f) => f.includes("DIFF "), "the diff view");
    expect(diff).toContain("DIFF after #2 compute_fee:");
    expect(diff).not.toMatch(/step 3/);
    p.unmount();
  });

  it("before anything ran the diff view says so, without a step number", async () => {
    const p = open();
    await p.waitFor((f) => f.includes("not started"), "the session");
    await p.press("d");
    const diff = await p.waitFor((f) => f.includes("DIFF "), "the diff view");
    expect(diff).toContain("DIFF before the first step:");
    p.unmount();
  });

  it("going back names the step it went back to, the one the sides then show", async () => {
    const p = open();
    await p.waitFor((f) => f.includes("not started"), "the session");
    for (const k of ["s", "s", "s"]) {
      await p.press(k);
      await p.waitFor((f) => !f.includes("…"), "the step");
    }
    await p.waitFor((f) => f.includes("3 steps run"), "three steps");
    await p.press("b");
    const frame = await p.waitFor((f) => f.includes("went back"), "one step back");
    expect(frame).toContain("REFERENCE ▶ #1 check_amount");
    expect(frame).toContain("went back 1 step to #1 check_amount");
    p.unmount();
  });
});
