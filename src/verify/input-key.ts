import { Decimal } from "../values/decimal.js";
import { keyOf, VRecord, type Value } from "../values/values.js";

// The canonical key of an input set, as the context seed hashes it: exactly the text
// keyOf (src/values/values.ts) gives the inputs as a record named `input` with its
// fields sorted by name, built by appending to one string instead of mapping and
// joining arrays at every level. Records, arrays and the scalar kinds are written
// here; every other kind (sets, maps, tensors, timestamps, bytes, floats) is handed
// to keyOf itself. A property test holds the two to the same text
// (test/property/input-key-is-keyof.property.test.ts): the seeds recorded in
// regression cases depend on it.

/** keyOf(input(<inputs sorted by name>)), the same text. */
export function inputKey(inputs: ReadonlyMap<string, Value>): string {
  const names = [...inputs.keys()].sort((a, b) => (a < b ? -1 : 1));
  let key = "input(";
  for (let i = 0; i < names.length; i++) key += `${i > 0 ? "," : ""}${names[i]}=${valueKey(inputs.get(names[i]!)!)}`;
  return `${key})`;
}

/** keyOf(v), the same text. */
export function valueKey(v: Value): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "bigint":
      return `n:${v}`;
    case "string":
      return `s:${v}`;
    case "boolean":
      return v ? "b:true" : "b:false";
  }
  if (v instanceof VRecord) {
    let key = `${v.typeName}(`;
    let first = true;
    for (const [name, field] of v.fields) {
      key += `${first ? "" : ","}${name}=${valueKey(field)}`;
      first = false;
    }
    return `${key})`;
  }
  if (Array.isArray(v)) {
    let key = "[";
    for (let i = 0; i < v.length; i++) key += `${i > 0 ? "," : ""}${valueKey(v[i]!)}`;
    return `${key}]`;
  }
  if (Decimal.isDecimal(v)) {
    const d = v as Decimal;
    return `n:${d.isInteger() ? d.toFixed(0) : d.toString()}`;
  }
  return keyOf(v);
}
