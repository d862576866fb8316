// Fitting text into a width of terminal cells without cutting a word: lines wrap
// at spaces, and a line too long for its cell ends at the last whole word that
// fits, followed by "…". Only a single word wider than the whole width is cut
// (there is no boundary to cut it at). Widths count code points, which is what
// the TUI's own glyphs (box drawing, braille, arrows) occupy: one cell each.

export const ELLIPSIS = "…";

/** The number of cells `text` takes (one per code point). */
export function cells(text: string): number {
  return [...text].length;
}

/** `text` cut to at most `width` code points. */
function cut(text: string, width: number): string {
  return [...text].slice(0, Math.max(0, width)).join("");
}

/**
 * `text` on one line of at most `width` cells: whole when it fits, else the
 * longest prefix ending at a word boundary that leaves room for "…". A first word
 * wider than the width is the only thing cut inside a word.
 */
export function truncateWords(text: string, width: number): string {
  if (width <= 0) return "";
  if (cells(text) <= width) return text;
  if (width === 1) return ELLIPSIS;
  const room = width - 1;
  const words = text.split(" ");
  let line = "";
  for (const word of words) {
    const next = line === "" ? word : `${line} ${word}`;
    if (cells(next) > room) break;
    line = next;
  }
  line = line.trimEnd();
  if (line === "") return cut(text, room) + ELLIPSIS;
  return line + ELLIPSIS;
}

/**
 * `text` wrapped at spaces into lines of at most `width` cells (newlines in it are
 * kept). A word wider than the width is split across lines, since no boundary exists.
 */
export function wrapWords(text: string, width: number): string[] {
  if (width <= 0) return [];
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      let w = word;
      while (cells(w) > width) {
        if (line !== "") out.push(line);
        line = "";
        out.push(cut(w, width));
        w = [...w].slice(width).join("");
      }
      const next = line === "" ? w : `${line} ${w}`;
      if (cells(next) <= width) line = next;
      else {
        out.push(line);
        line = w;
      }
    }
    out.push(line);
  }
  return out;
}

/** `text` padded with spaces (or truncated at a word boundary) to exactly `width` cells. */
export function fitCell(text: string, width: number, align: "left" | "right" = "left"): string {
  const t = truncateWords(text, width);
  const pad = " ".repeat(Math.max(0, width - cells(t)));
  return align === "left" ? t + pad : pad + t;
}
