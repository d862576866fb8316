import { firstValueDifference, showPair } from "../value-path.js";
import { decodeValue, type Encoded } from "../../trace/value-codec.js";

// Says in one line where a re-executed step's content departs from its recorded
// row: the first binding, call or outcome that differs, down to the part that
// differs (`charge.status`, `unlisted[0].attempts`, `error.message`), with both
// values there as the value formatter shows them. A long string shows the part
// around its first different character, never two texts cut before it.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** An object that is an encoded value (`{"$d": "3.2"}`, `{"$r": …}`) rather than a structure of the event. */
const isEncodedValue = (j: Json): boolean =>
  j !== null && typeof j === "object" && !Array.isArray(j) && Object.keys(j).some((k) => k.startsWith("$"));

const decode = (j: Json) => decodeValue(j as Encoded);

export function firstDifference(recorded: Json, replayed: Json): string {
  const r = recorded as { [k: string]: Json };
  const p = replayed as { [k: string]: Json };
  const rc = (r.changed ?? []) as [string, Json][];
  const pc = (p.changed ?? []) as [string, Json][];
  for (let i = 0; i < Math.max(rc.length, pc.length); i++) {
    const [rn, rv] = rc[i] ?? [];
    const [pn, pv] = pc[i] ?? [];
    if (rn !== pn) return `the recorded step bound ${rn ?? "nothing"}, the replay ${pn ?? "nothing"}`;
    if (JSON.stringify(rv) !== JSON.stringify(pv)) return sentence(leafDifference(rv!, pv!, rn!), "was");
  }
  for (const key of new Set([...Object.keys(r), ...Object.keys(p)])) {
    if (key === "changed") continue;
    if (JSON.stringify(r[key]) !== JSON.stringify(p[key])) return sentence(leafDifference(r[key], p[key], key), ":");
  }
  return "the step differs from its recorded row";
}

interface Leaf {
  path: string;
  /** Both sides as shown; "nothing" where a side has no value there. */
  recorded: string;
  replayed: string;
}

function sentence(d: Leaf, verb: "was" | ":"): string {
  return verb === "was"
    ? `${d.path} was ${d.recorded} when recorded, ${d.replayed} in the replay`
    : `${d.path}: ${d.recorded} when recorded, ${d.replayed} in the replay`;
}

/** The first leaf (depth first) where two JSON trees differ; encoded values are compared as values. */
function leafDifference(a: Json | undefined, b: Json | undefined, path: string): Leaf {
  if (a === undefined || b === undefined)
    return { path, recorded: a === undefined ? "nothing" : show(a), replayed: b === undefined ? "nothing" : show(b) };
  if (isEncodedValue(a) || isEncodedValue(b) || !isContainer(a) || !isContainer(b)) {
    try {
      const left = decode(a);
      const right = decode(b);
      const d = firstValueDifference(left, right, path);
      const [x, y] = d ? showPair(d.left, d.right) : showPair(left, right);
      return { path: d?.path ?? path, recorded: x, replayed: y };
    } catch {
      return { path, recorded: show(a), replayed: show(b) };
    }
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return leafDifference(a[i], b[i], `${path}[${i}]`);
  } else if (!Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as { [k: string]: Json };
    const bo = b as { [k: string]: Json };
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)]))
      if (JSON.stringify(ao[k]) !== JSON.stringify(bo[k])) return leafDifference(ao[k], bo[k], `${path}.${k}`);
  }
  return { path, recorded: show(a), replayed: show(b) };
}

const isContainer = (j: Json): boolean => j !== null && typeof j === "object";

function show(j: Json): string {
  try {
    return showPair(decode(j), decode(j))[0];
  } catch {
    return JSON.stringify(j);
  }
}
