// A table that fits its width: each column has a natural width (its widest cell or
// header); when they do not all fit, the columns marked `shrink` give up room first,
// the one with the most room above its minimum first, and a cell too long for its column ends at a word boundary with "…". The selected
// row is drawn inverse (it reads without colour). Rows beyond `height` scroll so the
// selected one stays in view.

import { Box, Text } from "ink";
import { cells, fitCell } from "./text.js";

export interface Column {
  header: string;
  align?: "left" | "right";
  /** May be narrowed below its natural width (default: only the first column). */
  shrink?: boolean;
  /** Never narrower than this (default the header's width, at most 12). */
  min?: number;
}

export interface TableProps {
  columns: Column[];
  rows: string[][];
  width: number;
  /** Rows shown, the header included. */
  height: number;
  selected?: number;
  color: boolean;
  /** Per row, an optional colour for the whole row (ignored without colour). */
  rowColour?: (index: number) => string | undefined;
}

/** The width of each column so that all fit in `width` with one space between them. */
export function columnWidths(columns: Column[], rows: string[][], width: number): number[] {
  const natural = columns.map((c, i) => Math.max(cells(c.header), ...rows.map((r) => cells(r[i] ?? ""))));
  const widths = [...natural];
  let over = widths.reduce((a, b) => a + b, 0) + (columns.length - 1) - width;
  const shrinkable = columns.map((c, i) => c.shrink ?? i === 0);
  const floors = columns.map((c) => c.min ?? Math.min(12, cells(c.header)));
  // The shrinkable columns give up room widest first (water-filling): a long free-text
  // column is narrowed before a short one is cut, so an id keeps its digits while a
  // list of seeds or a message gives way. A column never goes below its floor here.
  while (over > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (!shrinkable[i] || widths[i]! <= floors[i]!) continue;
      if (widest < 0 || widths[i]! - floors[i]! > widths[widest]! - floors[widest]!) widest = i;
    }
    if (widest < 0) break;
    // Down to the next widest column's room (or by what is still over), in one move.
    const room = widths[widest]! - floors[widest]!;
    let next = 0;
    for (let i = 0; i < widths.length; i++) {
      if (i !== widest && shrinkable[i] && widths[i]! > floors[i]!) next = Math.max(next, widths[i]! - floors[i]!);
    }
    const give = Math.min(over, Math.max(1, room - next));
    widths[widest]! -= give;
    over -= give;
  }
  // Still too wide: the last columns are narrowed, then dropped to zero.
  for (let i = columns.length - 1; i >= 0 && over > 0; i--) {
    const give = Math.min(over, widths[i]!);
    widths[i]! -= give;
    over -= give;
  }
  return widths;
}

export function Table({ columns, rows, width, height, selected = -1, color, rowColour }: TableProps) {
  const widths = columnWidths(columns, rows, width);
  const line = (cellsOf: string[]) =>
    columns
      .map((c, i) => (widths[i]! > 0 ? fitCell(cellsOf[i] ?? "", widths[i]!, c.align) : ""))
      .filter((_, i) => widths[i]! > 0)
      .join(" ");
  const visible = Math.max(0, height - 1);
  const first = selected >= visible ? selected - visible + 1 : 0;
  const shown = rows.slice(first, first + visible);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold underline={!color} color={color ? "blue" : undefined}>
        {line(columns.map((c) => c.header))}
      </Text>
      {shown.map((r, k) => {
        const index = first + k;
        return (
          <Text key={index} inverse={index === selected} color={color ? rowColour?.(index) : undefined}>
            {line(r)}
          </Text>
        );
      })}
    </Box>
  );
}
