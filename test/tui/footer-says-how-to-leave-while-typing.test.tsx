import "./helpers/force-color.js";
import { afterAll, describe, expect, it } from "vitest";
import { App } from "../../tui/app.js";
import { renderAt, tick, until } from "./helpers/render-at.js";
import { tuiFixture } from "./helpers/tui-fixture.js";

// The footer ends with how to leave. While a pane reads text (the Nodes filter, the
// Debug breakpoint prompt) `q` and `?` are typed into it, so the footer must not
// offer "? keys  q quit" then: it once did, and pressing q typed a "q". In the `?`
// help, `?` closes the help, so the footer says that instead of "? keys".

const fx = tuiFixture({ runs: 0 });
afterAll(() => fx.store.close());

function open(columns = 80, rows = 24) {
  const h = renderAt(<App store={fx.store} cwd={fx.cwd} color={false} size={{ columns, rows }} />, columns, rows);
  const frame = () => h.lastFrame();
  const footer = () => frame().split("\n").at(-1) ?? "";
  const wait = (test: (f: string) => boolean, what: string) => until(() => test(frame()), what, frame);
  const press = async (key: string) => {
    h.stdin.write(key);
    await tick();
  };
  return { ...h, frame, footer, wait, press };
}

describe("the footer offers only keys that do what it says", () => {
  it("while the filter prompt reads text it says Ctrl-C quits, not q, and q is typed", async () => {
    const t = open();
    await t.wait((f) => f.includes("order_total"), "the Nodes table");
    expect(t.footer()).toContain("? keys  q quit");
    await t.press("/");
    await t.wait((f) => f.includes("Enter keep the filter"), "the filter prompt");
    expect(t.footer()).toContain("Ctrl-C quit");
    expect(t.footer()).not.toMatch(/\bq quit/);
    expect(t.footer()).not.toContain("? keys");
    await t.press("q");
    await t.wait((f) => f.includes("/q"), "q typed into the filter");
    await t.press("\u001b");
    await t.wait((f) => f.split("\n").at(-1)!.includes("? keys  q quit"), "the usual footer back");
    t.unmount();
  });

  it("in the ? help the footer says Esc or ? closes it", async () => {
    const t = open();
    await t.wait((f) => f.includes("order_total"), "the Nodes table");
    await t.press("?");
    await t.wait((f) => f.includes("Everywhere"), "help");
    expect(t.footer()).toContain("Esc/? close");
    expect(t.footer()).not.toContain("? keys");
    t.unmount();
  });
});
