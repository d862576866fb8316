import { validateFiles } from "../src/workbench/validate.js";
import type { Diagnostic } from "../src/ir/diagnostics.js";
import { EXIT } from "./exit-codes.js";
import { printDiagnostics } from "./print-diagnostics.js";

/** `vesper validate <files...> [--json]`: every diagnostic of every file, then a summary. */
export function validateCommand(files: string[], opts: { json?: boolean }): number {
  const all: Diagnostic[] = [];
  let invalid = 0;
  for (const r of validateFiles(files)) {
    all.push(...r.diagnostics);
    if (!r.ok) invalid++;
    if (opts.json) continue;
    if (r.ok) {
      process.stdout.write(`ok    ${r.file}  ${r.nodeId}\n`);
    } else {
      printDiagnostics(r.file, r.diagnostics);
      process.stdout.write(`FAIL  ${r.file}  (${count(r.diagnostics.length, "error")})\n`);
    }
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
  } else if (files.length > 1) {
    process.stdout.write(`\n${count(files.length - invalid, "file")} valid, ${invalid} invalid\n`);
  }
  return invalid > 0 ? EXIT.USAGE : EXIT.OK;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
