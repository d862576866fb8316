// Generic (may move to tui/components/): text that fits a number of cells without
// cutting a word in the middle. wrapWords breaks at spaces (a single word longer
// than the width is the only thing ever cut, and it ends in "…"); shorten keeps the
// words that fit and marks what it dropped with "…"; fitTo pads or shortens to an
// exact width, for columns. Widths count code points: the panes draw only
// single-cell characters of their own (│ ▶ ✗ ≠ ≈ …), and values are shortened.

export function cells(text: string): number {
  return [...text].length;
}

function cut(text: string, n: number): string {
  return [...text].slice(0, Math.max(0, n)).join("");
}

/** One line of at most `width` cells: whole words, then "…" when some were dropped. */
export function shorten(text: string, width: number): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  if (width <= 0) return "";
  if (cells(flat) <= width) return flat;
  if (width === 1) return "…";
  const room = cut(flat, width - 1);
  const space = room.lastIndexOf(" ");
  // Keep whole words when at least a third of the room is used; else cut the long word itself.
  const kept = space >= Math.floor(width / 3) ? room.slice(0, space) : room;
  return `${kept.trimEnd()}…`;
}

/** Exactly `width` cells: shortened, then padded with spaces. */
export function fitTo(text: string, width: number): string {
  const t = shorten(text, width);
  return t + " ".repeat(Math.max(0, width - cells(t)));
}

/** Word-wrapped lines of at most `width` cells; continuation lines start with `indent`. */
export function wrapWords(text: string, width: number, indent = ""): string[] {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    // A paragraph's own indentation stays on its first line.
    const lead = /^ */.exec(para)![0];
    let lineText = lead;
    for (const word of para.slice(lead.length).split(/ +/)) {
      const candidate = lineText.trim() === "" ? lineText + word : `${lineText} ${word}`;
      if (cells(candidate) <= width || lineText.trim() === "") {
        lineText = candidate;
        continue;
      }
      out.push(lineText);
      lineText = indent + word;
    }
    out.push(lineText);
  }
  return out.map((l) => shorten(l, width));
}
