import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openTelemetrySink } from "../../src/seeds/telemetry-sink.js";
import { TraceStore } from "../../src/store/store.js";
import { chartRows } from "../../tui/components/braille-chart.js";
import { cells } from "../../tui/components/text.js";
import { SeedsPane } from "../../tui/panes/seeds/index.js";
import { writeRun } from "../fixtures/synthetic-seed-run.mjs";
import { renderPane } from "./render-pane.js";

// At 40×12 the Seeds pane's stacked charts once lost their titles (loss, accuracy %)
// and drew the x range on the legend's line: their parts added up to more rows than
// the chart had, and Ink cut what did not fit. On a short chart the legend now gives
// up its rows first; the title is the last thing to go.

let store: TraceStore | undefined;
afterEach(() => store?.close());

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
    const path = join(mkdtempSync(join(tmpdir(), "tui-seeds-short-")), "store.db");
    store = TraceStore.open(path);
    const sink = openTelemetrySink(store);
    writeRun(sink, "sr_new", { epochs: 7, baseline: true });
    sink.close();
    const p = renderPane(SeedsPane, { cwd: tmpdir(), store: path, width: 40, height: 12, target: { run: "sr_new" } });
    const frame = await p.waitFor((t) => t.includes("epoch 7/7"), "the run open");
    p.unmount();
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
