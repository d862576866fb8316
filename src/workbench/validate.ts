import { type Dirent, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { Diagnostic } from "../ir/diagnostics.js";
import { validateFile } from "../ir/validate.js";

/** How a diagnostic reads, with its source line and a caret (what `vesper validate` prints). */
export { type Diagnostic, formatDiagnostic } from "../ir/diagnostics.js";

// Validate .vsp files: every diagnostic of every file (nothing stops at the first
// problem or the first bad file), one result per file in the order given. Lazy, so
// a front end shows each file's result as soon as it is known. findNodeFiles lists
// the .vsp files under a folder (the TUI's Nodes pane; a command could validate them).

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

/** Folders never searched for nodes: dependencies, build output, version control. */
export const SKIPPED_FOLDERS: readonly string[] = ["node_modules", "dist", ".git"];

/**
 * The .vsp files under `root`, recursively, as paths relative to it, sorted; the
 * SKIPPED_FOLDERS and symbolic links are not followed, and an unreadable folder is
 * passed over (it holds nothing this user can open).
 */
export function findNodeFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_FOLDERS.includes(e.name)) walk(path);
      } else if (e.isFile() && e.name.endsWith(".vsp")) found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}
