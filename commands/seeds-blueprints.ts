import { listBlueprints } from "../src/workbench/seed-blueprints.js";
import { EXIT } from "./exit-codes.js";

// `veyra seeds blueprints [--json]`: the catalog a seed can be grown from, each with
// its risk tier, bounds, quarantine flag, the node that defines it and the kernel
// plan the trainer lowers from that node.

export function seedsBlueprintsCommand(flags: { json?: boolean }): number {
  const list = listBlueprints();
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return EXIT.OK;
  }
  const lines: string[] = [];
  for (const b of list) {
    lines.push(`${b.name}  (${b.risk}${b.quarantined ? ", quarantined" : ""})  ${b.summary}`);
    lines.push(`  node      ${b.nodeId}  ${b.file}  tolerance ${b.tolerance}`);
    lines.push(
      `  hidden    ${b.hidden.default} (bounds ${b.hidden.min}–${b.hidden.max}), at most ${b.maxParameters} parameters`,
    );
    for (const step of b.planText.split("\n")) lines.push(`  plan      ${step}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.OK;
}
