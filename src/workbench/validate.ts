import type { Diagnostic } from "../ir/diagnostics.js";
import { validateFile } from "../ir/validate.js";

/** How a diagnostic reads, with its source line and a caret (what `vesper validate` prints). */
export { type Diagnostic, formatDiagnostic } from "../ir/diagnostics.js";

// Validate .vsp files: every diagnostic of every file (nothing stops at the first
// problem or the first bad file), one result per file in the order given. Lazy, so
// a front end shows each file's result as soon as it is known.

export interface FileValidation {
  file: string;
  ok: boolean;
  /** The node's id, when the file is valid. */
  nodeId?: string;
  diagnostics: Diagnostic[];
}

export function* validateFiles(files: Iterable<string>): Generator<FileValidation> {
  for (const file of files) {
    const r = validateFile(file);
    yield { file, ok: r.ok, nodeId: r.ok ? r.node?.nodeId.value : undefined, diagnostics: r.diagnostics };
  }
}
