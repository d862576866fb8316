import { readFileSync } from "node:fs";
import { type Diagnostic, formatDiagnostic } from "../src/workbench/validate.js";

/** Writes each diagnostic to standard error with its source line and caret (when the file can be read). */
export function printDiagnostics(file: string, diagnostics: Diagnostic[]): void {
  let text: string | undefined;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    text = undefined;
  }
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d, text)}\n`);
}
