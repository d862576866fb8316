import { writeFileSync } from "node:fs";
import type { Diagnostic } from "../ir/diagnostics.js";
import { validateFile } from "../ir/validate.js";
import { VesperError } from "../values/errors.js";

// Compile a node to an intermediate form (today: the validated, typed AST as JSON),
// returned as text or written to a file. An invalid node gives its diagnostics and
// writes nothing; a file that cannot be written is a usage error (U105) naming it.

export type EmitForm = "ast";

export interface CompileOptions {
  emit: EmitForm;
  /** Write the form to this file (the --out flag) instead of returning it only. */
  out?: string;
}

export type CompileOutcome =
  | { ok: true; nodeId: string; text: string; written?: string }
  | { ok: false; diagnostics: Diagnostic[] };

export function compileNode(file: string, options: CompileOptions): CompileOutcome {
  const result = validateFile(file);
  if (!result.ok || !result.node) return { ok: false, diagnostics: result.diagnostics };
  const text = `${JSON.stringify({ format: "vesper-ast", version: 1, node: result.node }, jsonReplacer, 2)}\n`;
  const nodeId = result.node.nodeId.value;
  if (options.out === undefined) return { ok: true, nodeId, text };
  try {
    writeFileSync(options.out, text);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new VesperError("U105", `--out ${options.out}: cannot write the file (${why})`);
  }
  return { ok: true, nodeId, text, written: options.out };
}

/** Maps become objects and bigints strings, so the AST serializes without loss. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}
