import "./helpers/force-color.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openTelemetrySink } from "../../src/seeds/telemetry-sink.js";
import { TraceStore } from "../../src/store/store.js";
import { chartRows } from "../../tui/components/braille-chart.js";
import { cells } from "../../tui/components/text.js";
import { SeedsPane } from "../../tui/panes/seeds/index.js";
import { header, writeEpochs, writeRun } from "../fixtures/synthetic-seed-run.mjs";
import { colourCodes } from "./colour.js";
import { ENTER, ESC, type PaneSetup, renderPane } from "./render-pane.js";

const DOWN = "\u001B[B";

// The Seeds pane against a temporary store written through the real telemetry
// sink (hand-built records shaped like the trainer's): the runs list, opening a
// run, the seeds table with stages and gates (values against limits), the charts
// with the baseline series, a chart that grows while the run writes, the event
// log, the keys, 80×24 and 200×50 frames, and no colour under NO_COLOR.

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0).reverse()) c();
});

function fresh() {
  const path = join(mkdtempSync(join(tmpdir(), "tui-seeds-")), "store.db");
  const store = TraceStore.open(path);
  closers.push(() => store.close());
  return { path, store };
}

/** Two finished runs: sr_old (no baseline), then sr_new (7 epochs, with a baseline). */
function twoRuns() {
  const s = fresh();
  const sink = openTelemetrySink(s.store);
  writeRun(sink, "sr_old", { epochs: 3 });
  writeRun(sink, "sr_new", { epochs: 7, baseline: true });
  sink.close();
  return s;
}

function open(setup: Omit<PaneSetup, "cwd">) {
  const p = renderPane(SeedsPane, { cwd: tmpdir(), ...setup });
  closers.push(() => p.unmount());
  return p;
}

/** The chart rows of a frame (the lines with a y axis). */
const plot = (frame: string) => frame.split("\n").filter((l) => l.includes("│"));

describe("the Seeds pane", () => {
  it("lists the runs newest first with status, epochs, test accuracy against the baseline and the seeds' stages; Enter opens one", async () => {
    const { path } = twoRuns();
    const p = open({ store: path, width: 120, height: 30 });
    const f = await p.waitFor((t) => t.includes("sr_old"), "the runs list");
    const lines = f.split("\n");
    const newer = lines.findIndex((l) => l.includes("sr_new"));
    const older = lines.findIndex((l) => l.includes("sr_old"));
    expect(newer).toBeGreaterThan(0);
    expect(newer).toBeLessThan(older);
    expect(lines[newer]).toMatch(
      /✓ sr_new\s+finished\s+spirals\s+7\/7\s+94\.0% \(\+9\.0 vs baseline\)\s+s0 FOSSILIZED/,
    );
    expect(lines[older]).toMatch(/sr_old\s+finished\s+spirals\s+3\/3\s+74\.0%\s+s0 GRAFTING α=0\.50/);
    expect(p.keys.map((k) => k.keys)).toContain("Enter");
    await p.press(DOWN);
    await p.press(ENTER);
    await p.waitFor((t) => t.includes("sr_old  epoch 3/3  test 74.0%  finished  spirals"), "sr_old opened");
    expect(p.keys.map((k) => k.keys)).toEqual(expect.arrayContaining(["Esc", "l", "s"]));
    await p.press(ESC);
    await p.waitFor((t) => t.includes("sr_new") && t.includes("test acc."), "back to the list");
  });

  it("opens the run it is asked for: the seeds table with stage, alpha and the last gate's values against its limits; the charts with the baseline; the event log", async () => {
    const { path } = twoRuns();
    const p = open({ store: path, width: 120, height: 40, target: { run: "sr_new" } });
    const f = await p.waitFor((t) => t.includes("epoch 7/7"), "sr_new");
    expect(f).toContain("test 94.0% vs baseline 85.0% (+9.0 points)");
    expect(f).toMatch(/seed\s+slot\s+blueprint\s+stage\s+alpha\s+gate\s+measured; limits/);
    expect(f).toMatch(/s0\s+h1\s+bottleneck\s+FOSSILIZED\s+1\.00\s+G0 ✓\s+norm 0\.971; limits norm 10/);
    expect(f).toMatch(/loss\s+accuracy %/);
    // Train solid, test dotted, the baseline sparse: named in each chart's legend.
    expect(f.match(/⠒⠒ train {2}⠂⠂ test {2}⠂⠀ baseline test/g)).toHaveLength(2);
    expect(f).toContain("e7  s0 FINE_TUNING → FOSSILIZED (bottleneck in h1): G0 passed");
    expect(f).toContain("e7  policy: advance s0: plateau 0.07 below 0.05");
    expect(f).toContain("e7  run finished: all epochs done");
    // Routine events (a held isolation check, checkpoints) stay out of the log.
    expect(f).not.toContain("isolation ✓ held");
    // The x axis runs over the epochs written.
    expect(f).toMatch(/\n\s+1\s+7\s+1\s+7\n/);
  });

  it("a run without a baseline draws train and test only", async () => {
    const { path } = twoRuns();
    const p = open({ store: path, width: 120, height: 30, target: { run: "sr_old" } });
    const f = await p.waitFor((t) => t.includes("epoch 3/3"), "sr_old");
    expect(f).toContain("⠒⠒ train  ⠂⠂ test");
    expect(f).not.toContain("baseline test");
  });

  it("opens the newest running run by itself, and its charts grow as the run writes more epochs", async () => {
    const { path, store } = twoRuns();
    const sink = openTelemetrySink(store);
    closers.push(() => sink.close());
    sink.startRun(header("sr_live", { epochs: 10, baseline: true }));
    let seq = writeEpochs(sink, "sr_live", 1, 2, { baseline: true });
    sink.flush();
    const p = open({ store: path, width: 120, height: 40 });
    const before = await p.waitFor(
      (t) => t.includes("sr_live  epoch 2/10  test 69.0% vs baseline 65.0% (+4.0 points)  running  spirals"),
      "the live run",
    );
    expect(before).toMatch(/\n\s+1\s+2\s+1\s+2\n/);
    seq = writeEpochs(sink, "sr_live", 3, 5, { baseline: true, firstSeq: seq });
    sink.flush();
    const after = await p.waitFor((t) => t.includes("epoch 5/10"), "epochs 3–5 on screen");
    expect(plot(after)).not.toEqual(plot(before));
    expect(after).toMatch(/\n\s+1\s+5\s+1\s+5\n/);
    expect(after).toContain("e5  s0 STABILIZATION → EVALUATING (bottleneck in h1): G4 passed");
    expect(after).toMatch(/s0\s+h1\s+bottleneck\s+EVALUATING/);
  });

  it("l toggles log-y on the loss chart, s cycles the smoothing, ↑ scrolls the event log back and End follows again", async () => {
    const { path } = twoRuns();
    const p = open({ store: path, width: 120, height: 30, target: { run: "sr_new" } });
    await p.waitFor((t) => t.includes("epoch 7/7"), "sr_new");
    await p.press("l");
    let f = await p.waitFor((t) => t.includes("log y"), "log-y");
    expect(f.match(/log y/g)).toHaveLength(1);
    await p.press("s");
    f = await p.waitFor((t) => t.includes("EMA 0.3"), "EMA 0.3");
    expect(f.match(/EMA 0\.3/g)).toHaveLength(2);
    await p.press("s");
    await p.waitFor((t) => t.includes("EMA 0.6"), "EMA 0.6");
    await p.press("\u001B[A");
    f = await p.waitFor((t) => t.includes("scrolled back"), "scrolled back");
    expect(f).not.toContain("run finished: all epochs done");
    await p.press("\u001B[F");
    await p.waitFor((t) => t.includes("run finished: all epochs done") && !t.includes("scrolled back"), "following");
  });

  it("names an unknown run it was asked to open", async () => {
    const { path } = twoRuns();
    const p = open({ store: path, width: 100, height: 30, target: { run: "sr_nope" } });
    const f = await p.waitFor((t) => t.includes("could not be read"), "the problem");
    expect(f).toContain("sr_nope");
    expect(f).toContain("sr_old");
  });

  it("says how to record a run when the store has none", async () => {
    const { path } = fresh();
    const p = open({ store: path, width: 80, height: 24 });
    await p.waitFor((t) => t.includes("No seed runs recorded yet"), "the empty list");
  });

  for (const [width, height] of [
    [80, 24],
    [200, 50],
  ] as const) {
    it(`at ${width}×${height}: everything fits, the table keeps its key columns, the charts sit side by side`, async () => {
      const { path } = twoRuns();
      const p = open({ store: path, width, height, target: { run: "sr_new" } });
      const f = await p.waitFor((t) => t.includes("epoch 7/7"), "sr_new");
      const lines = f.split("\n");
      expect(lines.length).toBeLessThanOrEqual(height);
      for (const l of lines) expect(cells(l)).toBeLessThanOrEqual(width);
      expect(f).toMatch(/s0\s+h1\s+bottleneck\s+FOSSILIZED\s+1\.00\s+G0 ✓/);
      expect(f).toMatch(/^loss\s+accuracy %/m);
      // Side by side: each plot row holds both charts' y axes.
      const rows = plot(f);
      expect(rows.every((l) => l.split("│").length === 3)).toBe(true);
      expect(rows.length).toBeGreaterThanOrEqual(height >= 40 ? 16 : 6);
      // The header, cut or not, ends at a whole word.
      const full = "✓ sr_new  epoch 7/7  test 94.0% vs baseline 85.0% (+9.0 points)  finished  spirals";
      const head = lines[0]!.trimEnd();
      if (head.endsWith("…")) expect(`${full} `.startsWith(`${head.slice(0, -1)} `)).toBe(true);
      else expect(head).toBe(full);
      expect(f).toContain("events");
    });
  }

  it("draws no colour without it (series told apart by line style and legend), and colour with it", async () => {
    const { path } = twoRuns();
    const coloured = open({ store: path, width: 120, height: 30, target: { run: "sr_new" }, color: true });
    await coloured.waitFor((t) => t.includes("epoch 7/7"), "sr_new in colour");
    expect(colourCodes(coloured.lastFrame()).length).toBeGreaterThan(0);
    const bare = open({ store: path, width: 120, height: 30, target: { run: "sr_new" }, color: false });
    const f = await bare.waitFor((t) => t.includes("epoch 7/7"), "sr_new without colour");
    expect(colourCodes(bare.lastFrame())).toEqual([]);
    expect(f).toContain("⠒⠒ train  ⠂⠂ test  ⠂⠀ baseline test");
  });
});

// At 40×12 the Seeds pane's stacked charts once lost their titles (loss, accuracy %)
// and drew the x range on the legend's line: their parts added up to more rows than
// the chart had, and Ink cut what did not fit. On a short chart the legend now gives
// up its rows first; the title is the last thing to go.

describe("a short braille chart", () => {
  it("shares its rows so the parts never add up to more than its height, the title kept first (every height to 30)", () => {
    for (let height = 0; height <= 30; height++)
      for (const hasTitle of [true, false])
        for (let legend = 0; legend <= 4; legend++) {
          const fit = chartRows(height, hasTitle, legend);
          const used = Number(fit.title) + fit.plot + Number(fit.axis) + fit.legend;
          expect(used).toBeLessThanOrEqual(height);
          expect(fit.title).toBe(hasTitle && height > 0);
          // The title, one plot row, the x range, then the legend: each only once the ones before it fit.
          if (height > Number(fit.title)) expect(fit.plot).toBeGreaterThanOrEqual(1);
          if (fit.legend > 0) expect(fit.axis).toBe(true);
          expect(fit.legend).toBeLessThanOrEqual(Math.min(legend, Math.max(1, Math.floor(height / 3))));
          // Nothing is left unused while the plot could have it.
          if (height > 0) expect(used).toBe(height);
        }
  });

  it("at 40×12 in the Seeds pane: both titles, each x range on its own line, nothing past the screen", async () => {
    const { path, store } = fresh();
    const sink = openTelemetrySink(store);
    writeRun(sink, "sr_new", { epochs: 7, baseline: true });
    sink.close();
    const p = open({ store: path, width: 40, height: 12, color: false, target: { run: "sr_new" } });
    const frame = await p.waitFor((t) => t.includes("epoch 7/7"), "the run open");
    const lines = p.text().split("\n");
    expect(lines.length).toBeLessThanOrEqual(12);
    for (const l of lines) expect(cells(l)).toBeLessThanOrEqual(40);
    expect(lines.map((l) => l.trimEnd())).toEqual(expect.arrayContaining(["loss", "accuracy %"]));
    const loss = lines.findIndex((l) => l.trimEnd() === "loss");
    const accuracy = lines.findIndex((l) => l.trimEnd() === "accuracy %");
    // Under each title: a plot row, then the x range (epochs 1 to 7) alone on its line.
    for (const at of [loss, accuracy]) {
      expect(lines[at + 1]).toContain("│");
      expect(lines[at + 2]).toMatch(/^\s+1\s+7\s*$/);
    }
    expect(frame).toContain("events");
  });
});
