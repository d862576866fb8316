import { Decimal } from "./decimal.js";
import { decimalText } from "./display-scale.js";
import { type Tensor, Timestamp, VMap, VRecord, VSet, type Value } from "./values.js";

// Values as JSON for --json output and the trace store. Nothing loses precision:
// decimals and integers beyond 2^53 become strings, tensors nested lists. JSON has
// no non-finite numbers, so a float that is NaN, Infinity or -Infinity is the
// string "NaN", "Infinity" or "-Infinity", alone or as a tensor's element.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function toJson(v: Value): Json {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return floatJson(v);
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Decimal.isDecimal(v)) return decimalText(v as Decimal);
  if (v instanceof Timestamp) return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof VSet) return v.values().map(toJson);
  if (v instanceof VMap) {
    const pairs = [...v.entries.values()];
    if (pairs.every(([k]) => typeof k === "string"))
      return Object.fromEntries(pairs.map(([k, val]) => [k as string, toJson(val)]));
    return pairs.map(([k, val]) => [toJson(k), toJson(val)]);
  }
  if (v instanceof VRecord) return Object.fromEntries([...v.fields].map(([k, val]) => [k, toJson(val)]));
  return tensorToJson(v);
}

function tensorToJson(t: Tensor): Json {
  const nest = (offset: number, depth: number): Json => {
    if (depth === t.shape.length) return floatJson(t.data[offset]!);
    const stride = t.shape.slice(depth + 1).reduce((p, d) => p * d, 1);
    return Array.from({ length: t.shape[depth]! }, (_, i) => nest(offset + i * stride, depth + 1));
  };
  return nest(0, 0);
}

function floatJson(x: number): Json {
  return Number.isFinite(x) ? x : String(x);
}
