// An independent reader of the Prometheus text exposition format (0.0.4), written
// from the format's rules, not from src/verify/metrics.ts: it parses every line and
// returns the families, or throws naming the first line that breaks a rule.
// Rules checked: `# HELP name text` (escapes \\ and \n only) and `# TYPE name type`
// (one per family, before its samples); metric names [a-zA-Z_:][a-zA-Z0-9_:]*; label
// names [a-zA-Z_][a-zA-Z0-9_]* not starting with __, each once per sample; label
// values in double quotes with only \\, \" and \n escaped; values as Go's ParseFloat
// reads them (NaN, +Inf, -Inf spelt as Prometheus writes them); a family's samples
// in one group; no two samples with one name and label set; counters never negative;
// histograms: _bucket samples with a numeric le, ascending per series, cumulative,
// ending at le="+Inf", which equals _count, and a _sum per series.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help?: string;
  samples: Sample[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TYPES = ["counter", "gauge", "histogram", "summary", "untyped"];

export function parseExposition(text: string): Map<string, Family> {
  if (text.length > 0 && !text.endsWith("\n")) throw new Error("the exposition does not end with a line feed");
  const families = new Map<string, Family>();
  const closed = new Set<string>();
  const seen = new Set<string>();
  let current: string | undefined;
  const lines = text.split("\n");
  lines.pop();
  const enter = (family: string, at: number) => {
    if (current === family) return;
    if (closed.has(family)) throw new Error(`line ${at}: the samples of ${family} are not in one group`);
    if (current !== undefined) closed.add(current);
    current = family;
  };
  lines.forEach((line, i) => {
    const at = i + 1;
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest] = m as unknown as [string, string, string, string];
      if (!METRIC.test(name)) throw new Error(`line ${at}: '${name}' is not a metric name`);
      enter(name, at);
      const f = families.get(name) ?? { name, type: "untyped", samples: [] };
      families.set(name, f);
      if (kind === "HELP") {
        if (f.help !== undefined) throw new Error(`line ${at}: a second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ""))) throw new Error(`line ${at}: HELP escapes only \\\\ and \\n`);
        f.help = rest.replace(/\\(\\|n)/g, (_, c) => (c === "n" ? "\n" : "\\"));
      } else {
        if (!TYPES.includes(rest)) throw new Error(`line ${at}: '${rest}' is not a metric type`);
        if ((f as { typed?: boolean }).typed) throw new Error(`line ${at}: a second TYPE for ${name}`);
        if (f.samples.length > 0) throw new Error(`line ${at}: TYPE for ${name} after its samples`);
        f.type = rest;
        (f as { typed?: boolean }).typed = true;
      }
      return;
    }
    const s = parseSample(line, at);
    const family = familyOf(s.name, families);
    enter(family, at);
    const f = families.get(family) ?? { name: family, type: "untyped", samples: [] };
    families.set(family, f);
    const key = `${s.name}{${Object.entries(s.labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(",")}}`;
    if (seen.has(key)) throw new Error(`line ${at}: a second sample ${key}`);
    seen.add(key);
    if (f.type === "counter" && !(s.value >= 0)) throw new Error(`line ${at}: a counter of ${s.value}`);
    f.samples.push(s);
  });
  for (const f of families.values()) if (f.type === "histogram") checkHistogram(f);
  return families;
}

/** The family a sample belongs to: its own name, or a histogram/summary's base name for _bucket, _sum, _count. */
function familyOf(name: string, families: Map<string, Family>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const t = families.get(base)?.type;
    if (t === "histogram" || (t === "summary" && suffix !== "_bucket")) return base;
  }
  return name;
}

function parseSample(line: string, at: number): Sample {
  let i = 0;
  while (i < line.length && line[i] !== "{" && line[i] !== " ") i++;
  const name = line.slice(0, i);
  if (!METRIC.test(name)) throw new Error(`line ${at}: '${name}' is not a metric name`);
  const labels: Record<string, string> = {};
  if (line[i] === "{") {
    i++;
    while (line[i] !== "}") {
      const eq = line.indexOf("=", i);
      if (eq < 0) throw new Error(`line ${at}: a label without =`);
      const label = line.slice(i, eq);
      if (!LABEL.test(label) || label.startsWith("__")) throw new Error(`line ${at}: '${label}' is not a label name`);
      if (label in labels) throw new Error(`line ${at}: label ${label} twice`);
      i = eq + 1;
      if (line[i] !== '"') throw new Error(`line ${at}: label ${label}'s value is not quoted`);
      i++;
      let value = "";
      for (;;) {
        const c = line[i];
        if (c === undefined) throw new Error(`line ${at}: an unterminated label value`);
        if (c === '"') break;
        if (c === "\\") {
          const e = line[i + 1];
          if (e === "\\" || e === '"') value += e;
          else if (e === "n") value += "\n";
          else throw new Error(`line ${at}: '\\${e}' is not an escape the format has`);
          i += 2;
        } else {
          value += c;
          i++;
        }
      }
      labels[label] = value;
      i++;
      if (line[i] === ",") i++;
      else if (line[i] !== "}") throw new Error(`line ${at}: labels not separated by a comma`);
    }
    i++;
  }
  if (line[i] !== " ") throw new Error(`line ${at}: no space before the value`);
  const [text, timestamp, ...extra] = line.slice(i + 1).split(" ");
  if (extra.length > 0 || (timestamp !== undefined && !/^-?\d+$/.test(timestamp)))
    throw new Error(`line ${at}: more than a value and a timestamp`);
  return { name, labels, value: parseValue(text ?? "", at) };
}

export function parseValue(text: string, at = 0): number {
  if (text === "NaN") return Number.NaN;
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (!NUMBER.test(text)) throw new Error(`line ${at}: '${text}' is not a number as Prometheus writes one`);
  return Number(text);
}

function checkHistogram(f: Family): void {
  const series = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}: a bucket without le`);
      entry.buckets.push([parseValue(le), s.value]);
    } else if (s.name === `${f.name}_sum`) entry.sum = s.value;
    else if (s.name === `${f.name}_count`) entry.count = s.value;
    else throw new Error(`${f.name}: a sample ${s.name} in a histogram`);
  }
  for (const [key, e] of series) {
    const last = e.buckets[e.buckets.length - 1];
    if (!last || last[0] !== Number.POSITIVE_INFINITY) throw new Error(`${f.name}${key}: no le="+Inf" bucket last`);
    for (let i = 1; i < e.buckets.length; i++) {
      const [a, ca] = e.buckets[i - 1]!;
      const [b, cb] = e.buckets[i]!;
      if (!(b > a)) throw new Error(`${f.name}${key}: bucket bounds not ascending (${a}, ${b})`);
      if (cb < ca) throw new Error(`${f.name}${key}: buckets not cumulative (${ca} then ${cb})`);
    }
    if (e.count === undefined || e.sum === undefined) throw new Error(`${f.name}${key}: no _count or _sum`);
    if (e.count !== last[1]) throw new Error(`${f.name}${key}: _count ${e.count} is not the +Inf bucket ${last[1]}`);
  }
}

/** The value of the one sample with this name and these labels (undefined when none). */
export function valueOf(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  for (const f of families.values())
    for (const s of f.samples)
      if (
        s.name === name &&
        Object.keys(labels).length === Object.keys(s.labels).length &&
        Object.entries(labels).every(([k, v]) => s.labels[k] === v)
      )
        return s.value;
  return undefined;
}
