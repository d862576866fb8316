import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Ink's colours follow the terminal; these tests draw as if at a colour terminal, so
// `color: false` is proven to drop colour rather than getting none by accident.
vi.hoisted(() => {
  process.env.FORCE_COLOR = "3";
});

import { DebugPane } from "../../tui/panes/debug/index.js";
import { listRecordedTraces } from "../../src/workbench/index.js";
import { ROOT } from "../helpers/cli.js";
import { restoreRound, truncateRound } from "../helpers/wrong-round.js";
import { colourCodes, INVERSE } from "./colour.js";
import { ENTER, ESC, renderPane, stripAnsi } from "./render-pane.js";

// The Debug pane against a temp copy of examples/payment.vsp and a temp store, with
// the direct runtime's ROUND deliberately truncating (test/helpers/wrong-round.ts),
// so the default sample (amount 99.99) diverges at compute_fee: fee 3.2 against 3.19.

let dir: string;
const store = () => join(dir, "store.db");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tui-debug-"));
  copyFileSync(join(ROOT, "examples/payment.vsp"), join(dir, "payment.vsp"));
  truncateRound();
});
afterAll(() => restoreRound());

function open(size: { width?: number; height?: number; color?: boolean; focused?: boolean } = {}) {
  return renderPane(DebugPane, { store: store(), cwd: dir, target: { node: "payment.vsp" }, ...size });
}

const rowWith = (frame: string, ...parts: string[]) => frame.split("\n").find((l) => parts.every((p) => l.includes(p)));

describe("the Debug pane", () => {
  it("continues to the divergence and shows both sides, the values and the highlighted source line", async () => {
    const p = open({ width: 100, height: 30 });
    await p.waitFor((f) => f.includes("REFERENCE") && f.includes("not started"), "the session to open");
    expect(p.keys.map((k) => k.keys)).toEqual(expect.arrayContaining(["s", "n", "c", "b", "B", "d"]));
    await p.press("c");
    const frame = await p.waitFor((f) => f.includes("DIVERGENCE"), "the divergence");
    // Side by side: one row holds both runtimes, and the differing binding on each side.
    expect(rowWith(frame, "REFERENCE ▶ #2 compute_fee", "DIRECT ▶ #2 compute_fee")).toBeDefined();
    expect(rowWith(frame, "✗fee = 3.2 ", "✗fee = 3.19")).toBeDefined();
    expect(frame).toContain("✗ DIVERGENCE at #2 compute_fee (line 64)");
    expect(frame).toMatch(/✗ fee {2}reference 3\.2 {2}direct 3\.19/);
    expect(frame).toContain("breakpoint 1 (divergence): the runtimes diverge at step 'compute_fee'");
    // The source pane marks line 64 (the step), inverted.
    expect(frame).toMatch(/▶64 {3}- step: compute_fee/);
    const raw = p
      .lastFrame()
      .split("\n")
      .find((l) => stripAnsi(l).includes("▶64"))!;
    expect(raw).toContain(INVERSE);
    expect(colourCodes(p.lastFrame()).length).toBeGreaterThan(0);
    p.unmount();
  });

  it("records the two runs to the store, as vesper debug does", async () => {
    const before = listRecordedTraces(store(), { limit: 100 }).length;
    const p = open();
    await p.waitFor((f) => f.includes("REFERENCE"), "the session");
    await p.press("c");
    await p.waitFor((f) => f.includes("DIVERGENCE"), "the divergence");
    p.unmount();
    const after = listRecordedTraces(store(), { limit: 100 });
    expect(after.length).toBe(before + 2);
    expect(new Set(after.slice(0, 2).map((t) => t.runtime))).toEqual(new Set(["reference", "direct"]));
  });

  it("steps, goes back and shows the diff view", async () => {
    const p = open({ width: 100, height: 30 });
    await p.waitFor((f) => f.includes("not started"), "the session");
    await p.press("s");
    await p.waitFor((f) => f.includes("1 step run"), "one step");
    await p.press("s");
    await p.press("s");
    await p.waitFor((f) => f.includes("3 steps run") && f.includes("DIVERGENCE"), "three steps");
    await p.press("d");
    let frame = await p.waitFor((f) => f.includes("DIFF after #2 compute_fee"), "the diff view");
    expect(frame).toContain("✗ what the last step did differently:");
    expect(frame).toMatch(/fee: values differ[^\n]*\n\s+reference {2}3\.2\n\s+direct {5}3\.19/);
    expect(p.keys.some((k) => k.keys.includes("Esc"))).toBe(true);
    await p.press(ESC);
    await p.waitFor((f) => !f.includes("DIFF after") && f.includes("SOURCE"), "the sides again");
    await p.press("b");
    frame = await p.waitFor((f) => f.includes("2 steps run"), "one step back");
    expect(frame).toContain("went back 1 step to #1 check_amount");
    expect(frame).toContain("#1 check_amount");
    p.unmount();
  });

  it("adds and removes breakpoints from a prompt that captures every key", async () => {
    const p = open({ width: 100, height: 30 });
    await p.waitFor((f) => f.includes("breakpoints: 1 divergence"), "the session");
    await p.press("B");
    await p.waitFor((f) => f.includes("break>"), "the prompt");
    expect(p.capturing).toBe(true);
    expect(p.keys.map((k) => k.keys)).toContain("Esc");
    // A bad spec is refused with the session's message; the prompt stays open with the text.
    await p.type("step:nope");
    await p.press(ENTER);
    let frame = await p.waitFor((f) => f.includes("no step named 'nope'"), "the refusal");
    expect(frame).toContain("break> step:nope");
    expect(p.capturing).toBe(true);
    // Clear it (Ctrl-U), then remove the default divergence breakpoint and stop before charge_card instead.
    await p.press("\u0015");
    await p.type("-1");
    await p.press(ENTER);
    await p.waitFor((f) => f.includes("deleted breakpoint 1 (divergence)"), "the deletion");
    expect(p.capturing).toBe(false);
    await p.press("B");
    // Typed into the prompt, not moves: "s" and "c" here do not step.
    await p.type("step:charge_card");
    expect(p.text()).toContain("0 steps run");
    await p.press(ENTER);
    frame = await p.waitFor((f) => f.includes("breakpoints: 2 step:charge_card"), "the new breakpoint");
    expect(frame).toContain("breakpoint 2: step:charge_card (stops before the step runs)");
    await p.press("c");
    frame = await p.waitFor((f) => f.includes("before step 'charge_card'"), "the stop");
    expect(frame).toContain("#3 start_processing");
    // Esc closes an open prompt without doing anything.
    await p.press("B");
    await p.type("divergence");
    await p.press(ESC);
    frame = await p.waitFor((f) => !f.includes("break>"), "the prompt to close");
    expect(p.capturing).toBe(false);
    expect(frame).toContain("breakpoints: 2 step:charge_card (hit 1)");
    p.unmount();
  });

  it("takes keys typed faster than it redraws into the prompt, not as moves", async () => {
    const p = open();
    await p.waitFor((f) => f.includes("not started"), "the session");
    await p.burst("B", "s", "c", "tep:charge_card", ENTER);
    const frame = await p.waitFor(
      (f) => f.includes("breakpoint 2: sctep:charge_card") || f.includes("'sctep"),
      "the spec",
    );
    // The keys were typed into the prompt (a spec the session refuses), and nothing moved.
    expect(frame).toContain("0 steps run");
    expect(p.capturing).toBe(true);
    p.unmount();
  });

  it("reads no keys while another pane has the focus", async () => {
    const p = open({ focused: false });
    await p.waitFor((f) => f.includes("not started"), "the session");
    await p.press("c");
    await new Promise((r) => setTimeout(r, 100));
    expect(p.text()).toContain("0 steps run");
    p.unmount();
  });

  it("says how to pick a node when none is open", async () => {
    const p = renderPane(DebugPane, { store: store(), cwd: dir, width: 80, height: 24 });
    const frame = await p.waitFor((f) => f.includes("No node is open"), "the hint");
    expect(frame).toContain("Nodes pane (1)");
    p.unmount();
  });

  it("shows an invalid node's diagnostics instead of a session", async () => {
    const p = renderPane(DebugPane, {
      store: store(),
      cwd: ROOT,
      target: { node: "examples/invalid/unknown-name.vsp" },
    });
    const frame = await p.waitFor((f) => f.includes("cannot debug"), "the refusal");
    expect(frame).toMatch(/the node is invalid \(\d+ errors?\)/);
    // Each error with its place in the file, as vesper validate prints it.
    expect(frame).toMatch(/unknown-name\.vsp:\d+:\d+: error V\d+/);
    p.unmount();
  });

  for (const [width, height] of [
    [80, 24],
    [200, 50],
  ] as const) {
    it(`fits ${width}×${height} with the divergence, both sides and the source line`, async () => {
      const p = open({ width, height });
      await p.waitFor((f) => f.includes("REFERENCE"), "the session");
      await p.press("c");
      const frame = await p.waitFor((f) => f.includes("DIVERGENCE"), "the divergence");
      const lines = frame.split("\n");
      expect(lines.length).toBeLessThanOrEqual(height);
      for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(width);
      expect(rowWith(frame, "fee = 3.2 ", "fee = 3.19")).toBeDefined();
      expect(frame).toMatch(/▶64 {3}- step: compute_fee/);
      if (width >= 150) {
        // Room for three columns: the source beside the two runtimes.
        expect(rowWith(frame, "REFERENCE", "DIRECT", "SOURCE payment.vsp")).toBeDefined();
        expect(frame).toContain("first binding that differs: fee");
      } else {
        expect(frame).toMatch(/✗ fee {2}reference 3\.2 {2}direct 3\.19/);
      }
      p.unmount();
    });
  }

  it("draws without colour when color is false: markers, bold and inverse only", async () => {
    const p = open({ width: 100, height: 30, color: false });
    await p.waitFor((f) => f.includes("REFERENCE"), "the session");
    await p.press("c");
    await p.waitFor((f) => f.includes("DIVERGENCE"), "the divergence");
    expect(colourCodes(p.lastFrame())).toEqual([]);
    expect(p.lastFrame()).toContain(INVERSE);
    expect(p.text()).toContain("✗fee = 3.19");
    await p.press("d");
    await p.waitFor((f) => f.includes("DIFF after"), "the diff view");
    expect(colourCodes(p.lastFrame())).toEqual([]);
    p.unmount();
  });
});
