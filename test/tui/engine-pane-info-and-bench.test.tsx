import "./helpers/force-color.js";
import { afterAll, describe, expect, it } from "vitest";
import { App } from "../../tui/app.js";
import { cells } from "../../tui/components/text.js";
import { renderAt, until } from "./helpers/render-at.js";
import { COLOUR_CODE, tuiFixture } from "./helpers/tui-fixture.js";

const fx = tuiFixture({ runs: 0 });
afterAll(() => fx.store.close());

function open(columns: number, rows: number) {
  const h = renderAt(
    <App store={fx.store} cwd={fx.cwd} color={false} pane="engine" size={{ columns, rows }} />,
    columns,
    rows,
  );
  const frame = () => h.lastFrame();
  const wait = (test: (f: string) => boolean, what: string) => until(() => test(frame()), what, frame);
  return { ...h, frame, wait };
}

describe("the Engine pane: the active backend, why the others are not, and the bench", () => {
  for (const [columns, rows] of [
    [80, 24],
    [200, 50],
  ] as const) {
    it(`at ${columns}×${rows}: the backend and every other backend's reason; B runs the quick bench into a table`, async () => {
      const t = open(columns, rows);
      await t.wait((f) => f.includes("Active backend:"), "the engine's info");
      for (const b of ["tensorflow", "webgpu", "wasm", "cpu"]) expect(t.frame()).toContain(b);
      expect(t.frame()).toMatch(/▶ \S+\s+active/);
      t.stdin.write("B");
      await t.wait((f) => f.includes("Quick bench: the figures show"), "the bench's results");
      const f = t.frame();
      for (const w of ["matmul", "elementwise", "softmax", "MLP"]) expect(f).toContain(w);
      const lines = f.split("\n");
      expect(lines.length).toBeLessThanOrEqual(rows);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing escape sequences is the point
      for (const l of lines) expect(cells(l.replace(/\u001b\[[0-9;]*m/g, ""))).toBeLessThanOrEqual(columns);
      expect(f).not.toMatch(COLOUR_CODE);
      t.unmount();
    });
  }
});
