import "./helpers/force-color.js";
import { afterAll, describe, expect, it } from "vitest";
import { App } from "../../tui/app.js";
import { oneKeyAtATime } from "../../tui/one-key-at-a-time.js";
import { renderAt, tick, until } from "./helpers/render-at.js";
import { tuiFixture } from "./helpers/tui-fixture.js";

const fx = tuiFixture({ runs: 0 });
afterAll(() => fx.store.close());

function open(columns = 100, rows = 30) {
  const h = renderAt(<App store={fx.store} cwd={fx.cwd} color={false} size={{ columns, rows }} />, columns, rows);
  const frame = () => h.lastFrame();
  const wait = (test: (f: string) => boolean, what: string) => until(() => test(frame()), what, frame);
  const press = async (key: string) => {
    h.stdin.write(key);
    await tick();
  };
  return { ...h, frame, wait, press };
}

/** The first line: the tab bar; the active tab is the one whose title is shown at narrow widths too. */
const tabBar = (frame: string) => frame.split("\n")[0]!;

describe("the shell: panes by number and Tab, ? for keys, Esc back, q quits, capturing panes get every key", () => {
  it("1–5 switch panes, Tab and Shift-Tab cycle, each pane lists its keys in the footer", async () => {
    const t = open();
    // The row keys are offered once the table has rows (the footer follows the table by a frame).
    await t.wait((f) => f.includes("order_total") && f.includes("t differential test"), "the Nodes table and keys");
    await t.press("4");
    await t.wait((f) => f.includes("No seed runs recorded yet"), "Seeds");
    await t.wait((f) => f.includes("Enter open the run"), "the Seeds keys in the footer");
    await t.press("2");
    await t.wait((f) => f.includes("No node is open"), "Debug");
    await t.press("\t");
    await t.wait((f) => f.includes("No traces recorded yet"), "Replay after Tab");
    await t.press("\u001b[Z");
    await t.wait((f) => f.includes("No node is open"), "Debug after Shift-Tab");
    await t.press("5");
    await t.wait((f) => f.includes("Active backend:") || f.includes("Starting the engine"), "Engine");
    await t.wait((f) => f.includes("b run the bench"), "the Engine pane's keys in the footer");
    await t.press("1");
    await t.wait((f) => f.includes("order_total"), "Nodes again");
    t.unmount();
  });

  it("? shows the focused pane's keys and the shell's, Esc closes it", async () => {
    const t = open();
    await t.wait((f) => f.includes("order_total") && f.includes("t differential test"), "the Nodes table and keys");
    await t.press("?");
    await t.wait((f) => f.includes("Nodes pane") && f.includes("Everywhere"), "help");
    expect(t.frame()).toContain("differential test");
    expect(t.frame()).toContain("next pane (Shift-Tab: previous)");
    await t.press("\u001b");
    await t.wait((f) => !f.includes("Everywhere") && f.includes("order_total"), "help closed");
    t.unmount();
  });

  it("Esc goes back to the pane before, and Enter on a node opens it in Debug", async () => {
    const t = open();
    await t.wait((f) => f.includes("order_total"), "the Nodes table");
    await t.press("\r");
    await t.wait(
      (f) => f.includes("shop.order_total@1.0.0 · sample") && f.includes("nodes/order_total.vsp"),
      "Debug asked to open the file",
    );
    await t.press("\u001b");
    await t.wait((f) => f.includes("t differential test"), "back in Nodes");
    t.unmount();
  });

  it("while a pane reads text (the / filter), 1–5, q and ? are typed into it", async () => {
    const t = open();
    await t.wait((f) => f.includes("order_total"), "the Nodes table");
    await t.press("/");
    await t.wait((f) => f.includes("Enter keep the filter"), "the filter prompt");
    for (const k of ["q", "2", "?"]) await t.press(k);
    await t.wait((f) => f.includes("/q2?"), "the typed filter");
    expect(tabBar(t.frame())).toMatch(/1 Nodes/);
    expect(t.frame()).not.toContain("Debug pane");
    await t.press("\u001b");
    await t.wait(
      (f) => !f.includes("/q2?") && f.includes("t differential test"),
      "filter cleared, the pane's keys back",
    );
    // Out of the prompt, q quits.
    const exited = t.waitUntilExit();
    await t.press("q");
    await expect(exited).resolves.toBeUndefined();
  });
});

// Esc followed at once by another key in one write (tmux send-keys Escape Down, a
// paste) once read as Meta+Down in Ink's parser: `?` help stayed open and the Esc was
// lost. With stdin read one key at a time as veyra tui reads it, the Esc is its own
// key and the key after it follows. Arrow keys (CSI sequences) still read whole.

function openReadingOneKeyAtATime() {
  const h = renderAt(<App store={fx.store} cwd={fx.cwd} color={false} size={{ columns: 100, rows: 30 }} />, 100, 30);
  oneKeyAtATime(h.stdin as unknown as NodeJS.ReadStream);
  const frame = () => h.lastFrame();
  const wait = (test: (f: string) => boolean, what: string) => until(() => test(frame()), what, frame);
  return { ...h, frame, wait };
}

const DOWN = "\u001b[B";

describe("Esc and the key after it, written at once", () => {
  it("closes ? help, then the next key acts in the pane", async () => {
    const t = openReadingOneKeyAtATime();
    await t.wait((f) => f.includes("order_total") && !f.includes("reading the .vsp files"), "the Nodes table");
    t.stdin.write("?");
    await t.wait((f) => f.includes("Everywhere"), "help");
    // Down moves the selection to the invalid file, whose problem the status line then shows.
    t.stdin.write(`\u001b${DOWN}`);
    await t.wait((f) => !f.includes("Everywhere") && f.includes("duplicate-key.vsp:"), "help closed, Down");
    expect(t.frame()).toContain("order_total");
    t.unmount();
  });

  it("an arrow key written with the keys around it still reads as the arrow", async () => {
    const t = openReadingOneKeyAtATime();
    await t.wait((f) => f.includes("order_total") && !f.includes("reading the .vsp files"), "the Nodes table");
    t.stdin.write(`${DOWN}?`);
    await t.wait((f) => f.includes("Everywhere"), "help after Down");
    t.stdin.write("\u001b");
    await tick();
    await t.wait((f) => !f.includes("Everywhere") && f.includes("duplicate-key.vsp:"), "Down had moved the selection");
    t.unmount();
  });
});
