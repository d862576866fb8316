// A progress bar of `width` cells: the bar, then "done/total" and a label, the
// label shortened at a word boundary to fit. The bar is drawn with block glyphs,
// so it reads the same without colour.

import { Box, Text } from "ink";
import { cells, truncateWords } from "./text.js";

export interface ProgressBarProps {
  done: number;
  total: number;
  width: number;
  label?: string;
  color: boolean;
}

/** The bar's text alone (for tests and for callers that compose lines). */
export function progressText(done: number, total: number, barWidth: number): string {
  const frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const full = Math.round(frac * barWidth);
  return `${"█".repeat(full)}${"░".repeat(barWidth - full)}`;
}

export function ProgressBar({ done, total, width, label = "", color }: ProgressBarProps) {
  const count = ` ${done}/${total} `;
  const barWidth = Math.max(4, Math.min(40, Math.floor(width / 2)));
  const room = width - barWidth - cells(count);
  return (
    <Box>
      <Text color={color ? "green" : undefined}>{progressText(done, total, barWidth)}</Text>
      <Text>{count}</Text>
      <Text>{truncateWords(label, Math.max(0, room))}</Text>
    </Box>
  );
}
