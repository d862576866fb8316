import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { DiffEntry } from "../exec/comparator.js";
import type { PreparedNode } from "../runtime/prepared.js";
import { Decimal } from "../values/decimal.js";
import { type Tensor, Timestamp, VMap, VRecord, VSet, type Value } from "../values/values.js";

// A regression case: the inputs of a counterexample as a YAML mapping that
// `vesper run <file> --inputs @case.yaml` and `vesper debug --comparative` read
// back to exactly the same values (decimals keep their digits, floats their
// shortest round-trip text), with what diverged and how to reproduce it in
// comments, since the mapping itself may only hold inputs. The reproduce lines say
// --no-sample: --inputs layers on the node's first sample, and a null input is
// left out of the mapping, so without it a sample's value would fill the gap.

export interface CaseInfo {
  file: string;
  seed: number;
  contextSeed: number;
  runs: number;
  diffs: readonly DiffEntry[];
  /** The generation's own words, e.g. "shrunk from size 41 to 7 in 120 attempts". */
  note?: string;
}

export function caseText(p: PreparedNode, inputs: ReadonlyMap<string, Value>, info: CaseInfo): string {
  const lines = [
    `# vesper test regression case for ${p.node.nodeId.value} (${info.file})`,
    `# The reference and direct runtimes disagree on these inputs${info.note ? ` (${info.note})` : ""}:`,
    ...info.diffs
      .slice(0, 8)
      .map(
        (d) =>
          `#   ${d.path}: ${JSON.stringify(d.expected)} (reference) vs ${JSON.stringify(d.actual)} (direct): ${d.reason}`,
      ),
    "# Reproduce:",
    `#   vesper debug --comparative ${info.file} --no-sample --inputs @<this file> --seed ${info.contextSeed}`,
    `#   vesper run ${info.file} --no-sample --inputs @<this file> --seed ${info.contextSeed} --mode dual_verify`,
    `#   vesper test ${info.file} --seed ${info.seed} --runs ${info.runs}    (generates it again)`,
  ];
  for (const [name, v] of inputs) if (v !== null) lines.push(`${name}: ${yamlValue(v)}`);
  return `${lines.join("\n")}\n`;
}

export function writeCase(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A value in YAML flow syntax, read back by the input's declared type. */
export function yamlValue(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v === "number") return floatText(v);
  if (Decimal.isDecimal(v)) return (v as Decimal).toFixed();
  if (v instanceof Timestamp) return JSON.stringify(v.toString());
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString("hex"));
  if (Array.isArray(v)) return `[${v.map(yamlValue).join(", ")}]`;
  if (v instanceof VSet) return `[${v.values().map(yamlValue).join(", ")}]`;
  if (v instanceof VMap)
    return `{${[...v.entries.values()].map(([k, x]) => `${JSON.stringify(keyText(k))}: ${yamlValue(x)}`).join(", ")}}`;
  if (v instanceof VRecord) {
    // Absent optional fields are null in a record; in the file they are left out.
    return `{${[...v.fields]
      .filter(([, x]) => x !== null)
      .map(([k, x]) => `${JSON.stringify(k)}: ${yamlValue(x)}`)
      .join(", ")}}`;
  }
  return tensorText(v);
}

function floatText(x: number): string {
  // YAML would read "5" as an integer, which a float input also accepts; keep it short.
  return Object.is(x, -0) ? "0" : String(x);
}

function keyText(k: Value): string {
  if (typeof k === "string") return k;
  if (Decimal.isDecimal(k)) return (k as Decimal).toFixed();
  return yamlValue(k).replace(/^"|"$/g, "");
}

function tensorText(t: Tensor): string {
  const nest = (offset: number, depth: number): string => {
    if (depth === t.shape.length) return floatText(t.data[offset]!);
    const stride = t.shape.slice(depth + 1).reduce((a, d) => a * d, 1);
    return `[${Array.from({ length: t.shape[depth]! }, (_, i) => nest(offset + i * stride, depth + 1)).join(", ")}]`;
  };
  return nest(0, 0);
}
