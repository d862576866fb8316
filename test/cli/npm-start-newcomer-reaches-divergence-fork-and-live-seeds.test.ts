import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { hasTmux, terminal } from "../helpers/tmux.js";

// What `npm start` promises a newcomer at a terminal, done the way a person would do
// it, on a fresh store, with only the keys the footers show: a seed run's chart
// growing live (pane 4), a divergence side by side with its source line (Nodes →
// filter → Enter → c), and a fork's diff in Replay (a timed-out payment: edit the
// charge's timeout, fork). Then q gives the terminal back. Runs `node scripts/start.mjs`
// (what `npm start` runs) so npm's own start-up stays out of it.

const title = hasTmux
  ? "npm start in a real terminal (tmux): the newcomer's path"
  : "npm start in a real terminal (skipped: tmux is not installed)";

/** Braille cells on the screen: the charts' ink. */
const braille = (s: string) => [...s].filter((c) => c >= "\u2801" && c <= "\u28ff").length;
/** The open seed run's epoch counter in the Seeds pane header, e.g. "epoch 12/60". */
const epochOf = (s: string) => Number(/epoch (\d+)\/\d+/.exec(s)?.[1] ?? Number.NaN);

describe.skipIf(!hasTmux)(title, () => {
  const t = terminal("npm-start");
  afterAll(() => t.close());

  it("reaches a growing seed chart, a divergence beside its source line, and a fork's diff; q restores the shell", async () => {
    const store = join(mkdtempSync(join(tmpdir(), "npm-start-")), "store.db");
    const keys = (...k: string[]) => t.tmux("send-keys", "-t", "s", ...k);
    const type = (text: string) => t.tmux("send-keys", "-t", "s", "-l", text);
    t.tmux("new-session", "-d", "-s", "s", "-x", "120", "-y", "40", "-c", ROOT, "sh");
    keys(`env -u CI -u CONTINUOUS_INTEGRATION VEYRA_STORE=${store} node scripts/start.mjs; echo "exit=$?"`, "Enter");
    await t.waitFor((s) => s.includes("one_pass_variance") && s.includes("t differential test"), "the Nodes pane");

    // 4: the demo run opens by itself; its charts grow while it trains.
    keys("4");
    const first = await t.waitFor((s) => epochOf(s) > 0 && braille(s) > 0, "the demo run in the Seeds pane");
    expect(epochOf(first)).toBeLessThan(60);
    await t.waitFor(
      (s) => epochOf(s) > epochOf(first) && braille(s) > braille(first),
      "the chart to grow with later epochs",
    );

    // 1 → filter → Enter opens the diverging node in Debug; c continues to the divergence.
    keys("1");
    await t.waitFor((s) => s.includes("t differential test"), "the Nodes pane again");
    keys("/");
    await t.waitFor((s) => s.includes("Enter keep the filter"), "the filter prompt");
    // Typed, kept and opened without waiting for a redraw, as a fast typist does.
    type("one_pass");
    keys("Enter");
    keys("Enter");
    await t.waitFor((s) => s.includes("DEBUG telemetry.one_pass_variance"), "the Debug pane on the node");
    keys("c");
    const debug = await t.waitFor((s) => s.includes("DIVERGENCE at #2 one_pass"), "the divergence");
    expect(debug).toMatch(/REFERENCE .*one_pass.*│ DIRECT .*one_pass/);
    expect(debug).toMatch(/variance_one_pass\s+reference 0\.0146484375\s+direct -1\.0791015625/);
    expect(debug).toMatch(/^▶34 {3}- step: one_pass$/m);

    // 3: the timed-out payment; edit step 4's timeout_ms, fork, and the diff shows the charge succeeding.
    keys("3");
    await t.waitFor((s) => s.includes("payments.process_payment"), "the trace list");
    keys("/");
    type("payment");
    await t.waitFor((s) => s.includes("filter> payment"), "the typed filter");
    keys("Enter");
    await t.waitFor((s) => /▶ tr_\w+ .*payments\.process_payment/.test(s), "the payment trace selected");
    keys("Enter");
    await t.waitFor((s) => s.includes("e edit"), "the timeline");
    keys("e");
    await t.waitFor((s) => s.includes("EDIT"), "the edit form");
    keys("BSpace");
    type("4");
    keys("Tab");
    type("timeout_ms");
    keys("Tab");
    type("4500");
    keys("Enter");
    await t.waitFor((s) => s.includes("f fork") && !s.includes("EDIT "), "the edit saved");
    keys("f");
    const diff = await t.waitFor((s) => s.includes("DIFF fork"), "the fork's diff");
    expect(diff).toMatch(/- runtime_error\s+\+ success/);

    keys("q");
    await t.waitFor((s) => s.includes("exit=0"), "the shell after q");
    expect(t.tmux("display", "-p", "-t", "s", "#{alternate_on} #{cursor_flag}").stdout.trim()).toBe("0 1");
  }, 120_000);
});
