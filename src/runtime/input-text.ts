import { parseDocument, type Node as YamlNode } from "yaml";
import { InputError, unknownInput, type PreparedNode } from "./prepared.js";
import type { Value } from "../values/values.js";
import type { SampleValue } from "../ir/ast.js";
import { readValue } from "../ir/read-value.js";
import { SourceFile } from "../ir/source.js";
import { YamlReader } from "../ir/yaml-reader.js";
import { typeToString } from "../values/types.js";
import { readRegularFile, utf8Text } from "../config/text-file.js";

// Inputs given on a command line, read by each input's declared type: `amount=99.99`
// is an exact decimal, `customer={id: c1, balance: 10, tier: gold}` a record (YAML
// flow syntax, so JSON works too), `customer=@customer.json` reads a file. Numbers
// keep their source text, so a decimal never passes through a binary float.

function parseText(text: string, origin: string): SampleValue {
  const source = new SourceFile(origin, text);
  const doc = parseDocument(text, { lineCounter: source.lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const at = source.locAt(e.pos[0]);
    throw new Error(`${origin}:${at.line}:${at.col}: ${e.message.split(/ at line \d+/)[0]}`);
  }
  return new YamlReader(source, doc).sampleValue(doc.contents as YamlNode | null, source.locAt(0));
}

/** The text of a value, or of the file an `@path` names; `what` is the flag, for messages. */
function readAt(text: string, what: string, name: string): { text: string; origin: string } {
  if (!text.startsWith("@")) return { text, origin: what };
  const path = text.slice(1);
  // Never blocks: a FIFO, a device or a folder is refused with its reason (text-file.ts).
  const read = readRegularFile(path);
  const decoded = read.ok ? utf8Text(read.bytes) : read;
  if (!decoded.ok) throw new InputError(name, `${what}: cannot read ${path}: ${decoded.reason}`);
  return { text: decoded.text, origin: path };
}

/** One `--input name=value`; the value is read by the input's declared type. */
export function parseInputAssignment(p: PreparedNode, assignment: string): [string, Value] {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw new InputError(assignment, `--input '${assignment}' must look like name=value`);
  const name = assignment.slice(0, eq).trim();
  const field = p.node.inputs.find((f) => f.name === name);
  if (!field) throw unknownInput(p, name);
  const raw = assignment.slice(eq + 1);
  const isText = field.type.kind === "string" || field.type.kind === "enum";
  const { text, origin } =
    raw.startsWith("@") || !isText ? readAt(raw, `--input ${name}`, name) : { text: raw, origin: `--input ${name}` };
  // A string input takes the text as it is (so `id=007` stays "007"), unless it came from a file.
  const sv: SampleValue =
    isText && !raw.startsWith("@")
      ? { loc: { file: origin, line: 1, col: 1, offset: 0 }, value: text }
      : safeParse(text, origin, name);
  return [name, read(p, name, sv, field.type)];
}

/** `--inputs '{...}'` or `--inputs @file.json`: a mapping of input names to values. */
export function parseInputsObject(p: PreparedNode, arg: string): Map<string, Value> {
  const { text, origin } = readAt(arg, "--inputs", "--inputs");
  const sv = safeParse(text, origin, "--inputs");
  if (!sv.entries)
    throw new InputError("--inputs", `--inputs must be a mapping of input names to values, e.g. '{"amount": 12.50}'`);
  const out = new Map<string, Value>();
  for (const [name, item] of sv.entries) {
    const field = p.node.inputs.find((f) => f.name === name);
    if (!field) throw unknownInput(p, name, "in --inputs");
    out.set(name, read(p, name, item, field.type));
  }
  return out;
}

function safeParse(text: string, origin: string, name: string): SampleValue {
  try {
    return parseText(text, origin);
  } catch (err) {
    throw new InputError(name, `input '${name}': ${(err as Error).message}`);
  }
}

function read(p: PreparedNode, name: string, sv: SampleValue, type: import("../values/types.js").VType): Value {
  const v = readValue(
    sv,
    type,
    p.types,
    (_loc, message) => {
      // The message starts with the path to the part that is wrong (`items[1].quantity: …`):
      // kept when it is inside the input, dropped when it is only the input's name again.
      const at = message.startsWith(`${name}: `) ? "" : ` at ${message.slice(0, message.indexOf(": "))}`;
      const problem = message.slice(message.indexOf(": ") + 2);
      throw new InputError(name, `input '${name}' (${typeToString(type)})${at}: ${problem}`);
    },
    name,
  );
  if (v === undefined) throw new InputError(name, `input '${name}' is not a valid ${typeToString(type)}`);
  return v;
}
