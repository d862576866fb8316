import { Decimal } from "../values/decimal.js";
import { withDisplayScale } from "../values/display-scale.js";
import { storedDecimalText } from "./decimal-text.js";
import { Tensor, Timestamp, VMap, VRecord, VSet, type Value } from "../values/values.js";

// Values as the trace store keeps them: JSON that decodes to exactly the value
// that was recorded, so a replay computes with what the run computed with. Plain
// JSON covers strings, booleans, null, finite floats and arrays; every other kind
// is an object with one `$`-tag (records are tagged too, so no plain object is ever
// ambiguous). toJson (runtime/json.ts) is the readable, lossy form for output.

export type Encoded = null | boolean | number | string | Encoded[] | { [tag: string]: Encoded };

export function encodeValue(v: Value): Encoded {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  // String(-0) is "0": negative zero is spelt out so it survives.
  if (typeof v === "number")
    return Number.isFinite(v) && !Object.is(v, -0) ? v : { $f: Object.is(v, -0) ? "-0" : String(v) };
  if (typeof v === "bigint") return { $i: v.toString() };
  // The digits as they print, so a decimal shown at its declared scale (3.20) reads back the same.
  if (Decimal.isDecimal(v)) return { $d: storedDecimalText(v as Decimal) };
  if (v instanceof Timestamp) return { $t: v.epochMs };
  if (v instanceof Uint8Array) return { $b: Buffer.from(v).toString("base64") };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v instanceof VSet) return { $set: v.values().map(encodeValue) };
  if (v instanceof VMap) return { $map: [...v.entries.values()].map(([k, val]) => [encodeValue(k), encodeValue(val)]) };
  if (v instanceof VRecord)
    return { $r: v.typeName, f: Object.fromEntries([...v.fields].map(([k, val]) => [k, encodeValue(val)])) };
  // Tensors keep their exact bits: float32 data stays float32.
  const bytes = Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength).toString("base64");
  return { $tensor: v.data instanceof Float32Array ? "f32" : "f64", shape: [...v.shape], data: bytes };
}

export function decodeValue(e: Encoded): Value {
  if (e === null || typeof e === "boolean" || typeof e === "string" || typeof e === "number") return e;
  if (Array.isArray(e)) return e.map(decodeValue);
  if ("$f" in e) return Number(e.$f);
  if ("$i" in e) return BigInt(e.$i as string);
  if ("$d" in e) return decodeDecimal(e.$d as string);
  if ("$t" in e) return new Timestamp(e.$t as number);
  if ("$b" in e) return new Uint8Array(Buffer.from(e.$b as string, "base64"));
  if ("$set" in e) return new VSet((e.$set as Encoded[]).map(decodeValue));
  if ("$map" in e) return new VMap((e.$map as Encoded[][]).map(([k, v]) => [decodeValue(k!), decodeValue(v!)]));
  if ("$r" in e) {
    const fields = e.f as { [k: string]: Encoded };
    return new VRecord(e.$r as string, new Map(Object.entries(fields).map(([k, v]) => [k, decodeValue(v)])));
  }
  if ("$tensor" in e) {
    const buf = Buffer.from(e.data as string, "base64");
    const copy = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const data = e.$tensor === "f32" ? new Float32Array(copy) : new Float64Array(copy);
    return new Tensor(e.shape as number[], data);
  }
  throw new Error(`not an encoded value: ${JSON.stringify(e).slice(0, 80)}`);
}

export function encodeBindings(m: ReadonlyMap<string, Value>): Record<string, Encoded> {
  // Own properties, as a record's fields are: a binding named __proto__ is kept, not taken as the prototype.
  return Object.fromEntries([...m].map(([k, v]) => [k, encodeValue(v)]));
}

export function decodeBindings(o: Record<string, Encoded>): Map<string, Value> {
  return new Map(Object.entries(o).map(([k, v]) => [k, decodeValue(v)]));
}

/** A decimal's text back to the value, keeping the trailing zeros it printed with ("3.20"). */
function decodeDecimal(text: string): Decimal {
  const d = new Decimal(text);
  const zeros = /^-?\d+\.(\d*?0+)$/.exec(text);
  return zeros ? withDisplayScale(d, zeros[1]!.length) : d;
}
