// The Vesper type model: what a declared type means once names are resolved.
// Records are referenced by name and looked up in a TypeTable, so recursive
// record types need no special handling.

export const DTYPES = ["float32", "float64", "int32", "bool"] as const;
export type Dtype = (typeof DTYPES)[number];

/** A tensor dimension: a fixed size, a symbolic size shared by name, or unknown. */
export type Dim = number | string | null;

export type VType =
  | { kind: "string" }
  | { kind: "integer" }
  | { kind: "decimal" }
  | { kind: "float" }
  | { kind: "boolean" }
  | { kind: "bytes" }
  | { kind: "timestamp" }
  | { kind: "null" }
  /** Unknown at validate time (an untyped tool result); checks are deferred to run time. */
  | { kind: "any" }
  | { kind: "tensor"; dtype: Dtype; shape: Dim[] }
  | { kind: "array"; element: VType }
  | { kind: "set"; element: VType }
  | { kind: "map"; key: VType; value: VType }
  | { kind: "enum"; values: string[] }
  | { kind: "record"; name: string };

export const PRIMITIVE_NAMES = ["string", "integer", "decimal", "float", "boolean", "bytes", "timestamp"] as const;
/** Type names that take parameters: `array<T>`, `set<T>`, `map<K, V>`, `tensor<...>`, `enum[...]`. */
export const PARAMETERIZED_NAMES = ["array", "set", "map", "tensor", "enum"] as const;

export interface FieldDef {
  name: string;
  type: VType;
  required: boolean;
  /** Digits after the point a decimal field prints with (display only: see display-scale.ts). */
  scale?: number;
}

export interface RecordDef {
  name: string;
  fields: Map<string, FieldDef>;
}

/** Every record type a node can mention, declared or synthesized (outputs, tool results). */
export type TypeTable = Map<string, RecordDef>;

export const T = {
  string: { kind: "string" } as VType,
  integer: { kind: "integer" } as VType,
  decimal: { kind: "decimal" } as VType,
  float: { kind: "float" } as VType,
  boolean: { kind: "boolean" } as VType,
  null: { kind: "null" } as VType,
  any: { kind: "any" } as VType,
  timestamp: { kind: "timestamp" } as VType,
};

export function typeToString(t: VType): string {
  switch (t.kind) {
    case "tensor":
      return `tensor<${t.dtype}, [${t.shape.map((d) => (d === null ? "?" : String(d))).join(", ")}]>`;
    case "array":
    case "set":
      return `${t.kind}<${typeToString(t.element)}>`;
    case "map":
      return `map<${typeToString(t.key)}, ${typeToString(t.value)}>`;
    case "enum":
      return `enum[${t.values.join(", ")}]`;
    case "record":
      return t.name;
    default:
      return t.kind;
  }
}

export function isNumeric(t: VType): boolean {
  return t.kind === "integer" || t.kind === "decimal" || t.kind === "float";
}

/** The type of `x` in `FORALL x IN c`: elements of arrays and sets, keys of maps. */
export function elementOf(t: VType): VType | undefined {
  if (t.kind === "array" || t.kind === "set") return t.element;
  if (t.kind === "map") return t.key;
  if (t.kind === "any") return T.any;
  return undefined;
}

/**
 * Whether a value of type `from` may be stored where `to` is declared.
 * Integers widen to decimal and float; null fits anywhere (required-ness is checked separately).
 */
export function isAssignable(from: VType, to: VType): boolean {
  if (from.kind === "any" || to.kind === "any" || from.kind === "null") return true;
  if (from.kind === "integer" && (to.kind === "decimal" || to.kind === "float")) return true;
  if (from.kind === "enum" && to.kind === "enum") return from.values.every((v) => to.values.includes(v));
  if (from.kind === "enum" && to.kind === "string") return true;
  if (from.kind !== to.kind) return false;
  switch (to.kind) {
    case "tensor": {
      const f = from as typeof to;
      return (
        f.dtype === to.dtype &&
        f.shape.length === to.shape.length &&
        f.shape.every((d, i) => dimsCompatible(d, to.shape[i]!))
      );
    }
    case "array":
    case "set":
      return isAssignable((from as typeof to).element, to.element);
    case "map": {
      const f = from as typeof to;
      return isAssignable(f.key, to.key) && isAssignable(f.value, to.value);
    }
    case "record":
      return (from as typeof to).name === to.name;
    default:
      return true;
  }
}

/** Two dimensions can describe the same axis unless both are different fixed sizes. */
export function dimsCompatible(a: Dim, b: Dim): boolean {
  return typeof a !== "number" || typeof b !== "number" || a === b;
}
