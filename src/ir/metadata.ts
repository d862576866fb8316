import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
  type Node as YamlNode,
} from "yaml";
import type { MetadataValue } from "./ast.js";
import type { Entry, YamlReader } from "./yaml-reader.js";

// Reads `metadata` (docs/vesper-ir.md 2, 11.2): free-form YAML written into the AST as read, as
// JSON that loses nothing. Lists and mappings (also the YAML 1.1 collections !!set, !!omap,
// !!pairs, which are lists and mappings in the file) stay lists and objects; strings, booleans
// and null stay as they are. A number JSON cannot hold exactly (an integer beyond ±2^53 such as
// 9223372036854775807, .inf, .nan) is written as its source spelling, a string; `!!binary` as its
// base64 text and `!!timestamp` as its ISO-8601 text. An alias is V101 at the alias, as anywhere
// outside sample values and defaults (1.1); a non-string key is V101 (1.1).

export function readMetadata(r: YamlReader, entry: Entry | undefined): Record<string, MetadataValue> {
  if (!entry) return {};
  return readMapping(r, entry.node, "'metadata'", entry.loc) ?? {};
}

function readMapping(
  r: YamlReader,
  node: YamlNode | null,
  what: string,
  at: Entry["loc"],
): Record<string, MetadataValue> | undefined {
  const entries = r.mapping(node, what, at);
  if (!entries) return undefined;
  const out: Record<string, MetadataValue> = {};
  for (const e of entries) {
    const v = readPlain(r, e.node, e.loc);
    // A key such as `__proto__` is an own property like any other.
    if (v !== undefined)
      Object.defineProperty(out, e.key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function readPlain(r: YamlReader, node: YamlNode | null, at: Entry["loc"]): MetadataValue | undefined {
  if (node === null) return null;
  if (isAlias(node))
    return r.report(
      r.loc(node, at),
      "V101",
      `the alias *${node.source} in 'metadata' is not read: aliases are read only in sample values and input defaults; write the value out`,
    );
  if (isMap(node)) return readMapping(r, node as YAMLMap<YamlNode, YamlNode | null>, "a mapping in 'metadata'", at);
  if (isSeq(node)) {
    const items: MetadataValue[] = [];
    let ok = true;
    for (const item of (node as YAMLSeq<YamlNode | Pair<YamlNode, YamlNode | null> | null>).items) {
      // !!omap and !!pairs hold key: value pairs, each written as a one-key mapping, as in the file.
      const v = isPair(item) ? readPair(r, item, at) : readPlain(r, item, r.loc(item, at));
      if (v === undefined) ok = false;
      else items.push(v);
    }
    return ok ? items : undefined;
  }
  if (!isScalar(node)) return null;
  return scalarJson(node as Scalar);
}

function readPair(r: YamlReader, pair: Pair<YamlNode, YamlNode | null>, at: Entry["loc"]): MetadataValue | undefined {
  const key = pair.key;
  if (!isScalar(key) || typeof key.value !== "string")
    return r.report(r.loc(key, at), "V101", "keys in a mapping in 'metadata' must be plain names");
  const v = readPlain(r, pair.value, r.loc(pair.value, r.loc(key, at)));
  if (v === undefined) return undefined;
  const out: Record<string, MetadataValue> = {};
  Object.defineProperty(out, key.value, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

function scalarJson(s: Scalar): MetadataValue {
  const v = s.value;
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") {
    const exact = Number.isFinite(v) && (!Number.isInteger(v) || Number.isSafeInteger(v));
    return exact ? v : (s.source ?? String(v));
  }
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (v instanceof Date) return v.toISOString();
  return s.source ?? String(v);
}
