import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TraceStore } from "../../src/store/store.js";
import { NodesPane } from "../../tui/panes/nodes.js";
import { ROOT } from "../helpers/cli.js";
import { ENTER, ESC, renderPane } from "./render-pane.js";

// The Nodes pane with no nodes once listed `↑↓ select  Enter open in Debug  t
// differential test` in its footer, keys that do nothing without a row; so did a
// filter that matches nothing. The footer offers only keys that act.

let store: TraceStore | undefined;
afterEach(() => store?.close());

function folder(withNode: boolean) {
  const dir = mkdtempSync(join(tmpdir(), "vesper-nodes-keys-"));
  store = TraceStore.open(join(dir, "store.db"));
  const cwd = join(dir, "work");
  mkdirSync(cwd);
  if (withNode) copyFileSync(join(ROOT, "examples/order_total.vsp"), join(cwd, "order_total.vsp"));
  return renderPane(NodesPane, { store, cwd, width: 100, height: 20 });
}

const keys = (p: { keys: { keys: string }[] }) => p.keys.map((k) => k.keys);

describe("the Nodes pane's keys", () => {
  it("with no nodes, only reload", async () => {
    const p = folder(false);
    await p.waitFor((f) => f.includes("No .vsp files under"), "the empty pane");
    expect(keys(p)).toEqual(["r"]);
    p.unmount();
  });

  it("with nodes, the row keys; with a filter that matches none, only the filter's and reload", async () => {
    const p = folder(true);
    await p.waitFor((f) => f.includes("order_total.vsp"), "the table");
    expect(keys(p)).toEqual(["↑↓", "Enter", "t", "/", "r"]);
    await p.press("/");
    await p.type("zzz");
    await p.press(ENTER);
    await p.waitFor((f) => f.includes("/zzz") && !f.includes("order_total.vsp"), "the filter kept");
    expect(keys(p)).toEqual(["/", "r", "Esc"]);
    await p.press(ESC);
    await p.waitFor((f) => f.includes("order_total.vsp"), "the filter cleared");
    expect(keys(p)).toEqual(["↑↓", "Enter", "t", "/", "r"]);
    p.unmount();
  });
});
