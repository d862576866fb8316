import { spawnSync } from "node:child_process";

// A real terminal for REPL tests: a private tmux server (its own socket, no user
// config) with one session "s". Tests skip, saying why, where tmux is missing.

export const hasTmux = spawnSync("tmux", ["-V"], { encoding: "utf8" }).status === 0;

export function terminal(name: string) {
  const socket = `${name}-${process.pid}`;
  const tmux = (...args: string[]) =>
    spawnSync("tmux", ["-L", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  const screen = (): string => tmux("capture-pane", "-p", "-J", "-S", "-5000", "-t", "s").stdout;

  /** Bounded polling for the program's output; no wall-clock assertion. */
  async function waitFor(test: (text: string) => boolean, what: string): Promise<string> {
    for (let i = 0; i < 400; i++) {
      const text = screen();
      if (test(text)) return text;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; the screen was:\n${screen()}`);
  }

  return { tmux, screen, waitFor, close: () => hasTmux && tmux("kill-server") };
}
