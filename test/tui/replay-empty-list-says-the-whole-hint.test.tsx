import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TraceStore } from "../../src/store/store.js";
import { ReplayPane } from "../../tui/panes/replay/index.js";
import { renderPane } from "./render-pane.js";

// With an empty store the Replay pane says how to get a trace. At 80 columns the hint
// was cut ("…or debug one in the Debug…"), losing where to go; it wraps on words now.

describe("the Replay pane with an empty store", () => {
  for (const width of [80, 40]) {
    it(`says the whole hint at ${width} columns, wrapped on words within the width`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "tui-replay-empty-"));
      const store = TraceStore.open(join(dir, "store.db"));
      const p = renderPane(ReplayPane, { store, cwd: dir, width, height: 12 });
      const frame = await p.waitFor((f) => f.includes("No traces recorded yet"), "the empty list");
      expect(frame.replace(/\s+/g, " ")).toContain("debug one in the Debug pane.");
      expect(frame).not.toContain("…");
      for (const l of frame.split("\n")) expect(l.length).toBeLessThanOrEqual(width);
      p.unmount();
      store.close();
    });
  }
});
