import { afterAll, describe, expect, it } from "vitest";
import { App } from "../../tui/app.js";
import { oneKeyAtATime } from "../../tui/one-key-at-a-time.js";
import { renderAt, tick, until } from "./helpers/render-at.js";
import { tuiFixture } from "./helpers/tui-fixture.js";

// Esc followed at once by another key in one write (tmux send-keys Escape Down, a
// paste) once read as Meta+Down in Ink's parser: `?` help stayed open and the Esc was
// lost. With stdin read one key at a time as veyra tui reads it, the Esc is its own
// key and the key after it follows. Arrow keys (CSI sequences) still read whole.

const fx = tuiFixture({ runs: 0 });
afterAll(() => fx.store.close());

function open() {
  const h = renderAt(<App store={fx.store} cwd={fx.cwd} color={false} size={{ columns: 100, rows: 30 }} />, 100, 30);
  oneKeyAtATime(h.stdin as unknown as NodeJS.ReadStream);
  const frame = () => h.lastFrame();
  const wait = (test: (f: string) => boolean, what: string) => until(() => test(frame()), what, frame);
  return { ...h, frame, wait };
}

const DOWN = "\u001b[B";

describe("Esc and the key after it, written at once", () => {
  it("closes ? help, then the next key acts in the pane", async () => {
    const t = open();
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
    const t = open();
    await t.wait((f) => f.includes("order_total") && !f.includes("reading the .vsp files"), "the Nodes table");
    t.stdin.write(`${DOWN}?`);
    await t.wait((f) => f.includes("Everywhere"), "help after Down");
    t.stdin.write("\u001b");
    await tick();
    await t.wait((f) => !f.includes("Everywhere") && f.includes("duplicate-key.vsp:"), "Down had moved the selection");
    t.unmount();
  });
});
