import { readFileSync } from "node:fs";
import { type Diagnostic, formatDiagnostic } from "../src/workbench/validate.js";

/**
 * Writes each diagnostic to standard error with its source line and caret, when
 * the file can be read as text: a file that cannot (V001: missing, a folder,
 * binary, not UTF-8) shows no source line, so no bytes of a binary reach the terminal.
 */
export function printDiagnostics(file: string, diagnostics: Diagnostic[]): void {
  let text: string | undefined;
  if (!diagnostics.some((d) => d.code === "V001")) {
    try {
      text = readFileSync(file, "utf8");
    } catch {
      text = undefined;
    }
  }
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d, text)}\n`);
}
