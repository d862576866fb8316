import { readFileSync } from "node:fs";
import { type Diagnostic, formatDiagnostic } from "../src/workbench/validate.js";

/**
 * Writes each diagnostic to standard error with its source line and caret, when
 * the file can be read as text: a file that cannot (V001: missing, a folder,
 * binary, not UTF-8) shows no source line, so no bytes of a binary reach the terminal.
 * Lines end at LF, CRLF or a lone CR, as the parser reads them; a source line longer
 * than a thousand characters shows only the part around the column, so a megabyte line never
 * floods the terminal.
 */
export function printDiagnostics(file: string, diagnostics: Diagnostic[]): void {
  let lines: string[] | undefined;
  if (!diagnostics.some((d) => d.code === "V001")) {
    try {
      // A leading byte-order mark is not shown, as its column is not counted (docs/vesper-ir.md 10).
      lines = readFileSync(file, "utf8")
        .replace(/^\ufeff/, "")
        .split(/\r\n|\r|\n/);
    } catch {
      lines = undefined;
    }
  }
  for (const d of diagnostics) process.stderr.write(`${excerpted(d, lines)}\n`);
}

/** A line up to this long shows whole; a longer one, SHOWN characters each side of the column. */
const WHOLE = 1_000;
const SHOWN = 100;

function excerpted(d: Diagnostic, lines: string[] | undefined): string {
  const line = lines?.[d.line - 1];
  if (line === undefined) return formatDiagnostic(d);
  if (line.length <= WHOLE) return formatDiagnostic(d, linesUpTo(d, line));
  // The head as formatDiagnostic writes it, then the window of the line and its caret.
  const start = Math.max(0, d.col - 1 - SHOWN);
  const end = Math.min(line.length, d.col - 1 + SHOWN);
  const window = `${start > 0 ? "…" : ""}${line.slice(start, end)}${end < line.length ? "…" : ""}`;
  const caretAt = d.col - 1 - start + (start > 0 ? 1 : 0);
  const width = d.endLine === d.line && d.endCol && d.endCol > d.col ? Math.min(d.endCol - d.col, end - d.col + 1) : 1;
  const gutter = String(d.line).length;
  const pad = " ".repeat(gutter);
  return [
    formatDiagnostic(d),
    `${pad} |`,
    `${d.line} | ${window}`,
    `${pad} | ${window.slice(0, caretAt).replace(/[^\t]/g, " ")}${"^".repeat(Math.max(1, width))}`,
  ].join("\n");
}

/** A text whose line `d.line` is `line`, for formatDiagnostic (which splits on LF and CRLF only). */
function linesUpTo(d: Diagnostic, line: string): string {
  return `${"\n".repeat(d.line - 1)}${line}`;
}
