// Renders one TUI pane the way the app shell mounts it, with ink-testing-library, at
// a chosen terminal size (the library's fake stdout is 100 columns; this one says
// `width`). Records what the pane tells the shell (its keys, whether it captures
// input), and gives a waitFor that polls the last frame.

import type { ComponentType } from "react";
import { render } from "ink-testing-library";
import type { KeyHint, PaneName, PaneProps, PaneTarget } from "../../tui/pane.js";
import type { StoreRef } from "../../src/workbench/index.js";

export interface PaneHarness {
  lastFrame(): string;
  /** The last frame without escape codes. */
  text(): string;
  press(keys: string): Promise<void>;
  /** Writes each chunk at once, one after the other, without letting the pane redraw in between (fast typing, a paste). */
  burst(...chunks: string[]): Promise<void>;
  type(text: string): Promise<void>;
  keys: KeyHint[];
  capturing: boolean;
  navigations: { pane: PaneName; target?: PaneTarget }[];
  waitFor(check: (frame: string) => boolean, what: string): Promise<string>;
  unmount(): void;
}

export interface PaneSetup {
  store: StoreRef;
  cwd: string;
  target?: PaneTarget;
  width?: number;
  height?: number;
  color?: boolean;
  focused?: boolean;
}

export const ESC = "\u001B";
export const ENTER = "\r";
export const LEFT = "\u001B[D";
export const RIGHT = "\u001B[C";
export const TAB = "\t";

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
export const stripAnsi = (s: string): string => s.replace(ANSI, "");

export function renderPane(Pane: ComponentType<PaneProps>, setup: PaneSetup): PaneHarness {
  const width = setup.width ?? 100;
  const height = setup.height ?? 30;
  const h = { keys: [] as KeyHint[], capturing: false, navigations: [] as PaneHarness["navigations"] };
  const props: PaneProps = {
    store: setup.store,
    cwd: setup.cwd,
    width,
    height,
    focused: setup.focused ?? true,
    color: setup.color ?? true,
    target: setup.target ?? {},
    navigate: (pane, target) => h.navigations.push({ pane, target }),
    setKeys: (keys) => {
      h.keys = keys;
    },
    setCapturing: (c) => {
      h.capturing = c;
    },
  };
  const r = render(<Pane {...props} />);
  // Ink reads the terminal's width from stdout on every frame: make it the size asked for.
  Object.defineProperty(r.stdout, "columns", { value: width });
  Object.defineProperty(r.stdout, "rows", { value: height });
  r.rerender(<Pane {...props} />);
  const lastFrame = () => r.lastFrame() ?? "";
  const harness: PaneHarness = {
    lastFrame,
    text: () => stripAnsi(lastFrame()),
    get keys() {
      return h.keys;
    },
    get capturing() {
      return h.capturing;
    },
    navigations: h.navigations,
    async press(keys) {
      r.stdin.write(keys);
      await settle();
    },
    async burst(...chunks) {
      for (const c of chunks) r.stdin.write(c);
      await settle();
    },
    async type(text) {
      for (const ch of text) {
        r.stdin.write(ch);
        await settle();
      }
    },
    async waitFor(check, what) {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        if (check(stripAnsi(lastFrame()))) return stripAnsi(lastFrame());
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`timed out waiting for ${what}; last frame:\n${stripAnsi(lastFrame())}`);
    },
    unmount: () => r.unmount(),
  };
  return harness;
}

/** Lets Ink parse the input and React commit the render it causes. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
