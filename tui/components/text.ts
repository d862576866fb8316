// Fitting text into a width of terminal cells without cutting a word: lines wrap
// at spaces, and a line too long for its cell ends at the last whole word that
// fits (inside an identifier or a path, after a . / _ - @), then "…". Only text
// with no boundary in reach is cut inside a word. Widths count code points, which is what
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

/** Characters after which an identifier or a path may be cut: a.b.c, a/b/c, a_b, a-b, id@1.0. */
const JOINERS = new Set(["/", ".", "_", "-", "@", ":", ",", ";"]);

/**
 * `text` on one line of at most `width` cells: whole when it fits, else the
 * longest prefix that ends at a word boundary (before a space, or after a joiner
 * inside an identifier or path: `/ . _ - @ : , ;`) and leaves room for "…". Only
 * text with no boundary in reach is cut inside a word.
 */
export function truncateWords(text: string, width: number): string {
  if (width <= 0) return "";
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width === 1) return ELLIPSIS;
  const room = width - 1;
  let best = 0;
  for (let i = 1; i <= room; i++) {
    if (chars[i] === " " || JOINERS.has(chars[i - 1]!)) best = i;
  }
  const head = chars
    .slice(0, best > 0 ? best : room)
    .join("")
    .trimEnd();
  return (head === "" ? chars.slice(0, room).join("") : head) + ELLIPSIS;
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
