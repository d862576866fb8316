// Generic (may move to tui/components/): styled lines (styled-lines.tsx) made to fit
// columns: fitLine cuts a line to a width on word boundaries (shortening the segment
// that crosses the edge, dropping those after it) and pads it; columns lays blocks
// of lines side by side with a separator, row by row.

import { cells, shorten } from "./fit-text.js";
import type { Line } from "./styled-lines.js";

/** The line cut to at most `width` cells (words kept whole where they can be), padded to `width` when `pad`. */
export function fitLine(l: Line, width: number, pad = false): Line {
  const out: Line = [];
  let used = 0;
  for (const s of l) {
    const room = width - used;
    if (room <= 0) break;
    const n = cells(s.text);
    if (n <= room) {
      out.push(s);
      used += n;
      continue;
    }
    const text = shorten(s.text, room);
    out.push({ ...s, text });
    used += cells(text);
    break;
  }
  if (pad && used < width) out.push({ text: " ".repeat(width - used) });
  return out;
}

export interface Column {
  lines: readonly Line[];
  width: number;
}

/** Blocks side by side, `separator` between them; as many rows as the tallest block (or `rows`). */
export function columns(blocks: readonly Column[], separator: string, rows?: number): Line[] {
  const height = rows ?? Math.max(0, ...blocks.map((b) => b.lines.length));
  const out: Line[] = [];
  for (let r = 0; r < height; r++) {
    const row: Line = [];
    blocks.forEach((b, i) => {
      if (i > 0) row.push({ text: separator, tone: "muted" });
      row.push(...fitLine(b.lines[r] ?? [], b.width, i < blocks.length - 1));
    });
    out.push(row);
  }
  return out;
}

/** At most `max` lines: the first ones, then "… N more" in place of the rest. */
export function capLines(lines: readonly Line[], max: number, what = "more"): Line[] {
  if (lines.length <= max) return [...lines];
  if (max <= 0) return [];
  const kept = lines.slice(0, max - 1);
  return [...kept, [{ text: `  … ${lines.length - kept.length} ${what}`, tone: "muted" }]];
}
