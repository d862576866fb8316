import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A real terminal for REPL tests: a private tmux server (its own socket, no user
// config) with one session "s". Tests skip, saying why, where tmux is missing. The
// socket is a file in the temporary folder (the test run's scratch folder, removed
// when the run ends), not in tmux's own /tmp/tmux-UID, where a killed server leaves
// its socket file behind.

export const hasTmux = spawnSync("tmux", ["-V"], { encoding: "utf8" }).status === 0;

/** How long a screen must stay the same to count as drawn. */
const SETTLE_MS = 60;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function terminal(name: string) {
  const socket = join(tmpdir(), `tmux-${name}-${process.pid}`);
  const tmux = (...args: string[]) =>
    spawnSync("tmux", ["-S", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  const screen = (): string => tmux("capture-pane", "-p", "-J", "-S", "-5000", "-t", "s").stdout;

  /**
   * Bounded polling for the program's output; no wall-clock assertion. A screen is
   * returned only once it has settled: tmux can be captured while it is still drawing
   * a frame (the pane's top rows new, the rest not yet), so a screen that passes the
   * test is captured again a moment later and returned when both are the same. A
   * screen that never holds still (a chart redrawn faster than that, a passing state
   * that lasts only a moment) is returned as it last passed, after ten tries.
   */
  async function waitFor(test: (text: string) => boolean, what: string): Promise<string> {
    let unsettled = 0;
    for (let i = 0; i < 400; i++) {
      const text = screen();
      if (test(text)) {
        await pause(SETTLE_MS);
        const again = screen();
        if (again === text) return again;
        if (++unsettled >= 10) return test(again) ? again : text;
        continue;
      }
      await pause(50);
    }
    throw new Error(`timed out waiting for ${what}; the screen was:\n${screen()}`);
  }

  return { tmux, screen, waitFor, close: () => hasTmux && tmux("kill-server") };
}
