import type { SampleValue } from "./ast.js";
import type { Loc } from "./diagnostics.js";
import { typeToString, type TypeTable, type VType } from "../values/types.js";
import { DECIMAL_TEXT, Decimal } from "../values/decimal.js";
import { INT64_MAX, INT64_MIN, Tensor, Timestamp, VMap, VRecord, VSet, type Value } from "../values/values.js";

// Reads a value written in YAML (a sample input, a default) as a value of its
// declared Vesper type. Decimals are built from the source text, never through a
// binary float, so `99.99` in a file is exactly 99.99. A record holds its fields in the
// order its type declares them, whatever order the text writes them in.

export type ValueProblem = (loc: Loc, message: string) => void;

export function readValue(
  sv: SampleValue,
  type: VType,
  table: TypeTable,
  problem: ValueProblem,
  path = "value",
): Value | undefined {
  const fail = (message: string): undefined => {
    problem(sv.loc, `${path}: ${message}`);
    return undefined;
  };
  if (sv.problem !== undefined) return fail(sv.problem);
  const v = sv.value;
  if (v === null && !sv.items && !sv.entries)
    return type.kind === "any" || type.kind === "null"
      ? null
      : fail(`expected a value of type ${typeToString(type)}, got null`);
  switch (type.kind) {
    case "any":
      return toUntyped(sv);
    case "null":
      return fail("expected null");
    case "string":
      return typeof v === "string" ? v : fail(`expected a string, got ${describe(sv)}`);
    case "enum":
      if (typeof v !== "string") return fail(`expected one of ${type.values.join(", ")}, got ${describe(sv)}`);
      return type.values.includes(v) ? v : fail(`'${v}' is not one of ${type.values.join(", ")}`);
    case "boolean":
      return typeof v === "boolean" ? v : fail(`expected true or false, got ${describe(sv)}`);
    case "integer": {
      const text = typeof v === "number" ? (sv.text ?? String(v)) : typeof v === "string" ? v : undefined;
      if (text === undefined || !/^[+-]?\d+$/.test(text)) return fail(`expected an integer, got ${describe(sv)}`);
      const n = BigInt(text);
      return n < INT64_MIN || n > INT64_MAX ? fail(`${text} is outside the 64-bit integer range`) : n;
    }
    case "decimal": {
      const text = typeof v === "number" ? (sv.text ?? String(v)) : typeof v === "string" ? v : undefined;
      if (text === undefined || !DECIMAL_TEXT.test(text)) return fail(`expected a decimal number, got ${describe(sv)}`);
      return new Decimal(text);
    }
    case "float": {
      // A string is read only when it is written as the decimal pattern is (docs/vesper-ir.md 4.4): Number()
      // alone would also take "0x10", " 12 " and "1e3 " as numbers.
      const n = typeof v === "number" ? v : typeof v === "string" && DECIMAL_TEXT.test(v) ? Number(v) : NaN;
      return Number.isFinite(n) ? n : fail(`expected a finite number, got ${describe(sv)}`);
    }
    case "timestamp": {
      const ms = typeof v === "string" ? Date.parse(v) : NaN;
      return Number.isNaN(ms)
        ? fail(`expected an ISO-8601 timestamp such as 2026-01-31T12:00:00Z, got ${describe(sv)}`)
        : new Timestamp(ms);
    }
    case "bytes":
      if (typeof v !== "string" || !/^([0-9a-fA-F]{2})*$/.test(v))
        return fail("expected bytes written as a hex string");
      return Uint8Array.from(Buffer.from(v, "hex"));
    case "array":
    case "set": {
      if (!sv.items) return fail(`expected a list, got ${describe(sv)}`);
      const items = sv.items.map((item, i) => readValue(item, type.element, table, problem, `${path}[${i}]`));
      if (items.some((x) => x === undefined)) return undefined;
      return type.kind === "array" ? (items as Value[]) : new VSet(items as Value[]);
    }
    case "map": {
      if (!sv.entries) return fail(`expected a mapping, got ${describe(sv)}`);
      const pairs: [Value, Value][] = [];
      for (const [k, item] of sv.entries) {
        const key = readValue({ loc: item.loc, value: k }, type.key, table, problem, `${path} key '${k}'`);
        const value = readValue(item, type.value, table, problem, `${path}.${k}`);
        if (key === undefined || value === undefined) return undefined;
        pairs.push([key, value]);
      }
      return new VMap(pairs);
    }
    case "record": {
      const record = table.get(type.name);
      if (!record) return undefined;
      if (!sv.entries) return fail(`expected a mapping for ${type.name}, got ${describe(sv)}`);
      const fields = new Map<string, Value>();
      let ok = true;
      for (const [k, item] of sv.entries) {
        const field = record.fields.get(k);
        if (!field) {
          problem(
            item.loc,
            `${path}: ${type.name} has no field '${k}' (fields: ${[...record.fields.keys()].join(", ")})`,
          );
          ok = false;
          continue;
        }
        const value = readValue(item, field.type, table, problem, `${path}.${k}`);
        if (value === undefined) ok = false;
        else fields.set(k, value);
      }
      for (const field of record.fields.values()) {
        if (field.required && !sv.entries.has(field.name)) {
          problem(sv.loc, `${path}: missing required field '${field.name}' of ${type.name}`);
          ok = false;
        }
      }
      // In the declared order, whatever order the text gives them in, so two records
      // with equal fields are one value (equality, set members and map keys compare
      // fields in order), as conform (src/values/conform.ts) builds them.
      const declared = [...record.fields.keys()].filter((k) => fields.has(k)).map((k) => [k, fields.get(k)!] as const);
      return ok ? new VRecord(type.name, new Map(declared)) : undefined;
    }
    case "tensor":
      return readTensor(sv, type, fail);
  }
}

function readTensor(
  sv: SampleValue,
  type: Extract<VType, { kind: "tensor" }>,
  fail: (m: string) => undefined,
): Tensor | undefined {
  // The shape is read down the first elements; then every list at depth d must have
  // shape[d] items and every leaf must lie at depth shape.length (a number beside a
  // list, `[1, [2, 3]]`, is ragged whichever comes first).
  const shape: number[] = [];
  for (let node: SampleValue | undefined = sv; node?.items; node = node.items[0]) shape.push(node.items.length);
  const data: number[] = [];
  const walk = (node: SampleValue, depth: number): boolean => {
    if (!node.items) {
      if (depth !== shape.length || typeof node.value !== "number" || !Number.isFinite(node.value)) return false;
      data.push(node.value);
      return true;
    }
    if (depth >= shape.length || shape[depth] !== node.items.length) return false;
    return node.items.every((item) => walk(item, depth + 1));
  };
  if (!walk(sv, 0))
    return fail(`expected a ${typeToString(type)} written as nested lists of finite numbers of equal length`);
  if (shape.length !== type.shape.length) {
    return fail(
      `expected a rank-${type.shape.length} tensor ${typeToString(type)}, got rank ${shape.length} [${shape.join(", ")}]`,
    );
  }
  const mismatch = type.shape.findIndex((d, i) => typeof d === "number" && d !== shape[i]);
  if (mismatch >= 0) return fail(`dimension ${mismatch} must be ${type.shape[mismatch]}, got ${shape[mismatch]}`);
  return new Tensor(shape, Float64Array.from(data));
}

function describe(sv: SampleValue): string {
  if (sv.items) return "a list";
  if (sv.entries) return "a mapping";
  if (typeof sv.value === "string") return `'${sv.value}'`;
  return String(sv.text ?? sv.value);
}

/** A value whose type is unknown at validate time keeps its natural YAML shape. */
function toUntyped(sv: SampleValue): Value {
  if (sv.items) return sv.items.map(toUntyped);
  if (sv.entries) return new VRecord("record", new Map([...sv.entries].map(([k, v]) => [k, toUntyped(v)])));
  if (typeof sv.value === "number")
    return Number.isInteger(sv.value) && sv.text && /^[+-]?\d+$/.test(sv.text)
      ? BigInt(sv.text)
      : new Decimal(sv.text ?? String(sv.value));
  return sv.value as Value;
}
