import { ConformError, conform } from "../../values/conform.js";
import { Decimal } from "../../values/decimal.js";
import { withDisplayScale } from "../../values/display-scale.js";
import type { TypeTable, VType } from "../../values/types.js";
import { INT64_MAX, INT64_MIN, Tensor, VRecord, recordOf, type Value } from "../../values/values.js";

// conform() (src/values/conform.ts) compiled once per type and path: the direct
// runtime conforms its outputs and tool results on every run, and most values are
// already in their declared representation. A compiled conformer passes such a value
// through with one test, builds a record from its declared fields (a name-list record,
// read with `get`: values.ts recordOf), and hands every
// other case (a conversion, an error, a collection) to conform() itself, so the
// results and the error messages are conform()'s.

export type Conformer = (v: unknown) => Value;

export function conformer(type: VType, table: TypeTable, path: string): Conformer {
  const slow: Conformer = (v) => conform(v, type, table, path);
  switch (type.kind) {
    case "decimal":
      return (v) => (v instanceof Decimal ? v : slow(v));
    case "integer":
      return (v) => (typeof v === "bigint" && v >= INT64_MIN && v <= INT64_MAX ? v : slow(v));
    case "string":
      return (v) => (typeof v === "string" ? v : slow(v));
    case "boolean":
      return (v) => (typeof v === "boolean" ? v : slow(v));
    case "float":
      return (v) => (typeof v === "number" ? v : slow(v));
    case "tensor":
      return (v) => (v instanceof Tensor ? v : slow(v));
    case "enum": {
      const members = new Set(type.values);
      return (v) => (typeof v === "string" && members.has(v) ? v : slow(v));
    }
    case "record":
      return recordConformer(type.name, table, path, slow);
    default:
      return slow;
  }
}

function recordConformer(name: string, table: TypeTable, path: string, slow: Conformer): Conformer {
  const record = table.get(name);
  if (!record) return slow;
  // Built on first use: a record type may contain itself.
  let fields: { name: string; required: boolean; conform: Conformer }[] | undefined;
  let names: readonly string[] | undefined;
  return (v) => {
    if (!(v instanceof VRecord)) return slow(v);
    if (fields === undefined) {
      fields = [...record.fields.values()].map((f) => {
        const plain = conformer(f.type, table, `${path}.${f.name}`);
        const scale = f.scale;
        // A decimal field declared with a scale prints at it, as conform() marks it (display only).
        const conform: Conformer =
          scale === undefined
            ? plain
            : (x) => {
                const c = plain(x);
                return c instanceof Decimal ? withDisplayScale(c, scale) : c;
              };
        return { name: f.name, required: f.required, conform };
      });
      names = fields.map((f) => f.name);
    }
    // Each field read with `get` (a name-list record's Map is not built for it), the result a name-list
    // record of the declared fields in order: the record the Map would make (values.ts recordOf).
    const values = new Array<Value>(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const value = v.get(f.name);
      if (value === undefined || value === null) {
        if (f.required) throw new ConformError(`${path}: missing required field '${f.name}' of ${name}`);
        values[i] = null;
      } else values[i] = f.conform(value);
    }
    return recordOf(name, names!, values);
  };
}
