// The cases of test/fixtures/value-oracle/cases.json (timestamps, bytes, sets, maps,
// records, enums, arrays and `any`, answered in Python from docs/vesper-ir.md sections
// 3, 4.4 and 9, not from Vesper's evaluator) as one-step compute nodes whose inputs are
// read from a sample written as a user would write it, and the comparison of a run's
// answer with the oracle's: the kind exactly, decimals by value and printed digits
// (by value only where the doc leaves the digits open), timestamps to the millisecond,
// failures by code (and by message where the oracle gives one).
import { readFileSync } from "node:fs";
import { type PreparedNode, resolveInputs, sampleInputs } from "../../src/runtime/prepared.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import { Decimal } from "../../src/values/decimal.js";
import { decimalText } from "../../src/values/display-scale.js";
import type { Timestamp, Value } from "../../src/values/values.js";
import { kindOf, outcomeDiffers } from "./expr-oracle.js";
import { node } from "./runtimes.js";

export type ValueAnswer =
  | {
      kind: "integer" | "decimal" | "float" | "string" | "boolean" | "timestamp";
      value: string | boolean;
      anyDigits?: true;
    }
  | { error: string; message: string | null };
export interface ValueCase {
  name: string;
  types?: Record<string, Record<string, unknown>>;
  /** An input without `text` is optional and left out (it reads as null). */
  inputs: Record<string, { type: string; text?: string }>;
  /** An expression stored with sim.kv.put and read back as `res` (a call result typed any). */
  kv?: string;
  expr: string;
  out: string;
  want: ValueAnswer;
}

export const valueCases: ValueCase[] = JSON.parse(
  readFileSync(new URL("../fixtures/value-oracle/cases.json", import.meta.url), "utf8"),
);

const indent = (lines: string[], by: string): string => lines.map((l) => `\n${by}${l}`).join("");

/** The case's node: its record types, its inputs and one sample of them, `r = expr` returned. */
export function valueNode(c: ValueCase): PreparedNode {
  const types = Object.entries(c.types ?? {}).map(([n, fields]) => `${n}: {fields: ${JSON.stringify(fields)}}`);
  const inputs = Object.entries(c.inputs).map(
    ([k, v]) => `${k}: {type: ${JSON.stringify(v.type)}${v.text === undefined ? ", required: false" : ""}}`,
  );
  const sample = Object.entries(c.inputs)
    .filter(([, v]) => v.text !== undefined)
    .map(([k, v]) => `${k}: ${v.text}`);
  const kv =
    c.kv === undefined
      ? ""
      : `
  - {step: put, op: call, tool: sim.kv.put, args: {key: "'k'", value: ${JSON.stringify(c.kv)}}}
  - {step: get, op: call, tool: sim.kv.get, args: {key: "'k'"}, bind: res}`;
  return node(
    `node_id: oracle.value@1.0.0
type: handler${types.length ? `\ntypes:${indent(types, "  ")}` : ""}
inputs:${inputs.length ? indent(inputs, "  ") : " {}"}
outputs:
  success:
    r: {type: ${JSON.stringify(c.out)}}${c.kv === undefined ? "" : "\nsecurity: {capabilities_required: [storage.kv.read, storage.kv.write]}"}
samples:
  s:${sample.length ? indent(sample, "    ") : " {}"}
flow:${kv}
  - {step: s, op: compute, set: {r: ${JSON.stringify(c.expr)}}}
  - {step: done, op: return, output: success, values: {r: r}}
`,
    "value-oracle.vsp",
  );
}

export const valueInputs = (p: PreparedNode): Map<string, Value> => resolveInputs(p, sampleInputs(p));

const show = (v: unknown): string =>
  Decimal.isDecimal(v) ? `decimal ${decimalText(v as Decimal)}` : `${kindOf(v)} ${JSON.stringify(String(v))}`;

/** Where a run's answer differs from the oracle's; null when they agree. */
export function valueDiffers(r: RunResult, want: ValueAnswer): string | null {
  const outcome = outcomeDiffers(r, want, show);
  if (outcome !== undefined || "error" in want) return outcome ?? null;
  const got = r.output!.fields.get("r");
  const bad = `wanted ${want.kind} ${JSON.stringify(want.value)}, got ${show(got)}`;
  if (kindOf(got) !== want.kind) return bad;
  switch (want.kind) {
    case "integer":
      return got === BigInt(want.value as string) ? null : bad;
    case "decimal": {
      const d = got as Decimal;
      return d.eq(new Decimal(want.value as string)) && (want.anyDigits || decimalText(d) === want.value) ? null : bad;
    }
    case "float":
      return Object.is(got, Number(want.value)) ? null : bad;
    case "timestamp":
      return (got as Timestamp).toString() === want.value ? null : bad;
    default:
      return got === want.value ? null : bad;
  }
}
