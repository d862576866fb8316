// The tensor cases of test/fixtures/tensor-oracle/cases.json (answers computed in
// Python from the IR and runtime docs, not from Vesper's kernels) as nodes and inputs,
// and the comparison of a run's answer with the oracle's: exact (NaN meets NaN, the
// sign of zero counts) for values, code and message for errors.
import { readFileSync } from "node:fs";
import type { PreparedNode } from "../../src/runtime/prepared.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import { Tensor, type Value } from "../../src/values/values.js";
import { node } from "./runtimes.js";

type Num = number | string;
export type OracleValue = Num | { shape: number[]; data: Num[] };
export type OracleAnswer = { value: OracleValue } | { error: string; message: string | null };
export interface OracleCase {
  name: string;
  inputs: Record<string, { type: string; value: OracleValue }>;
  expr: string;
  out: string;
  ref: OracleAnswer;
  f32: OracleAnswer;
  /** Earlier assignments of the same tensor step, [name, expression]. */
  pre?: [string, string][];
  /** Cases of one group run in order on one runtime (shapes change between them). */
  group?: string;
}

export const oracleCases: OracleCase[] = JSON.parse(
  readFileSync(new URL("../fixtures/tensor-oracle/cases.json", import.meta.url), "utf8"),
);

const num = (n: Num): number =>
  n === "NaN" ? Number.NaN : n === "Infinity" ? Infinity : n === "-Infinity" ? -Infinity : n === "-0" ? -0 : Number(n);

/** The case's one-step tensor node: inputs, `pre` then `r = expr` in a tensor step, `r` returned. */
export function oracleNode(c: OracleCase): PreparedNode {
  const inputs = Object.entries(c.inputs)
    .map(([k, v]) => `  ${k}: {type: "${v.type}"}`)
    .join("\n");
  return node(
    `node_id: oracle.tensor@1.0.0
type: handler
inputs:
${inputs}
outputs:
  success:
    r: {type: "${c.out}"}
flow:
  - step: s
    op: ${c.out === "float" && !/[a-z]\(/.test(c.expr) && !c.expr.includes("[") ? "compute" : "tensor"}
    set:
${(c.pre ?? []).map(([n, e]) => `      ${n}: "${e}"\n`).join("")}      r: "${c.expr}"
  - step: done
    op: return
    output: success
    values: {r: "r"}
`,
    "oracle.vsp",
  );
}

export function oracleInputs(c: OracleCase): Map<string, Value> {
  return new Map(
    Object.entries(c.inputs).map(([k, { type, value }]) => [
      k,
      type === "integer"
        ? BigInt(value as number)
        : typeof value === "object"
          ? new Tensor(value.shape, Float64Array.from(value.data, num))
          : num(value),
    ]),
  );
}

const exact = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

/**
 * Within 2 units in the last place: for binary64 answers that go through exp, where
 * JavaScript's Math.exp and Python's are each within an ulp of the exact value
 * but not always the same double (the docs promise binary64, not a correctly rounded exp).
 */
const near = (a: number, b: number): boolean => exact(a, b) || Math.abs(a - b) <= 2 * Number.EPSILON * Math.abs(b);

/** Where a run's answer differs from the oracle's; null when they agree. */
export function differs(r: RunResult, want: OracleAnswer, ulps = false): string | null {
  const same = ulps ? near : exact;
  if ("error" in want) {
    if (r.status !== "runtime_error") return `wanted ${want.error}, got ${r.status} ${show(r.output?.fields.get("r"))}`;
    if (r.failure!.code !== want.error) return `wanted ${want.error}, got ${r.failure!.code}: ${r.failure!.message}`;
    if (want.message !== null && !r.failure!.message.includes(want.message))
      return `wanted the message '${want.message}', got '${r.failure!.message}'`;
    return null;
  }
  if (r.status !== "success") return `wanted a value, got ${r.status}: ${r.failure?.code} ${r.failure?.message}`;
  const got = r.output!.fields.get("r");
  const w = want.value;
  if (typeof w !== "object") {
    return typeof got === "number" && same(got, num(w)) ? null : `wanted ${num(w)}, got ${show(got)}`;
  }
  if (!(got instanceof Tensor)) return `wanted a tensor, got ${show(got)}`;
  if (JSON.stringify(got.shape) !== JSON.stringify(w.shape)) return `wanted shape [${w.shape}], got [${got.shape}]`;
  const bad = w.data.findIndex((x, i) => !same(num(x), got.data[i]!));
  return bad < 0 ? null : `element ${bad}: wanted ${num(w.data[bad]!)}, got ${show(got.data[bad])} (all: ${show(got)})`;
}

const show = (v: unknown): string =>
  v instanceof Tensor
    ? `tensor[${v.shape}](${[...v.data].map((x) => (Object.is(x, -0) ? "-0" : String(x))).join(", ")})`
    : Object.is(v, -0)
      ? "-0"
      : String(v);
