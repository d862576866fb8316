import { TRACE_STATUSES } from "../trace/queries.js";
import type { TraceStatus } from "../trace/reader.js";

// The words a front end reads when a user narrows the trace list, read the same way
// by `vesper traces list` and the TUI's Replay filter: a status name (or `failed`,
// any status that is neither success nor running), and a UTC date or date-time. A
// date read as an end (`until`) means the end of that day. Each returns undefined
// for what it cannot read, and the front end says so in its own words (a flag, a
// filter term); TRACE_TIME_EXAMPLE is what to tell the user to type instead.

/** Every status a finished run can end in but success; stored `running` traces whose writer is gone read as `incomplete`. */
export const FAILED_STATUSES: readonly TraceStatus[] = TRACE_STATUSES.filter((s) => s !== "success" && s !== "running");

/** The names a status filter takes, for messages and help. */
export const STATUS_NAMES: readonly string[] = [...TRACE_STATUSES, "failed"];

export const TRACE_TIME_EXAMPLE = "2026-11-01 or 2026-11-01T09:30Z";

/** A status name (any case) as the statuses it stands for; `failed` (or `failure`) stands for several. */
export function traceStatusesNamed(name: string): readonly TraceStatus[] | undefined {
  const v = name.toLowerCase();
  if (v === "failed" || v === "failure") return FAILED_STATUSES;
  const found = TRACE_STATUSES.find((s) => s === v);
  return found ? [found] : undefined;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * `YYYY-MM-DD` (midnight UTC; with `end`, the next midnight, so the day is included)
 * or `YYYY-MM-DDTHH:MM[:SS[.mmm]]` (a space may stand for the T) in UTC unless it
 * ends in Z or an offset such as +02:00; as Unix ms. Undefined for anything else,
 * impossible dates (2026-02-30) included.
 */
export function traceTimeOf(text: string, end = false): number | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const n = (part: string | undefined) => (part === undefined ? 0 : Number(part));
  const [year, month, day, hour, minute, second] = [n(y), n(mo), n(d), n(h), n(mi), n(s)];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // the year as written (Date.UTC reads 0099 as 1999)
  if (date.getUTCDate() !== day) return undefined;
  const midnight = date.getTime();
  if (h === undefined) return end ? midnight + 86_400_000 : midnight;
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, "0"));
  const offset = offsetMs(zone);
  if (offset === undefined) return undefined;
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offset;
}

/** Z or +HH:MM / -HHMM as ms east of UTC; undefined for an offset no clock has. */
function offsetMs(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}
