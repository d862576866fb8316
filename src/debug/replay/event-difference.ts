// Says in one line where a re-executed step's content departs from its recorded
// row: the first binding, call or outcome that differs, with both values.

import { formatValue } from "../../values/values.js";
import { decodeValue, type Encoded } from "../../trace/value-codec.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

/** A recorded value as people read values (3.2, not {"$d":"3.2"}). */
const value = (v: Json | undefined): string =>
  v === undefined ? "unbound" : clip(formatValue(decodeValue(v as Encoded)));

const show = (v: Json | undefined): string => (v === undefined ? "nothing" : clip(JSON.stringify(v)));

export function firstDifference(recorded: Json, replayed: Json): string {
  const r = recorded as { [k: string]: Json };
  const p = replayed as { [k: string]: Json };
  const rc = (r.changed ?? []) as [string, Json][];
  const pc = (p.changed ?? []) as [string, Json][];
  for (let i = 0; i < Math.max(rc.length, pc.length); i++) {
    const [rn, rv] = rc[i] ?? [];
    const [pn, pv] = pc[i] ?? [];
    if (rn !== pn) return `the recorded step bound ${rn ?? "nothing"}, the replay ${pn ?? "nothing"}`;
    if (JSON.stringify(rv) !== JSON.stringify(pv))
      return `${rn} was ${value(rv)} when recorded, ${value(pv)} in the replay`;
  }
  for (const key of new Set([...Object.keys(r), ...Object.keys(p)])) {
    if (key === "changed") continue;
    if (JSON.stringify(r[key]) !== JSON.stringify(p[key]))
      return `${key}: ${show(r[key])} when recorded, ${show(p[key])} in the replay`;
  }
  return "the step differs from its recorded row";
}
