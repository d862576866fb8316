// Generic (may move to tui/components/): a pane drawn as a list of pre-fitted lines,
// each a row of styled segments. Every line is already cut to the width by the
// caller (fit-text.ts), so Ink never wraps or cuts anything; only `height` lines are
// drawn. With `color` false the colour of every segment is dropped and only the
// markers, bold and inverse remain, so NO_COLOR output carries no colour escapes.

import { Box, Text } from "ink";

export type Tone = "good" | "bad" | "warn" | "accent" | "muted";

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
}

export type Line = Segment[];

const COLOURS: Record<Tone, string> = {
  good: "green",
  bad: "red",
  warn: "yellow",
  accent: "cyan",
  muted: "gray",
};

/** A line of plain text, optionally in one style. */
export function line(text: string, style: Omit<Segment, "text"> = {}): Line {
  return [{ text, ...style }];
}

/** The line's text without styles (what a width is measured on). */
export function plain(l: Line): string {
  return l.map((s) => s.text).join("");
}

export interface StyledLinesProps {
  lines: readonly Line[];
  width: number;
  height: number;
  color: boolean;
}

export function StyledLines({ lines, width, height, color }: StyledLinesProps) {
  const shown = lines.slice(0, Math.max(0, height));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((l, i) => (
        // Lines are positional: index keys are right (a line's identity is its row).
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
        <Text key={i} wrap="truncate-end">
          {l.length === 0 ? " " : ""}
          {l.map((s, j) => (
            <Text
              // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional
              key={j}
              bold={s.bold}
              inverse={s.inverse}
              color={color && s.tone ? COLOURS[s.tone] : undefined}
            >
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
