import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";
import { hasTmux, terminal } from "../helpers/tmux.js";

describe("veyra tui: refuses without a terminal, and always gives the terminal back", () => {
  it("not at a terminal it explains and exits 2", () => {
    const r = cli("veyra", ["tui"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^veyra: error: the TUI needs a terminal, and its standard input and standard output are not one/,
    );
    expect(r.stdout).toBe("");
  });

  it("a bad --pane names the flag and the choices, and exits 2", () => {
    const r = cli("veyra", ["tui", "--pane", "engin"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "veyra: error: --pane must be one of nodes, debug, replay, seeds, engine, not 'engin'; did you mean 'engine'?\n",
    );
  });

  it("--help shows the flags, the panes and the exit statuses", () => {
    const r = cli("veyra", ["tui", "--help"]);
    expect(r.status).toBe(0);
    for (const flag of ["--store", "--pane", "--node", "--trace", "--run", "--no-color"])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain("Exit status: 0 after q or Ctrl-C, 2 for bad usage");
  });
});

describe.skipIf(!hasTmux)("veyra tui in a real terminal (tmux)", () => {
  let t: ReturnType<typeof terminal> | undefined;
  afterEach(() => {
    t?.close();
    t = undefined;
  });

  /** Starts `veyra tui` in tmux at 80×24; the shell runs it, so the shell's own state is what comes back. */
  async function start(name: string) {
    t = terminal(name);
    const dir = mkdtempSync(join(tmpdir(), "tui-tmux-"));
    const store = join(dir, "store.db");
    t.tmux("new-session", "-d", "-s", "s", "-x", "80", "-y", "24", "-c", ROOT, "sh");
    t.tmux(
      "send-keys",
      "-t",
      "s",
      `env -u CI -u CONTINUOUS_INTEGRATION NO_COLOR=1 node bin/veyra.js tui --store ${store}; echo "exit=$?"`,
      "Enter",
    );
    await t.waitFor((s) => s.includes("t differential test"), "the Nodes pane");
    const state = () => t!.tmux("display", "-p", "-t", "s", "#{alternate_on} #{cursor_flag}").stdout.trim();
    expect(state()).toBe("1 0");
    return { t: t!, state };
  }

  it("switching panes and quitting with q leaves the alternate screen with the cursor shown", async () => {
    const { t, state } = await start("tui-q");
    t.tmux("send-keys", "-t", "s", "4");
    await t.waitFor((s) => s.includes("No seed runs recorded yet"), "the Seeds pane");
    t.tmux("send-keys", "-t", "s", "Tab");
    await t.waitFor((s) => s.includes("Active backend:"), "the Engine pane");
    t.tmux("send-keys", "-t", "s", "q");
    await t.waitFor((s) => s.includes("exit=0"), "the shell after q");
    expect(state()).toBe("0 1");
  });

  it("SIGTERM restores the terminal too, and the exit status says it was the signal", async () => {
    const { t, state } = await start("tui-term");
    const pid = t.tmux("display", "-p", "-t", "s", "#{pane_pid}").stdout.trim();
    // The TUI is the shell's child: kill it, not the shell.
    const { execFileSync } = await import("node:child_process");
    const child = execFileSync("pgrep", ["-P", pid], { encoding: "utf8" }).trim().split("\n")[0]!;
    process.kill(Number(child), "SIGTERM");
    await t.waitFor((s) => s.includes("exit=143"), "the shell after SIGTERM");
    expect(state()).toBe("0 1");
  });
});
