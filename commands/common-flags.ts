import { Option } from "commander";
import { UsageError } from "../src/values/errors.js";

// Flags several verbs share, declared once: one help text for --store and --json,
// and one wording for the errors of integer and percentage flags. A verb's own
// flags stay in its register function.

const STORE_HELP = "the trace store (default: VEYRA_STORE, then veyra.config.yaml, then ./traces/vesper.db)";

/** --store <file>: where the trace store is. */
export function storeOption(): Option {
  return new Option("--store <file>", STORE_HELP);
}

/** --json, with what the JSON holds. */
export function jsonOption(what = "print JSON instead of text"): Option {
  return new Option("--json", what);
}

/** A repeatable flag's values, in the order given. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

const grouped = (n: number) => n.toLocaleString("en-US");

/**
 * A whole-number flag: absent gives `fallback`; anything but digits, or a value
 * outside min..max, is a usage error that names the flag and the range.
 */
export function wholeNumber(
  text: string | undefined,
  flag: string,
  range: { min: number; max?: number; fallback: number },
): number;
export function wholeNumber(
  text: string | undefined,
  flag: string,
  range: { min: number; max?: number; fallback?: undefined },
): number | undefined;
export function wholeNumber(
  text: string | undefined,
  flag: string,
  range: { min: number; max?: number; fallback?: number },
): number | undefined {
  if (text === undefined) return range.fallback;
  const n = Number(text.trim());
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^\d+$/.test(text.trim()) || n < range.min || n > max) {
    const span =
      range.max === undefined ? `of at least ${grouped(range.min)}` : `from ${grouped(range.min)} to ${grouped(max)}`;
    throw new UsageError(`${flag} must be a whole number ${span}, not '${text}'`);
  }
  return n;
}

/** A percentage flag (0 to 100, fractions allowed); absent gives undefined. */
export function percentage(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(text.trim() !== "" && n >= 0 && n <= 100)) {
    throw new UsageError(`${flag} must be a percentage between 0 and 100, not '${text}'`);
  }
  return n;
}
