import { Decimal } from "./decimal.js";
import { decimalText } from "./display-scale.js";

// Run-time values. Each Vesper type has exactly one representation:
//   integer → bigint (64-bit range enforced)   decimal → Decimal    float → number
//   string → string   boolean → boolean   null → null   enum → string
//   timestamp → Timestamp   bytes → Uint8Array   array → Value[]
//   set → VSet   map → VMap   record → VRecord   tensor → Tensor

export type Value =
  | bigint
  | Decimal
  | number
  | string
  | boolean
  | null
  | Timestamp
  | Uint8Array
  | Value[]
  | VSet
  | VMap
  | VRecord
  | Tensor;

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export class Timestamp {
  constructor(readonly epochMs: number) {}
  toString(): string {
    return new Date(this.epochMs).toISOString();
  }
}

/**
 * A record: a type name and its fields by name. One made by recordOf (the direct
 * runtime's generated outputs) holds a name list shared by every record of its type
 * and an array of values, and builds its Map on the first read of `fields`, after
 * which it is exactly what the constructor makes (the list and the array dropped).
 * Every reader goes through `fields` (or `get`, which reads one field as `fields`
 * would without building the Map), so both kinds read, compare, hash, print and
 * encode the same; the three slots are own properties so that a structural
 * comparison of two records sees their contents.
 */
export class VRecord {
  private _fields: Map<string, Value> | undefined;
  private _names: readonly string[] | undefined;
  private _values: readonly Value[] | undefined;

  constructor(typeName: string, fields: Map<string, Value>);
  constructor(typeName: string, fields: undefined, names: readonly string[], values: readonly Value[]);
  constructor(
    readonly typeName: string,
    fields: Map<string, Value> | undefined,
    names?: readonly string[],
    values?: readonly Value[],
  ) {
    this._fields = fields;
    this._names = names;
    this._values = values;
  }

  get fields(): Map<string, Value> {
    return this._fields ?? this.build();
  }

  /**
   * One field's value, undefined when the record has no such field: `fields.get(name)`,
   * without building a name-list record's Map (a tool reading a few of its arguments).
   * The last of repeated names wins, as it does in the Map.
   */
  get(name: string): Value | undefined {
    const names = this._names;
    if (names === undefined) return this._fields!.get(name);
    for (let i = names.length - 1; i >= 0; i--) if (names[i] === name) return this._values![i];
    return undefined;
  }

  private build(): Map<string, Value> {
    const names = this._names!;
    const values = this._values!;
    const fields = new Map<string, Value>();
    for (let i = 0; i < names.length; i++) fields.set(names[i]!, values[i]!);
    this._fields = fields;
    this._names = undefined;
    this._values = undefined;
    return fields;
  }
}

/**
 * A record whose fields are `names[i]` = `values[i]`, in that order (the names once per
 * type, shared; the values taken, not copied); its Map is made when first read.
 */
export function recordOf(typeName: string, names: readonly string[], values: readonly Value[]): VRecord {
  return new VRecord(typeName, undefined, names, values);
}

export class Tensor {
  constructor(
    readonly shape: readonly number[],
    readonly data: Float64Array | Float32Array,
  ) {}
  get size(): number {
    return this.data.length;
  }
}

/** A set keyed by canonical value, so 1.50 and 1.5 (equal decimals) are one member. */
export class VSet {
  readonly items = new Map<string, Value>();
  constructor(values: Iterable<Value> = []) {
    for (const v of values) this.items.set(keyOf(v), v);
  }
  has(v: Value): boolean {
    return this.items.has(keyOf(v));
  }
  values(): Value[] {
    return [...this.items.values()];
  }
}

export class VMap {
  readonly entries = new Map<string, [Value, Value]>();
  constructor(pairs: Iterable<[Value, Value]> = []) {
    for (const [k, v] of pairs) this.entries.set(keyOf(k), [k, v]);
  }
  get(k: Value): Value | undefined {
    return this.entries.get(keyOf(k))?.[1];
  }
  has(k: Value): boolean {
    return this.entries.has(keyOf(k));
  }
  keys(): Value[] {
    return [...this.entries.values()].map(([k]) => k);
  }
}

/**
 * A canonical string for a value: equal values (by Vesper's equality) get equal keys.
 * Numbers of different kinds that are equal (2, 2.0, 2.00) share a key.
 */
export function keyOf(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "bigint") return `n:${v}`;
  if (typeof v === "number") return Number.isInteger(v) ? `n:${v}` : `n:${new Decimal(v).toString()}`;
  if (Decimal.isDecimal(v))
    return `n:${(v as Decimal).isInteger() ? (v as Decimal).toFixed(0) : (v as Decimal).toString()}`;
  if (typeof v === "string") return `s:${v}`;
  if (typeof v === "boolean") return `b:${v}`;
  if (v instanceof Timestamp) return `t:${v.epochMs}`;
  if (v instanceof Uint8Array) return `x:${Buffer.from(v).toString("hex")}`;
  if (Array.isArray(v)) return `[${v.map(keyOf).join(",")}]`;
  if (v instanceof VSet) return `{${[...v.items.keys()].sort().join(",")}}`;
  if (v instanceof VMap)
    return `{${[...v.entries.entries()]
      .map(([k, [, val]]) => `${k}=${keyOf(val)}`)
      .sort()
      .join(",")}}`;
  if (v instanceof VRecord) return `${v.typeName}(${[...v.fields].map(([k, val]) => `${k}=${keyOf(val)}`).join(",")})`;
  return `T${JSON.stringify(v.shape)}:${Array.from(v.data).join(",")}`;
}

/** A short, readable rendering for messages and the CLI. */
export function formatValue(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint" || typeof v === "number" || typeof v === "boolean") return String(v);
  if (Decimal.isDecimal(v)) return decimalText(v as Decimal);
  if (v instanceof Timestamp) return v.toString();
  if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString("hex")}`;
  if (Array.isArray(v)) return `[${v.map(formatValue).join(", ")}]`;
  if (v instanceof VSet) return `{${v.values().map(formatValue).join(", ")}}`;
  if (v instanceof VMap)
    return `{${[...v.entries.values()].map(([k, val]) => `${formatValue(k)}: ${formatValue(val)}`).join(", ")}}`;
  if (v instanceof VRecord)
    return `${v.typeName} {${[...v.fields].map(([k, val]) => `${k}: ${formatValue(val)}`).join(", ")}}`;
  return `tensor[${v.shape.join("x")}](${Array.from(v.data.slice(0, 6), (x: number) => +x.toPrecision(6)).join(", ")}${v.size > 6 ? ", …" : ""})`;
}
