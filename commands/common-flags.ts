import { Option } from "commander";
import { STORE_RULE } from "../src/config/project.js";
import { UsageError } from "../src/values/errors.js";
import { didYouMean } from "../src/values/suggest.js";

// Flags several verbs share, declared once: one help text for --store and --json,
// the shape of a repeatable flag, and one wording for the errors of integer,
// percentage and one-of-these flags. A verb's own flags stay in its register function.
//
// No flag is variadic (`<x...>`): a variadic flag swallows the arguments after it,
// the file included (`vesper run --input a=1 FILE`). A flag that may be given many
// times takes one value each time (`--input a=1 --input b=2`), via `collect`.

const STORE_HELP = `the trace store (default: ${STORE_RULE})`;

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

/**
 * A flag that may be given many times, one value each time; its help says so with
 * an example (`--input a=1 --input b=2`).
 */
export function repeatable(
  flags: string,
  description: string,
  example: [string, string],
  parse: (value: string) => string = (value) => value,
): Option {
  const [name] = flags.split(" ");
  const option = new Option(
    flags,
    `${description}; repeat the flag for more (${name} ${example[0]} ${name} ${example[1]})`,
  ).argParser((value: string, previous: string[] | undefined) => collect(parse(value), previous));
  examples.set(option, example);
  return option;
}

const examples = new WeakMap<Option, [string, string]>();

/** The two example values of a repeatable flag, for messages; undefined for any other flag. */
export function repeatExample(option: Option): [string, string] | undefined {
  return examples.get(option);
}

/** `text` when it is one of `names`, else a usage error naming the flag, the choices and the closest one. */
export function oneOf<T extends string>(text: string, flag: string, names: readonly T[]): T {
  if ((names as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${flag} must be one of ${names.join(", ")}, not '${text}'${suggestName(text, names)}`);
}

/**
 * "; did you mean 'x'?" for a mistyped or shortened name: the closest by edit
 * distance, else the one name that starts with it or has it as a word
 * (`dual` → dual_verify); "" when nothing is close or several are equally so.
 */
export function suggestName(text: string, names: readonly string[]): string {
  const close = didYouMean(text, names);
  if (close || text.trim() === "") return close;
  const t = text.toLowerCase();
  const prefixed = names.filter((n) => n.toLowerCase().startsWith(t));
  if (prefixed.length === 1) return `; did you mean '${prefixed[0]}'?`;
  const worded = names.filter((n) => n.toLowerCase().split(/[_.-]/).includes(t));
  return worded.length === 1 ? `; did you mean '${worded[0]}'?` : "";
}

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
    // Digits past the largest safe integer are told the range, not "at least 0" (which they are).
    const span =
      range.max === undefined && !(n > max)
        ? `of at least ${grouped(range.min)}`
        : `from ${grouped(range.min)} to ${grouped(max)}`;
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

/**
 * The input flags of the verbs that run a node (run, debug, bench). Inputs come in
 * layers: the sample (the node's first, another with --sample, none with
 * --no-sample), then --inputs on top, then each --input on top of that.
 */
export function inputOptions(): Option[] {
  return [
    repeatable(
      "--input <name=value>",
      "set one input, read by its declared type (VALUE or @file), on top of the sample",
      ["amount=99.99", "currency=EUR"],
    ),
    new Option("--inputs <json>", "set inputs from a JSON/YAML mapping, or @file.json, on top of the sample"),
    new Option("--sample <name>", "start from this sample of the node (default: its first)"),
    new Option("--no-sample", "start from no sample: only the inputs given and the declared defaults"),
  ];
}

/** --sim, repeatable: how a simulated service behaves. */
export function simOption(example: string): Option {
  return repeatable(
    "--sim <tool:key=value>",
    `how a simulated service behaves, e.g. ${example} (keys: latency_ms, median_ms, p99_ms, failure_rate, decline_rate; tool * for all)`,
    ["sim.payments.charge:latency_ms=4000", "sim.kv.get:failure_rate=0.5"],
  );
}
