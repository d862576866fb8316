// A table that fits its width: each column has a natural width (its widest cell or
// header); when they do not all fit, the columns marked `shrink` give up room first,
// in proportion to their room above their minimum, and a cell too long for its column ends at a word boundary with "…". The selected
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
  // The shrinkable columns give up room in proportion to what each has above its floor.
  const spare = widths.map((w, i) => (shrinkable[i] ? Math.max(0, w - floors[i]!) : 0));
  const totalSpare = spare.reduce((a, b) => a + b, 0);
  if (over > 0 && totalSpare > 0) {
    const share = Math.min(1, over / totalSpare);
    for (let i = 0; i < widths.length; i++) {
      const give = Math.min(spare[i]!, Math.ceil(spare[i]! * share), over);
      widths[i]! -= give;
      over -= give;
    }
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
