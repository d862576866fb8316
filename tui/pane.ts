// The contract between the TUI's app shell (app.tsx: pane switching, the footer,
// the `?` help, quitting) and each pane in panes/. A pane is a React component that
// gets these props, draws itself inside width × height cells, handles its own keys
// only while `focused`, and tells the shell which keys it offers (for the footer and
// `?`) and whether it is reading text (a prompt or a form), during which the shell's
// own keys (1–5, Tab, q, ?) are typed into the pane instead. A pane calls the
// workbench API (src/workbench) for everything it does: no logic a command lacks.

import type { StoreRef } from "../src/workbench/index.js";

export const PANE_NAMES = ["nodes", "debug", "replay", "seeds", "engine"] as const;
export type PaneName = (typeof PANE_NAMES)[number];

/** One key a pane offers: shown in the footer (when short) and in `?`. */
export interface KeyHint {
  keys: string;
  does: string;
}

/** What one pane may ask another to open: a node file, a trace, a seed run. */
export interface PaneTarget {
  node?: string;
  trace?: string;
  run?: string;
}

export interface PaneProps {
  /** The trace store every pane reads and writes. */
  store: StoreRef;
  /** The folder the TUI was started in (the Nodes pane lists the .vsp files under it). */
  cwd: string;
  width: number;
  height: number;
  /** Only the focused pane reacts to keys. */
  focused: boolean;
  /** False under NO_COLOR or --no-color: draw with bold/inverse/symbols, never colour alone. */
  color: boolean;
  /** What this pane was asked to open, from the command line or another pane. */
  target: PaneTarget;
  /** Switch to another pane and ask it to open something. */
  navigate(pane: PaneName, target?: PaneTarget): void;
  /**
   * The keys this pane offers now (call again when they change, e.g. inside a
   * prompt). When they include "Esc" the pane handles Esc itself (closing a view);
   * otherwise Esc takes the shell back to the previous pane.
   */
  setKeys(keys: KeyHint[]): void;
  /** True while the pane reads text: the shell then passes every key to it. */
  setCapturing(capturing: boolean): void;
}
