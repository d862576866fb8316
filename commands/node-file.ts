import { InvalidNodeError, loadNode, type PreparedNode } from "../src/workbench/load-node.js";
import { printDiagnostics } from "./print-diagnostics.js";
import { shellWord } from "./store-argument.js";

// An invalid node, as every verb that runs one reports it: each diagnostic with its
// source line and caret, then one line saying nothing ran; the verb exits 2.

/** Loads a node for a verb; an invalid file is reported and gives undefined. */
export function loadNodeOrReport(file: string): PreparedNode | undefined {
  try {
    return loadNode(file);
  } catch (err) {
    if (!reportInvalidNode(err, file)) throw err;
    return undefined;
  }
}

/** Reports `err` when it is an InvalidNodeError (true), else leaves it to the caller (false). */
export function reportInvalidNode(err: unknown, file?: string): boolean {
  if (!(err instanceof InvalidNodeError)) return false;
  const invalid = err.diagnostics[0]?.file ?? file ?? "";
  printDiagnostics(invalid, err.diagnostics);
  process.stderr.write(
    `${invalid}: the node is invalid; nothing ran (vesper validate ${fileArgument(invalid)} shows the same problems)\n`,
  );
  return true;
}

/** A file as a shell word for a suggested command: quoted when needed, after `--` when it starts with a dash. */
export function fileArgument(file: string): string {
  return `${file.startsWith("-") ? "-- " : ""}${shellWord(file)}`;
}
