import { writeFileSync } from "node:fs";
import { validateFile } from "../src/ir/validate.js";
import { EXIT } from "./exit-codes.js";
import { printDiagnostics } from "./print-diagnostics.js";
import { UsageError } from "../src/values/errors.js";

/** `vesper compile <file> --emit ast [--out F]`: the validated, typed AST as JSON. */
export function compileCommand(file: string, opts: { emit: "ast"; out?: string }): number {
  const result = validateFile(file);
  if (!result.ok || !result.node) {
    printDiagnostics(file, result.diagnostics);
    return EXIT.USAGE;
  }
  const json = `${JSON.stringify({ format: "vesper-ast", version: 1, node: result.node }, jsonReplacer, 2)}\n`;
  if (!opts.out) {
    process.stdout.write(json);
    return EXIT.OK;
  }
  try {
    writeFileSync(opts.out, json);
  } catch (err) {
    throw new UsageError(
      `--out ${opts.out}: cannot write the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  process.stderr.write(`wrote the AST of ${result.node.nodeId.value} to ${opts.out}\n`);
  return EXIT.OK;
}

/** Maps become objects and bigints strings, so the AST serializes without loss. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}
