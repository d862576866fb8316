import { resolveStorePath } from "../src/config/config.js";
import { UsageError } from "../src/values/errors.js";
import type { PaneName, PaneTarget } from "../tui/pane.js";
import { PANE_NAMES } from "../tui/pane.js";
import { oneOf } from "./common-flags.js";

// `veyra tui [--store FILE] [--pane NAME] [--node FILE] [--trace ID] [--run ID]
// [--no-color]`: the full-screen workbench. It needs a terminal on both stdin and
// stdout (keys in, frames out); without one it says so and exits 2. Ink and React
// are imported only here, when the verb runs, so `veyra --help` never loads them.

export interface TuiFlags {
  store?: string;
  pane?: string;
  node?: string;
  trace?: string;
  run?: string;
  /** commander's --no-color: false when given. */
  color?: boolean;
}

export interface TuiStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/**
 * Colour needs the flag, no NO_COLOR, and a terminal that shows colour (TERM=dumb
 * does not): the charts write their colour codes themselves, past Ink's own check.
 */
export function wantsColour(flags: Pick<TuiFlags, "color">, io: Pick<TuiStreams, "stdout" | "env">): boolean {
  if (flags.color === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  // NO_COLOR is decided above (set and non-empty, as no-color.org says); Node's own
  // check would also take an empty one as "no colour", so it is asked without it.
  const { NO_COLOR: _decidedAbove, ...terminalEnv } = io.env;
  return io.stdout.hasColors?.(terminalEnv) ?? true;
}

export async function tuiCommand(
  flags: TuiFlags,
  io: TuiStreams = { stdin: process.stdin, stdout: process.stdout, env: process.env },
): Promise<number> {
  const pane = flags.pane === undefined ? undefined : oneOf<PaneName>(flags.pane, "--pane", PANE_NAMES);
  const missing = [!io.stdin.isTTY && "standard input", !io.stdout.isTTY && "standard output"].filter(Boolean);
  if (missing.length > 0) {
    throw new UsageError(
      `the TUI needs a terminal, and its ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not one (a pipe, a file or a CI job); run veyra tui in a terminal, or use the headless commands (vesper test, vesper debug, vesper replay, veyra engine info)`,
    );
  }
  const target: PaneTarget = { node: flags.node, trace: flags.trace, run: flags.run };
  const first: PaneName = pane ?? (flags.node ? "debug" : flags.trace ? "replay" : flags.run ? "seeds" : "nodes");
  const color = wantsColour(flags, io);
  const storePath = resolveStorePath(flags.store);
  // Both ends are a terminal (checked above): Ink's CI mode, which draws only the
  // last frame when CI is set, would leave the screen blank, so it is switched off.
  delete io.env.CI;
  delete io.env.CONTINUOUS_INTEGRATION;
  // React's production build, unless told otherwise: its development build checks
  // every element and costs the Seeds pane several times the CPU while a run writes.
  // Set before React first loads (the TUI's modules are imported just below).
  process.env.NODE_ENV ??= "production";
  const { startTui } = await import("../tui/start.js");
  return startTui({ storePath, cwd: process.cwd(), pane: first, target, color, stdin: io.stdin, stdout: io.stdout });
}
