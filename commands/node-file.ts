import { InvalidNodeError, loadNode, type PreparedNode } from "../src/workbench/load-node.js";
import { printDiagnostics } from "./print-diagnostics.js";

/**
 * Loads a node for a verb; an invalid file has its diagnostics printed (with the
 * source line and a caret) and gives undefined: the verb exits 2 with nothing done.
 */
export function loadNodeOrReport(file: string): PreparedNode | undefined {
  try {
    return loadNode(file);
  } catch (err) {
    if (!(err instanceof InvalidNodeError)) throw err;
    printDiagnostics(file, err.diagnostics);
    process.stderr.write(
      `${file}: the node is invalid; nothing ran (vesper validate ${file} shows the same problems)\n`,
    );
    return undefined;
  }
}
