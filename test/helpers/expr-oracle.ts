// The scalar cases of test/fixtures/expr-oracle/cases.json (answers computed in Python
// from docs/vesper-ir.md section 9, not from Vesper's evaluator) as one-step compute
// nodes and inputs, and the comparison of a run's answer with the oracle's: the kind
// exactly (integer, decimal, float, string, boolean), decimals by value and by their
// printed digits, floats bit for bit (NaN meets NaN, the sign of zero counts),
// failures by code (and by message where the oracle gives one).
import { readFileSync } from "node:fs";
import { InvalidNodeError, type PreparedNode } from "../../src/runtime/prepared.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import { Decimal } from "../../src/values/decimal.js";
import { decimalText } from "../../src/values/display-scale.js";
import { Timestamp, type Value } from "../../src/values/values.js";
import { node } from "./runtimes.js";

type Scalar = string | boolean | null;
export type ExprAnswer =
  | { kind: "integer" | "decimal" | "float" | "string" | "boolean" | "null"; value: Scalar }
  | { error: string; message: string | null };
export interface ExprCase {
  name: string;
  /** An input without `value` is optional and left out (it reads as null). */
  inputs: Record<string, { type: string; value?: Scalar | Scalar[] }>;
  expr: string;
  out: string;
  want: ExprAnswer;
}

export const exprCases: ExprCase[] = JSON.parse(
  readFileSync(new URL("../fixtures/expr-oracle/cases.json", import.meta.url), "utf8"),
);

const float = (s: string): number => (s === "-0" ? -0 : Number(s));

/** The case's node: its inputs, one compute step `r = expr`, `r` returned. */
export function exprNode(c: ExprCase): PreparedNode {
  const inputs = Object.entries(c.inputs)
    .map(([k, v]) => `  ${k}: {type: "${v.type}"${v.value === undefined ? ", required: false" : ""}}`)
    .join("\n");
  return node(
    `node_id: oracle.expr@1.0.0
type: handler
inputs:${inputs ? `\n${inputs}` : " {}"}
outputs:
  success:
    r: {type: "${c.out}"}
flow:
  - step: s
    op: compute
    set:
      r: ${JSON.stringify(c.expr)}
  - step: done
    op: return
    output: success
    values: {r: "r"}
`,
    "oracle.vsp",
  );
}

function scalar(type: string, v: Scalar): Value {
  if (type === "integer") return BigInt(v as string);
  if (type === "decimal") return new Decimal(v as string);
  if (type === "float") return float(v as string);
  return v;
}

export function exprInputs(c: ExprCase): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [k, { type, value }] of Object.entries(c.inputs)) {
    if (value === undefined) continue;
    const element = /^array<(.*)>$/.exec(type)?.[1];
    out.set(k, element ? (value as Scalar[]).map((x) => scalar(element, x)) : scalar(type, value as Scalar));
  }
  return out;
}

/** The IR kind of a run's value, as the oracles name it (integer, decimal, float, timestamp, null, or its JS type). */
export const kindOf = (v: unknown): string =>
  typeof v === "bigint"
    ? "integer"
    : Decimal.isDecimal(v)
      ? "decimal"
      : v instanceof Timestamp
        ? "timestamp"
        : typeof v === "number"
          ? "float"
          : v === null
            ? "null"
            : typeof v;

const show = (v: unknown): string =>
  Decimal.isDecimal(v)
    ? `decimal ${decimalText(v as Decimal)}`
    : Object.is(v, -0)
      ? "float -0"
      : `${kindOf(v)} ${JSON.stringify(String(v))}`;

/**
 * Where the validator's refusal differs from the oracle's V code (null when it agrees):
 * `e` is what preparing the node threw.
 */
export function refusalDiffers(e: unknown, want: ExprAnswer): string | null {
  if (!(e instanceof InvalidNodeError)) return `invalid: ${(e as Error).message}`;
  const all = e.diagnostics.map((d) => `${d.code}: ${d.message}`);
  if (!("error" in want) || !want.error.startsWith("V")) return `refused: ${all.join("; ")}`;
  const same = e.diagnostics.filter((d) => d.code === want.error);
  if (same.length === 0) return `wanted ${want.error}, got ${all.join("; ")}`;
  if (want.message !== null && !same.some((d) => d.message.includes(want.message!)))
    return `wanted the message '${want.message}', got ${all.join("; ")}`;
  return null;
}

/**
 * A run against the oracle's failure (its code, and its message where the oracle gives one),
 * or a failed run against a wanted value: why they differ, or null when they agree; undefined
 * when a value was wanted and the run answered one (the caller compares the values). `show`
 * prints the run's answer.
 */
export function outcomeDiffers(
  r: RunResult,
  want: { error: string; message: string | null } | { kind: string; value: unknown },
  show: (v: unknown) => string,
): string | null | undefined {
  if ("error" in want) {
    if (r.status === "success") return `wanted ${want.error}, got ${show(r.output?.fields.get("r"))}`;
    if (r.failure?.code !== want.error)
      return `wanted ${want.error}, got ${r.status} ${r.failure?.code}: ${r.failure?.message}`;
    if (want.message !== null && !r.failure.message.includes(want.message))
      return `wanted the message '${want.message}', got '${r.failure.message}'`;
    return null;
  }
  if (r.status !== "success") return `wanted ${want.kind} ${want.value}, got ${r.failure?.code}: ${r.failure?.message}`;
  return undefined;
}

/** Where a run's answer differs from the oracle's; null when they agree. */
export function differs(r: RunResult, want: ExprAnswer): string | null {
  const outcome = outcomeDiffers(r, want, show);
  if (outcome !== undefined || "error" in want) return outcome ?? null;
  const got = r.output!.fields.get("r");
  const bad = `wanted ${want.kind} ${JSON.stringify(want.value)}, got ${show(got)}`;
  if (kindOf(got) !== want.kind) return bad;
  switch (want.kind) {
    case "integer":
      return got === BigInt(want.value as string) ? null : bad;
    case "decimal":
      return (got as Decimal).eq(new Decimal(want.value as string)) && decimalText(got as Decimal) === want.value
        ? null
        : bad;
    case "float": {
      const w = float(want.value as string);
      return Object.is(got, w) || (Number.isNaN(w) && Number.isNaN(got)) ? null : bad;
    }
    default:
      return got === want.value ? null : bad;
  }
}
