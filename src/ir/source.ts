import { LineCounter, type Scalar } from "yaml";
import type { Loc } from "./diagnostics.js";

/** One .vsp file's text, able to turn offsets into 1-based line and column. */
export class SourceFile {
  readonly lines = new LineCounter();

  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  /**
   * A byte-order mark at the start is not a column the author sees: line 1's columns do not
   * count it (docs/vesper-ir.md 10); offsets still index the text as read, mark included.
   */
  locAt(offset: number): Loc {
    const { line, col } = this.lines.linePos(offset);
    const bom = line === 1 && col > 1 && this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return { file: this.path, line, col: col - bom, offset };
  }

  /**
   * Maps each character offset of a string scalar's value to its offset in the file,
   * so that a problem at column 9 of an expression is reported at its true place even
   * when the expression sits inside quotes, escapes or a block scalar.
   */
  valueOffsets(scalar: Scalar): (valueOffset: number) => number {
    const [start, end] = scalar.range ?? [0, 0];
    const value = String(scalar.value);
    let rawStart = start;
    if (scalar.type === "QUOTE_DOUBLE" || scalar.type === "QUOTE_SINGLE") rawStart += 1;
    if (scalar.type === "BLOCK_LITERAL" || scalar.type === "BLOCK_FOLDED") {
      const header = this.text.indexOf("\n", start);
      rawStart = header < 0 ? end : header + 1;
    }
    const raw = this.text.slice(rawStart, end);
    // Greedy alignment: each value character is matched to the next identical raw
    // character close by. Characters produced by escapes or line folding have no
    // twin and take the position of the raw cursor.
    const offsets = new Array<number>(value.length + 1);
    let cursor = 0;
    for (let i = 0; i < value.length; i++) {
      const found = raw.indexOf(value[i]!, cursor);
      if (found >= 0 && found - cursor <= 8) {
        offsets[i] = rawStart + found;
        cursor = found + 1;
      } else {
        offsets[i] = rawStart + Math.min(cursor, raw.length);
        cursor += 1;
      }
    }
    offsets[value.length] = value.length > 0 ? offsets[value.length - 1]! + 1 : rawStart;
    return (valueOffset) => offsets[Math.max(0, Math.min(valueOffset, value.length))]!;
  }
}
