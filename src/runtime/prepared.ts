import type { Expr } from "../expr/ast.js";
import type { Contract, FieldDecl, NodeDef, SourceExpr } from "../ir/ast.js";
import type { Diagnostic } from "../ir/diagnostics.js";
import { readValue } from "../ir/read-value.js";
import { ERROR_RECORD, SUCCESS_RECORD, validateFile, validateSource, type ValidationResult } from "../ir/validate.js";
import { typeToString, type TypeTable, type VType } from "../values/types.js";
import type { Grants } from "../tools/capabilities.js";
import type { Value } from "../values/values.js";
import { VesperError } from "../values/errors.js";
import { Decimal } from "../values/decimal.js";
import { withDisplayScale } from "../values/display-scale.js";
import { children } from "../expr/depth.js";

// A node that passed validation, with what both runtimes need to run it: the
// type table, the checked type of every expression, the capabilities it holds,
// and the old(...) expressions its postconditions capture at entry.

export interface PreparedNode {
  node: NodeDef;
  types: TypeTable;
  exprTypes: Map<Expr, VType>;
  grants: Grants;
  /** Every `old(e)` argument in the postconditions, in source order. */
  oldExprs: Expr[];
  /** The postcondition each of oldExprs is written in, to locate an error while capturing it. */
  oldSources: SourceExpr[];
  preconditions: Contract[];
  postconditions: Contract[];
  invariants: Contract[];
}

export class InvalidNodeError extends VesperError {
  override name = "InvalidNodeError";
  constructor(readonly diagnostics: Diagnostic[]) {
    super("N100", `the node is invalid (${diagnostics.filter((d) => d.severity === "error").length} errors)`);
  }
}

export function prepareFile(path: string): PreparedNode {
  return prepare(validateFile(path));
}

export function prepareSource(path: string, text: string): PreparedNode {
  return prepare(validateSource(path, text));
}

export function prepare(result: ValidationResult): PreparedNode {
  if (!result.ok || !result.node || !result.types || !result.exprTypes) throw new InvalidNodeError(result.diagnostics);
  const node = result.node;
  const byKind = (kind: Contract["kind"]) => node.contracts.filter((c) => c.kind === kind);
  const postconditions = byKind("postcondition");
  const oldExprs: Expr[] = [];
  const oldSources: SourceExpr[] = [];
  for (const c of postconditions) {
    if (!c.source.expr) continue;
    const before = oldExprs.length;
    collectOld(c.source.expr, oldExprs);
    for (let i = before; i < oldExprs.length; i++) oldSources.push(c.source);
  }
  return {
    node,
    types: result.types,
    exprTypes: result.exprTypes,
    grants: {
      required: node.security.capabilitiesRequired.map((c) => c.value),
      denied: node.security.deniedCapabilities.map((c) => c.value),
    },
    oldExprs,
    oldSources,
    preconditions: byKind("precondition"),
    postconditions,
    invariants: byKind("invariant"),
  };
}

function collectOld(e: Expr, out: Expr[]): void {
  if (e.kind === "call" && e.callee === "old") {
    out.push(e.args[0]!);
    return;
  }
  for (const child of children(e)) collectOld(child, out);
}

/** The parsed expression of a checked source expression (validation guarantees it parsed). */
export function exprOf(src: SourceExpr): Expr {
  if (!src.expr) throw new Error(`expression '${src.text}' did not parse`);
  return src.expr;
}

export class InputError extends VesperError {
  override name = "InputError";
  constructor(
    readonly input: string,
    message: string,
  ) {
    super("I100", message);
  }
}

/** `where` says how the name was given, e.g. "in --inputs". */
export function unknownInput(p: PreparedNode, name: string, where = ""): InputError {
  const names = p.node.inputs.map((f) => f.name).join(", ") || "none";
  return new InputError(
    name,
    `'${name}'${where ? ` ${where}` : ""} is not an input of ${p.node.nodeId.value} (inputs: ${names})`,
  );
}

/**
 * The node's inputs from what the caller gave: declared defaults fill the gaps, a
 * missing required input or an unknown name is an InputError naming the input.
 */
export function resolveInputs(p: PreparedNode, given: ReadonlyMap<string, Value>): Map<string, Value> {
  const declared = new Map(p.node.inputs.map((f) => [f.name, f]));
  for (const name of given.keys()) if (!declared.has(name)) throw unknownInput(p, name);
  const inputs = new Map<string, Value>();
  for (const f of p.node.inputs) {
    const v = given.get(f.name);
    if (v !== undefined) inputs.set(f.name, scaled(f, v));
    else if (f.default !== undefined) inputs.set(f.name, scaled(f, defaultOf(f, p.types)));
    else if (f.required) throw new InputError(f.name, `missing required input '${f.name}' (${typeToString(f.type)})`);
    else inputs.set(f.name, null);
  }
  return inputs;
}

/** A decimal input declared with a scale prints at it (display only). */
function scaled(f: FieldDecl, v: Value): Value {
  return f.scale !== undefined && Decimal.isDecimal(v) ? withDisplayScale(v as Decimal, f.scale) : v;
}

function defaultOf(f: FieldDecl, types: TypeTable): Value {
  const v = readValue(f.default as never, f.type, types, () => {});
  return v === undefined ? null : v;
}

/** The inputs of a named sample (the first when no name is given). */
export function sampleInputs(p: PreparedNode, name?: string): Map<string, Value> {
  const sample = name === undefined ? p.node.samples[0] : p.node.samples.find((s) => s.name === name);
  if (!sample) {
    const names = p.node.samples.map((s) => s.name);
    throw new InputError(
      name ?? "",
      name === undefined
        ? `${p.node.nodeId.value} has no samples; give its inputs with --input or --inputs`
        : `no sample named '${name}' (samples: ${names.join(", ") || "none"})`,
    );
  }
  const given = new Map<string, Value>();
  for (const [key, sv] of sample.values) {
    const field = p.node.inputs.find((f) => f.name === key);
    if (!field) continue;
    const v = readValue(
      sv,
      field.type,
      p.types,
      (_loc, message) => {
        throw new InputError(key, message);
      },
      key,
    );
    if (v !== undefined) given.set(key, v);
  }
  return resolveInputs(p, given);
}

export { ERROR_RECORD, SUCCESS_RECORD };
