// The launcher of `veyra tui`: opens the store, switches the terminal to the
// alternate screen with the cursor hidden, renders the app with Ink (a frame cap;
// each frame written as one synchronized update), and puts the terminal back however the
// app ends: q, Ctrl-C, an uncaught exception, SIGTERM or SIGHUP. Invariant: the
// restore sequence (cursor shown, alternate screen left) is written exactly once,
// after Ink's last frame, and before the process exits.

import { render } from "ink";
import { TraceStore } from "../src/store/store.js";
import { App } from "./app.js";
import { oneKeyAtATime } from "./one-key-at-a-time.js";
import type { PaneName, PaneTarget } from "./pane.js";

export const ENTER_ALT_SCREEN = "\u001b[?1049h";
export const LEAVE_ALT_SCREEN = "\u001b[?1049l";
export const HIDE_CURSOR = "\u001b[?25l";
export const SHOW_CURSOR = "\u001b[?25h";
const CLEAR_SCREEN = "\u001b[2J\u001b[H";

/** Frames per second at most: a busy store (telemetry at 1,000 rows/s) costs at most this many redraws. */
export const MAX_FPS = 30;

export interface StartOptions {
  storePath: string;
  cwd: string;
  pane: PaneName;
  target: PaneTarget;
  color: boolean;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** Runs the TUI until it is quit; resolves with the exit status. */
export async function startTui(o: StartOptions): Promise<number> {
  const store = TraceStore.open(o.storePath);
  const { stdout } = o;
  let restored = false;
  let instance: ReturnType<typeof render> | undefined;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      instance?.unmount();
    } catch {
      // Unmounting after a crash may throw again; the terminal still comes back below.
    }
    stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
    if (o.stdin.isTTY) o.stdin.setRawMode?.(false);
  };
  const onSignal = (number: number) => () => {
    restore();
    store.close();
    process.exit(128 + number);
  };
  const onTerm = onSignal(15);
  const onHup = onSignal(1);
  const onCrash = (err: unknown) => {
    restore();
    process.stderr.write(`veyra: internal error in the TUI: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  };
  process.on("SIGTERM", onTerm);
  process.on("SIGHUP", onHup);
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
  process.on("exit", restore);
  stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR_SCREEN);
  oneKeyAtATime(o.stdin);
  try {
    instance = render(<App store={store} cwd={o.cwd} color={o.color} pane={o.pane} target={o.target} />, {
      stdout,
      stdin: o.stdin,
      exitOnCtrlC: true,
      patchConsole: true,
      maxFps: MAX_FPS,
      // Ink 6.8's incremental renderer starts each update one row too low after a frame
      // that ends in a newline (every frame shorter than the terminal, which ours is:
      // see App), so the screen drifts down a row per update (seen in tmux). The
      // standard renderer redraws the frame inside a synchronized update (DEC 2026)
      // where the terminal supports one, which is what keeps it from flickering.
      incrementalRendering: false,
    });
    await instance.waitUntilExit();
    return 0;
  } finally {
    restore();
    store.close();
    process.off("SIGTERM", onTerm);
    process.off("SIGHUP", onHup);
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    process.off("exit", restore);
  }
}
