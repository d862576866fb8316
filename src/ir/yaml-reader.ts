import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
  type Document,
  type Node as YamlNode,
  type Pair,
} from "yaml";
import type { Located, SampleValue, SourceExpr } from "./ast.js";
import { diagnosticAt, quoted, type Diagnostic, type DiagnosticCode, type Loc } from "./diagnostics.js";
import type { SourceFile } from "./source.js";
import { didYouMean } from "../values/suggest.js";
import { parseExpression } from "../expr/parse.js";

/** The most values that aliases may expand to in one document's sample values and defaults. */
export const ALIAS_EXPANSION_LIMIT = 100_000;

const OVER_BUDGET = Symbol("aliases expand past the limit");

/** A key of a YAML mapping with its value node. */
export interface Entry {
  key: string;
  keyLoc: Loc;
  node: YamlNode | null;
  loc: Loc;
}

/**
 * Reads YAML nodes into AST pieces, collecting a diagnostic (never throwing) for every
 * value of the wrong shape. Each reader method returns `undefined` when it reported.
 */
export class YamlReader {
  readonly diagnostics: Diagnostic[] = [];
  /** The lists and mappings being read, outermost first: an alias of one of them is inside what it names. */
  private readonly open = new Set<YamlNode>();
  /** How many aliases deep the value being read is. */
  private aliasDepth = 0;
  /** How many more values aliases may expand to in this document. */
  private aliasBudget = ALIAS_EXPANSION_LIMIT;

  constructor(
    readonly source: SourceFile,
    private readonly doc: Document,
  ) {}

  loc(node: YamlNode | null | undefined, fallback?: Loc): Loc {
    const offset = node?.range?.[0];
    return offset === undefined ? (fallback ?? this.source.locAt(0)) : this.source.locAt(offset);
  }

  report(loc: Loc, code: DiagnosticCode, message: string, end?: Loc): undefined {
    this.diagnostics.push(diagnosticAt(loc, code, message, end));
    return undefined;
  }

  /**
   * Reads a mapping whose keys are fixed: reports unknown keys (with a suggestion) and
   * missing required ones, and returns the entries by key.
   */
  record(
    node: YamlNode | null,
    what: string,
    fields: { required?: string[]; optional?: string[] },
    at?: Loc,
  ): Map<string, Entry> | undefined {
    const entries = this.mapping(node, what, at);
    if (!entries) return undefined;
    const known = [...(fields.required ?? []), ...(fields.optional ?? [])];
    const result = new Map<string, Entry>();
    for (const entry of entries) {
      if (!known.includes(entry.key)) {
        this.report(
          entry.keyLoc,
          "V103",
          `unknown field ${quoted(entry.key)} in ${what}${didYouMean(entry.key, known)}`,
        );
        continue;
      }
      result.set(entry.key, entry);
    }
    for (const name of fields.required ?? []) {
      if (!result.has(name) && !entries.some((e) => e.key === name)) {
        this.report(this.loc(node, at), "V102", `${what} is missing the required field '${name}'`);
      }
    }
    return result;
  }

  /** Reads a mapping with free keys (names of inputs, types, steps' bindings, ...), in order. */
  mapping(node: YamlNode | null, what: string, at?: Loc): Entry[] | undefined {
    if (!isMap(node)) {
      return this.report(this.loc(node, at), "V101", `${what} must be a mapping (key: value pairs)`);
    }
    const entries: Entry[] = [];
    for (const pair of (node as YAMLMap).items as Pair<YamlNode, YamlNode | null>[]) {
      const keyNode = pair.key;
      const keyLoc = this.loc(keyNode, this.loc(node));
      if (!isScalar(keyNode) || typeof keyNode.value !== "string") {
        this.report(keyLoc, "V101", `keys in ${what} must be plain names`);
        continue;
      }
      entries.push({ key: keyNode.value, keyLoc, node: pair.value, loc: this.loc(pair.value, keyLoc) });
    }
    return entries;
  }

  sequence(node: YamlNode | null, what: string, at?: Loc): YamlNode[] | undefined {
    if (!isSeq(node)) return this.report(this.loc(node, at), "V101", `${what} must be a list`);
    return (node as YAMLSeq<YamlNode>).items;
  }

  /** A string, or a list of strings written as one string when there is only one. */
  stringOrList(node: YamlNode | null, what: string, at?: Loc): YamlNode[] | undefined {
    if (isScalar(node)) return [node];
    return this.sequence(node, what, at);
  }

  string(node: YamlNode | null, what: string, at?: Loc): Located<string> | undefined {
    if (!isScalar(node) || node.value === null || typeof node.value === "object" || typeof node.value === "boolean") {
      return this.report(this.loc(node, at), "V101", `${what} must be a string`);
    }
    const s = node as Scalar;
    // A plain number written where a name is expected keeps its source spelling.
    const value = typeof s.value === "string" ? s.value : (s.source ?? String(s.value));
    const located: Located<string> = { value, loc: this.loc(node, at) };
    if (typeof s.value === "string") {
      const toFile = this.source.valueOffsets(s);
      Object.defineProperty(located, "locOf", {
        value: (o: number) => this.source.locAt(toFile(o)),
        enumerable: false,
      });
    }
    return located;
  }

  number(node: YamlNode | null, what: string, at?: Loc, { integer = false, min = 0 } = {}): number | undefined {
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
      const kind = integer ? "an integer" : "a number";
      return this.report(this.loc(node, at), "V101", `${what} must be ${kind} of at least ${min}`);
    }
    return v;
  }

  boolean(node: YamlNode | null, what: string, at?: Loc): boolean | undefined {
    if (!isScalar(node) || typeof node.value !== "boolean") {
      return this.report(this.loc(node, at), "V101", `${what} must be true or false`);
    }
    return node.value;
  }

  /** Parses an expression written as a YAML string; a syntax error is reported at its exact column. */
  expression(node: YamlNode | null, what: string, at?: Loc): SourceExpr | undefined {
    if (!isScalar(node) || node.value === null || typeof node.value === "object") {
      return this.report(this.loc(node, at), "V101", `${what} must be an expression written as a string`);
    }
    const scalar = node as Scalar;
    // `check: true` or `set: {x: 5}` arrive as YAML booleans and numbers: read their source text.
    const text = typeof scalar.value === "string" ? scalar.value : (scalar.source ?? String(scalar.value));
    const toFile =
      typeof scalar.value === "string" ? this.source.valueOffsets(scalar) : (o: number) => (scalar.range?.[0] ?? 0) + o;
    const locOf = (offset: number) => this.source.locAt(toFile(offset));
    const result = parseExpression(text);
    const source: SourceExpr = { text, loc: this.loc(node, at), locOf };
    Object.defineProperty(source, "locOf", { enumerable: false });
    if (result.ok) {
      source.expr = result.expr;
    } else {
      const { problem } = result;
      this.report(
        locOf(problem.span.start),
        problem.code as DiagnosticCode,
        `in ${what}: ${problem.message}`,
        locOf(problem.span.end),
      );
    }
    return source;
  }

  /**
   * A YAML value kept with positions, for sample inputs and defaults that are checked
   * against types later. An alias is read as the value its anchor names; one inside
   * the value it names, or aliases that would expand past ALIAS_EXPANSION_LIMIT values
   * in one document (`&a [1, 1]`, `&b [*a, *a]`, ... doubles at each step), become a
   * value with a `problem` that reading it reports, instead of recursing forever.
   */
  sampleValue(node: YamlNode | null, at: Loc): SampleValue {
    const loc = this.loc(node, at);
    if (isAlias(node)) {
      const target = node.resolve(this.doc) ?? null;
      if (target === null) return { loc, value: null, problem: unanchoredAlias(node.source) };
      if (this.open.has(target))
        return { loc, value: null, problem: `the alias *${node.source} is inside the value it names` };
      const tooMany = {
        loc,
        value: null,
        problem: `aliases expand to more than ${ALIAS_EXPANSION_LIMIT} values in this document; write the value out`,
      };
      if (this.aliasBudget <= 0) return tooMany;
      const outermost = this.aliasDepth === 0;
      this.aliasDepth++;
      try {
        return { ...this.sampleValue(target, loc), loc };
      } catch (err) {
        // The whole expansion is dropped at the outermost alias: one problem, not one per alias inside.
        if (outermost && err === OVER_BUDGET) return tooMany;
        throw err;
      } finally {
        this.aliasDepth--;
      }
    }
    if (this.aliasDepth > 0 && --this.aliasBudget < 0) throw OVER_BUDGET;
    if (isScalar(node)) {
      const s = node as Scalar;
      return { loc, value: s.value, ...(typeof s.value === "number" ? { text: s.source ?? String(s.value) } : {}) };
    }
    if (!isSeq(node) && !isMap(node)) return { loc, value: null };
    this.open.add(node);
    try {
      if (isSeq(node))
        return {
          loc,
          value: undefined,
          items: (node as YAMLSeq<YamlNode>).items.map((item) => this.sampleValue(item, loc)),
        };
      const entries = new Map<string, SampleValue>();
      for (const e of this.mapping(node, "a value", at) ?? []) entries.set(e.key, this.sampleValue(e.node, e.loc));
      return { loc, value: undefined, entries };
    } finally {
      this.open.delete(node);
    }
  }

  /** Where a node's text ends, so a caret can underline all of it. */
  end(node: YamlNode | null | undefined): Loc | undefined {
    const end = node?.range?.[1];
    return end === undefined ? undefined : this.source.locAt(end);
  }
}

/** An alias with no anchor of its name before it: YAML leaves it undefined (yaml reads it as null). */
export function unanchoredAlias(name: string): string {
  return `the alias *${name} names no anchor: write &${name} on a value before it, or write the value out`;
}
