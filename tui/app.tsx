// The app shell of `veyra tui`: a tab bar, the focused pane, a footer of its keys.
// 1–5 and Tab/Shift-Tab switch panes, `?` shows every key in context, `q` quits
// and Esc goes back to the previous pane, unless the pane offers Esc itself (its
// keys include "Esc"). While a pane captures text (a prompt, a form) every key but
// Ctrl-C goes to it. Panes stay mounted once visited (hidden when not shown), so
// a test or a bench keeps running while another pane is looked at. The shell holds
// no workbench logic: panes call the workbench (see pane.ts for the contract).

import { Box, useApp, useInput } from "ink";
import { type ComponentType, useCallback, useMemo, useRef, useState } from "react";
import type { StoreRef } from "../src/workbench/index.js";
import { CAPTURING_TAIL, Footer, FOOTER_TAIL, HELP_TAIL, TabBar } from "./components/bars.js";
import { KeyHelp } from "./components/key-help.js";
import { useTerminalSize } from "./hooks/use-terminal-size.js";
import { type KeyHint, PANE_NAMES, type PaneName, type PaneProps, type PaneTarget } from "./pane.js";
import { DebugPane } from "./panes/debug/index.js";
import { EnginePane } from "./panes/engine.js";
import { NodesPane } from "./panes/nodes.js";
import { ReplayPane } from "./panes/replay/index.js";
import { SeedsPane } from "./panes/seeds/index.js";

/** The pane table: each slot's title and component, in the order of their number keys. */
export const PANES: Record<PaneName, { title: string; component: ComponentType<PaneProps> }> = {
  nodes: { title: "Nodes", component: NodesPane },
  debug: { title: "Debug", component: DebugPane },
  replay: { title: "Replay", component: ReplayPane },
  seeds: { title: "Seeds", component: SeedsPane },
  engine: { title: "Engine", component: EnginePane },
};

export const SHELL_KEYS: KeyHint[] = [
  { keys: "1–5", does: "switch to pane 1 Nodes, 2 Debug, 3 Replay, 4 Seeds, 5 Engine" },
  { keys: "Tab", does: "next pane (Shift-Tab: previous)" },
  { keys: "Esc", does: "back to the previous pane (when the pane has no use for Esc)" },
  { keys: "?", does: "show or hide these keys" },
  { keys: "q", does: "quit (Ctrl-C quits even while typing)" },
];

export interface AppProps {
  store: StoreRef;
  cwd: string;
  color: boolean;
  /** The pane shown first (default nodes). */
  pane?: PaneName;
  /** What the first pane was asked to open (--node, --trace, --run). */
  target?: PaneTarget;
  /** A fixed size in cells (tests); by default the terminal's, following resizes. */
  size?: { columns: number; rows: number };
}

interface PaneState {
  keys: KeyHint[];
  capturing: boolean;
  target: PaneTarget;
}

export function App(props: AppProps) {
  const terminal = useTerminalSize();
  // At a terminal the app leaves the last row empty: Ink 6.8 clears the whole screen
  // before every frame whose height reaches the terminal's (its full-screen path),
  // which flickers; one row less keeps its line-by-line incremental rendering.
  const { columns, rows } = props.size ?? { columns: terminal.columns, rows: terminal.rows - 1 };
  return <Shell {...props} columns={columns} rows={rows} />;
}

function Shell({ store, cwd, color, pane, target, columns, rows }: AppProps & { columns: number; rows: number }) {
  const { exit } = useApp();
  const first = pane ?? "nodes";
  const [active, setActive] = useState<PaneName>(first);
  const activeRef = useRef<PaneName>(first);
  const [history, setHistory] = useState<PaneName[]>([]);
  const [mounted, setMounted] = useState<ReadonlySet<PaneName>>(() => new Set([first]));
  const [help, setHelp] = useState(false);
  const [states, setStates] = useState<Record<PaneName, PaneState>>(() => {
    const s = {} as Record<PaneName, PaneState>;
    for (const n of PANE_NAMES) s[n] = { keys: [], capturing: false, target: n === first ? (target ?? {}) : {} };
    return s;
  });

  const patch = useCallback((name: PaneName, change: Partial<PaneState>) => {
    setStates((s) => ({ ...s, [name]: { ...s[name], ...change } }));
  }, []);

  const show = useCallback((name: PaneName, goingBack = false) => {
    const from = activeRef.current;
    if (from !== name && !goingBack) setHistory((h) => [...h, from].slice(-20));
    activeRef.current = name;
    setActive(name);
    setMounted((m) => (m.has(name) ? m : new Set([...m, name])));
    setHelp(false);
  }, []);

  // Stable callbacks per pane, so a pane's effects do not rerun on every render.
  const callbacks = useMemo(() => {
    const c = {} as Record<PaneName, Pick<PaneProps, "navigate" | "setKeys" | "setCapturing">>;
    for (const n of PANE_NAMES) {
      c[n] = {
        navigate: (to, t) => {
          patch(to, { target: t ?? {} });
          show(to);
        },
        setKeys: (keys) => patch(n, { keys }),
        setCapturing: (capturing) => patch(n, { capturing }),
      };
    }
    return c;
  }, [patch, show]);

  const current = states[active];
  const paneHandlesEsc = current.keys.some((k) => /\bEsc\b/.test(k.keys));

  // Keys read the latest render's state through a ref: one may arrive before the
  // handler of that render is subscribed (Ink subscribes in an effect).
  const live = useRef({ current, help, history, paneHandlesEsc });
  live.current = { current, help, history, paneHandlesEsc };

  useInput((input, key) => {
    const { current, help, history, paneHandlesEsc } = live.current;
    if (key.ctrl && input === "c") {
      exit();
      return;
    }
    if (current.capturing && !help) return;
    if (help) {
      if (key.escape || input === "?") setHelp(false);
      else if (input === "q") exit();
      else if (/^[1-5]$/.test(input)) show(PANE_NAMES[Number(input) - 1]!);
      return;
    }
    if (/^[1-5]$/.test(input)) show(PANE_NAMES[Number(input) - 1]!);
    else if (key.tab) {
      const i = PANE_NAMES.indexOf(activeRef.current);
      const step = key.shift ? PANE_NAMES.length - 1 : 1;
      show(PANE_NAMES[(i + step) % PANE_NAMES.length]!);
    } else if (input === "?") setHelp(true);
    else if (input === "q") exit();
    else if (key.escape && !paneHandlesEsc && history.length > 0) {
      const back = history[history.length - 1]!;
      setHistory((h) => h.slice(0, -1));
      show(back, true);
    }
  });

  const paneHeight = Math.max(1, rows - 2);
  const tabs = PANE_NAMES.map((name) => ({ name, title: PANES[name].title }));
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <TabBar panes={tabs} active={active} width={columns} color={color} />
      {/* Clipped top and bottom only: panes fit their lines to the width, and a
          horizontal clip makes Ink measure and slice every line of every frame. */}
      <Box height={paneHeight} width={columns} flexDirection="column" overflowY="hidden">
        {help ? (
          <KeyHelp
            paneTitle={PANES[active].title}
            paneKeys={current.keys}
            shellKeys={SHELL_KEYS}
            width={columns}
            height={paneHeight}
            color={color}
          />
        ) : null}
        {PANE_NAMES.filter((n) => mounted.has(n)).map((n) => {
          const Pane = PANES[n].component;
          const shown = n === active && !help;
          return (
            <Box key={n} display={shown ? "flex" : "none"} height={paneHeight} width={columns} flexDirection="column">
              <Pane
                store={store}
                cwd={cwd}
                width={columns}
                height={paneHeight}
                focused={shown}
                color={color}
                target={states[n].target}
                {...callbacks[n]}
              />
            </Box>
          );
        })}
      </Box>
      <Footer
        hints={help ? [] : current.keys}
        tail={help ? HELP_TAIL : current.capturing ? CAPTURING_TAIL : FOOTER_TAIL}
        width={columns}
        color={color}
      />
    </Box>
  );
}
