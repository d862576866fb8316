import "./helpers/force-color.js";
import { afterAll, describe, expect, it } from "vitest";
import { App } from "../../tui/app.js";
import { cells } from "../../tui/components/text.js";
import { renderAt, tick, until } from "./helpers/render-at.js";
import { COLOUR_CODE, tuiFixture } from "./helpers/tui-fixture.js";

const fx = tuiFixture({ runs: 2 });
afterAll(() => fx.store.close());

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing escape sequences is the point
const plain = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");

function open(columns: number, rows: number, color = false) {
  const h = renderAt(<App store={fx.store} cwd={fx.cwd} color={color} size={{ columns, rows }} />, columns, rows);
  const frame = () => h.lastFrame();
  // The pane validates the files in slices: a frame is judged once all are read.
  const wait = (test: (f: string) => boolean, what: string) =>
    until(() => !plain(frame()).includes("reading the .vsp files") && test(plain(frame())), what, frame);
  return { ...h, frame, wait };
}

describe("the Nodes pane: files under the folder and nodes in the store, tested with a progress bar", () => {
  for (const [columns, rows] of [
    [80, 24],
    [200, 50],
  ] as const) {
    it(`at ${columns}×${rows}: validity, executions and the invalid file's problem, nothing wider than the screen`, async () => {
      const t = open(columns, rows);
      await t.wait((f) => f.includes("order_total"), "the table");
      const f = plain(t.frame());
      const lines = f.split("\n");
      expect(lines.length).toBeLessThanOrEqual(rows);
      for (const l of lines) expect(cells(l)).toBeLessThanOrEqual(columns);
      const valid = lines.find((l) => l.includes("nodes/order_total.vsp"))!;
      // Two dual_verify runs: each ran both runtimes.
      expect(valid).toMatch(/\bok\b.*\b4\s+0\s*$/);
      const invalid = lines.find((l) => l.includes("duplicate-key"))!;
      expect(invalid).toContain("✗ 1");
      expect(f).not.toContain("refund");
      expect(t.frame()).not.toMatch(COLOUR_CODE);
      t.unmount();
    });
  }

  it("draws colour only when allowed: the same frame with colour has colour codes, under NO_COLOR none", async () => {
    const coloured = open(100, 30, true);
    await coloured.wait((f) => f.includes("order_total"), "the table");
    expect(coloured.frame()).toMatch(COLOUR_CODE);
    coloured.unmount();
    const bare = open(100, 30, false);
    await bare.wait((f) => f.includes("order_total"), "the table");
    expect(bare.frame()).not.toMatch(COLOUR_CODE);
    // The selection still shows: inverse video.
    expect(bare.frame()).toContain("\u001b[7m");
    bare.unmount();
  });

  it("t runs a differential test with a progress bar; the result and the new evidence show when it ends", async () => {
    const t = open(100, 30);
    await t.wait((f) => f.includes("order_total"), "the table");
    t.stdin.write("t");
    await t.wait((f) => /testing shop\.order_total/.test(f) || /1000 inputs/.test(f), "the test to start");
    await t.wait((f) => /shop\.order_total@1\.0\.0: 1000 inputs, agreed \d+/.test(f), "the test's result");
    const row = plain(t.frame())
      .split("\n")
      .find((l) => l.includes("nodes/order_total.vsp"))!;
    // Confidence above 0 now: 1000 comparisons.
    expect(row).toMatch(/0\.\d{3}/);
    expect(row).not.toMatch(/\s—\s+4\s+0\s*$/);
    // The confidence and the recommended mode have a line of their own (one line cut them off at 100 columns),
    // and with no mode set the hint says what the evidence recommends and the command that sets it.
    const frame = plain(t.frame());
    expect(frame).toMatch(/confidence 0\.\d{3}, recommended mode \w+/);
    expect(frame).toMatch(/shop\.order_total@1\.0\.0: no mode set; confidence 0\.\d{3} recommends \w+: vesper mode/);
    t.unmount();
  });

  it("Esc stops a running test; what ran is counted and the result says it stopped", async () => {
    const t = open(100, 30);
    await t.wait((f) => f.includes("order_total"), "the table");
    t.stdin.write("t");
    await t.wait((f) => f.includes("Esc stop the test"), "the test to run");
    await tick();
    t.stdin.write("\u001b");
    await t.wait((f) => /stopped after \d+ of 1000 inputs/.test(f), "the stopped result");
    t.unmount();
  });
});
