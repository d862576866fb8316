import { InvalidNodeError, prepareFile, type PreparedNode } from "../runtime/prepared.js";

// Loading a node: validate a .vsp file and prepare it for both runtimes. An invalid
// file throws InvalidNodeError with every diagnostic (kind "node", exit 2); the
// front end decides how to show them (commands/node-file.ts prints them with carets).

export { InvalidNodeError, type PreparedNode };

export function loadNode(file: string): PreparedNode {
  return prepareFile(file);
}
