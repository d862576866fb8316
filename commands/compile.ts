import { compileNode, type EmitForm } from "../src/workbench/compile.js";
import { EXIT } from "./exit-codes.js";
import { printDiagnostics } from "./print-diagnostics.js";

/** `vesper compile <file> --emit ast [--out F]`: the validated, typed AST as JSON. */
export function compileCommand(file: string, opts: { emit: EmitForm; out?: string }): number {
  const r = compileNode(file, { emit: opts.emit, out: opts.out });
  if (!r.ok) {
    printDiagnostics(file, r.diagnostics);
    return EXIT.USAGE;
  }
  if (r.written === undefined) process.stdout.write(r.text);
  else process.stderr.write(`wrote the AST of ${r.nodeId} to ${r.written}\n`);
  return EXIT.OK;
}
