import { keyOf, VMap, VRecord, formatValue, type Value } from "../values/values.js";

// Where two values differ, as a path people can read (`charge.status`,
// `items[1].quantity`, `rates[USD]`), and both values there; and the value found at
// such a path. The debugger and the replay show a difference at the part that
// differs, rendered by the value formatter, instead of two whole values clipped
// before the difference. Paths are written the way the divergence comparator writes
// them (`.field` for records, `[i]` for lists, `[key]` for maps).

export interface ValueDifference {
  path: string;
  left: Value;
  right: Value;
}

/** The first place (depth first, in field order) where `a` and `b` differ exactly; undefined when equal. */
export function firstValueDifference(a: Value, b: Value, path: string): ValueDifference | undefined {
  if (keyOf(a) === keyOf(b)) return undefined;
  if (a instanceof VRecord && b instanceof VRecord && a.typeName === b.typeName) {
    for (const k of new Set([...a.fields.keys(), ...b.fields.keys()])) {
      const d = firstValueDifference(a.fields.get(k) ?? null, b.fields.get(k) ?? null, `${path}.${k}`);
      if (d) return d;
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      const d = firstValueDifference(a[i]!, b[i]!, `${path}[${i}]`);
      if (d) return d;
    }
  }
  if (a instanceof VMap && b instanceof VMap) {
    for (const k of new Set([...a.entries.keys(), ...b.entries.keys()])) {
      const ea = a.entries.get(k);
      const eb = b.entries.get(k);
      const label = formatKey(ea?.[0] ?? eb![0]);
      const d = firstValueDifference(ea?.[1] ?? null, eb?.[1] ?? null, `${path}[${label}]`);
      if (d) return d;
    }
  }
  return { path, left: a, right: b };
}

/**
 * The value at `suffix` (`.status`, `[1].quantity`, `[USD]`) under `root`; undefined
 * when the path leads nowhere. Map keys are matched as the comparator writes them
 * (the key's identity) or as the value formatter shows them.
 */
export function valueAt(root: Value | undefined, suffix: string): Value | undefined {
  let v: Value | undefined = root;
  for (const m of suffix.matchAll(/\.([^.[\]]+)|\[([^\]]*)\]/g)) {
    if (v === undefined) return undefined;
    const [, field, index] = m;
    if (field !== undefined) v = v instanceof VRecord ? v.fields.get(field) : undefined;
    else if (Array.isArray(v)) v = /^\d+$/.test(index!) ? v[Number(index)] : undefined;
    else if (v instanceof VMap) {
      const entry = v.entries.get(index!) ?? [...v.entries.values()].find(([k]) => formatKey(k) === index);
      v = entry?.[1];
    } else return undefined;
  }
  return v;
}

/** Two differing values as people read them; long strings show the part around the first different character. */
export function showPair(a: Value, b: Value, room = 60): [string, string] {
  if (typeof a === "string" && typeof b === "string" && Math.max(a.length, b.length) > room) {
    let p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) p++;
    const start = Math.max(0, p - Math.floor(room / 3));
    const cut = (s: string) =>
      `${start > 0 ? "…" : ""}${s.slice(start, start + room)}${start + room < s.length ? "…" : ""}`;
    return [JSON.stringify(cut(a)), JSON.stringify(cut(b))];
  }
  return [clipped(formatValue(a), room * 2), clipped(formatValue(b), room * 2)];
}

const clipped = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

function formatKey(k: Value): string {
  return typeof k === "string" ? k : formatValue(k);
}
