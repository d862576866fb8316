import { DECIMAL_TEXT, Decimal } from "./decimal.js";
import { withDisplayScale } from "./display-scale.js";
import { INT64_MAX, INT64_MIN, Tensor, Timestamp, VMap, VRecord, VSet, formatValue, type Value } from "./values.js";
import { typeToString, type TypeTable, type VType } from "./types.js";
import type { ErrorCode } from "./error-codes.js";
import { VesperError } from "./errors.js";

// Gives a value the representation of the type it is stored as: an integer stored
// in a decimal field becomes a Decimal, a tool's JSON number becomes the declared
// integer, decimal or float, a record gets every declared field (absent optional
// fields are null). Both runtimes conform outputs and tool results the same way,
// so their results compare field by field.

export class ConformError extends VesperError {
  override name = "ConformError";
  constructor(message: string, code: ErrorCode = "R209") {
    super(code, message);
  }
}

export function conform(v: unknown, type: VType, table: TypeTable, path: string): Value {
  const fail = (what: string): never => {
    throw new ConformError(`${path}: expected ${what}, got ${describe(v)}`);
  };
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case "any":
      return fromPlain(v);
    case "null":
      return fail("null");
    case "string":
      return typeof v === "string" ? v : fail("a string");
    case "enum":
      return typeof v === "string" && type.values.includes(v) ? v : fail(`one of ${type.values.join(", ")}`);
    case "boolean":
      return typeof v === "boolean" ? v : fail("a boolean");
    case "integer": {
      const n =
        typeof v === "bigint"
          ? v
          : typeof v === "number" && Number.isInteger(v)
            ? BigInt(v)
            : Decimal.isDecimal(v) && (v as Decimal).isInteger()
              ? BigInt((v as Decimal).toFixed(0))
              : fail("an integer");
      return n < INT64_MIN || n > INT64_MAX ? fail("a 64-bit integer") : n;
    }
    case "decimal":
      if (Decimal.isDecimal(v)) return v as Decimal;
      if (typeof v === "bigint") return new Decimal(v.toString());
      // A JSON number's shortest round-trip text is the number the service sent.
      if (typeof v === "number" && Number.isFinite(v)) return new Decimal(String(v));
      if (typeof v === "string" && DECIMAL_TEXT.test(v.trim())) return new Decimal(v.trim());
      return fail("a decimal number");
    case "float":
      if (typeof v === "number") return v;
      if (typeof v === "bigint") return Number(v);
      if (Decimal.isDecimal(v)) return (v as Decimal).toNumber();
      return fail("a number");
    case "timestamp":
      if (v instanceof Timestamp) return v;
      if (typeof v === "string" && !Number.isNaN(Date.parse(v))) return new Timestamp(Date.parse(v));
      return fail("a timestamp");
    case "bytes":
      if (v instanceof Uint8Array) return v;
      if (typeof v === "string" && /^([0-9a-fA-F]{2})*$/.test(v)) return Uint8Array.from(Buffer.from(v, "hex"));
      return fail("bytes");
    case "array":
    case "set": {
      const items = Array.isArray(v) ? v : v instanceof VSet ? v.values() : fail("a list");
      const conformed = items.map((item, i) => conform(item, type.element, table, `${path}[${i}]`));
      return type.kind === "array" ? conformed : new VSet(conformed);
    }
    case "map": {
      const pairs: [unknown, unknown][] =
        v instanceof VMap ? [...v.entries.values()] : isPlainObject(v) ? Object.entries(v) : fail("a mapping");
      return new VMap(
        pairs.map(([k, val]) => [
          conform(k, type.key, table, `${path} key`),
          conform(val, type.value, table, `${path}.${String(k)}`),
        ]),
      );
    }
    case "record": {
      const record = table.get(type.name);
      const source: Map<string, unknown> =
        v instanceof VRecord
          ? v.fields
          : isPlainObject(v)
            ? new Map(Object.entries(v))
            : fail(`a record of type ${type.name}`);
      if (!record) return fromPlain(v);
      const fields = new Map<string, Value>();
      for (const field of record.fields.values()) {
        const value = source.get(field.name);
        if ((value === undefined || value === null) && field.required) {
          throw new ConformError(`${path}: missing required field '${field.name}' of ${type.name}`);
        }
        const conformed = conform(value, field.type, table, `${path}.${field.name}`);
        fields.set(
          field.name,
          field.scale !== undefined && Decimal.isDecimal(conformed)
            ? withDisplayScale(conformed as Decimal, field.scale)
            : conformed,
        );
      }
      return new VRecord(type.name, fields);
    }
    case "tensor":
      return v instanceof Tensor ? v : fail(typeToString(type));
  }
}

/** A value from outside (JSON) with no declared type keeps its natural shape. */
export function fromPlain(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === "number") return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (isPlainObject(v)) return new VRecord("record", new Map(Object.entries(v).map(([k, val]) => [k, fromPlain(val)])));
  return v as Value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function describe(v: unknown): string {
  if (isPlainObject(v)) return "an object";
  try {
    return formatValue(v as Value);
  } catch {
    return String(v);
  }
}
