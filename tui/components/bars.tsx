// The shell's two bars: the tab bar on top (the panes by number, the active one
// inverse and bold, so it shows without colour) and the footer at the bottom (the
// focused pane's keys, as many as fit, then `? keys  q quit`, or while the pane reads text `Ctrl-C
// quit`, since `?` and `q` are typed then; the rest are in `?`).

import { Box, Text } from "ink";
import type { KeyHint, PaneName } from "../pane.js";
import { cells, truncateWords } from "./text.js";

export interface TabBarProps {
  panes: { name: PaneName; title: string }[];
  active: PaneName;
  width: number;
  color: boolean;
}

export function TabBar({ panes, active, width, color }: TabBarProps) {
  const full = panes.map((p, i) => ` ${i + 1} ${p.title} `);
  // At narrow widths, the inactive tabs show their number alone.
  const wide = full.reduce((a, t) => a + cells(t), 0) + 8 <= width;
  return (
    <Box width={width}>
      {panes.map((p, i) => {
        const on = p.name === active;
        const text = wide || on ? full[i]! : ` ${i + 1} `;
        return (
          <Text key={p.name} inverse={on} bold={on} color={color && !on ? "gray" : undefined}>
            {text}
          </Text>
        );
      })}
      {wide ? <Text dimColor={color}>{"  veyra tui"}</Text> : null}
    </Box>
  );
}

/** Always at the footer's right: how to see every key, and how to leave. */
export const FOOTER_TAIL = "? keys  q quit";
/** The tail while a pane reads text: `?` and `q` are typed into it then, only Ctrl-C leaves. */
export const CAPTURING_TAIL = "Ctrl-C quit";
/** The tail while the `?` help is shown: `?` closes it rather than showing it. */
export const HELP_TAIL = "Esc/? close  q quit";

/**
 * The footer's text: the pane's hints ("keys does", two spaces apart) as many as
 * fit, then FOOTER_TAIL; a hint that does not fit is left to `?`, never cut.
 */
export function footerText(hints: KeyHint[], width: number, tail = FOOTER_TAIL): string {
  let out = "";
  for (const h of hints) {
    const next = out === "" ? `${h.keys} ${h.does}` : `${out}  ${h.keys} ${h.does}`;
    if (cells(next) + 2 + cells(tail) > width) break;
    out = next;
  }
  const line = out === "" ? tail : `${out}  ${tail}`;
  return truncateWords(line, width);
}

export interface FooterProps {
  hints: KeyHint[];
  /** What ends the line: FOOTER_TAIL, or CAPTURING_TAIL / HELP_TAIL when `?` and `q` mean something else. */
  tail?: string;
  width: number;
  color: boolean;
}

export function Footer({ hints, tail, width, color }: FooterProps) {
  return (
    <Text inverse={!color} color={color ? "gray" : undefined}>
      {footerText(hints, width, tail).padEnd(width)}
    </Text>
  );
}
