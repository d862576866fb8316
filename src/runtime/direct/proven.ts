import { exprOf, type PreparedNode } from "../prepared.js";
import type { Expr } from "../../expr/ast.js";
import type { Step } from "../../ir/ast.js";
import type { TypeTable, VType } from "../../values/types.js";

// Compiler pass: which values are *proven* to be non-null and held in exactly the
// representation of their static type. Only proven operands may take the typed fast
// paths (bigint +, inline float <, Decimal methods); anything else goes through the
// dynamic operations, which reproduce the reference evaluator exactly, errors
// included. A checked type alone is not enough: an optional input is null when
// absent, MIN(1, 2.5) is the integer 1 although typed decimal, and SUM of nothing
// is the integer 0 whatever the element type.

/** Values whose representation a run guarantees: readValue and conform give every declared field its type. */
function guaranteed(t: VType | undefined): boolean {
  return t !== undefined && t.kind !== "any" && t.kind !== "null";
}

const kindOf = (t: VType | undefined) => (t?.kind === "enum" ? "string" : t?.kind);

export class Provenance {
  constructor(
    private readonly types: Map<Expr, VType>,
    private readonly table: TypeTable,
    /** Names (inputs, bindings, input, state) proven wherever they are bound. */
    private readonly names: ReadonlySet<string>,
    /** Bindings that always hold a number of one kind (numKind below), wherever they are bound. */
    private readonly numericNames: ReadonlyMap<string, NumKind> = new Map(),
    /**
     * In postconditions: the success output's fields that every success return sets to a
     * proven value (provenOutputFields), so `output.f` is proven; undefined elsewhere.
     */
    private readonly outputFields?: ReadonlySet<string>,
  ) {}

  /** The same provenance with `more` names proven as well (a guard has checked them: lower.ts). */
  assuming(more: Iterable<string>): Provenance {
    return new Provenance(
      this.types,
      this.table,
      new Set([...this.names, ...more]),
      this.numericNames,
      this.outputFields,
    );
  }

  /**
   * What number e always gives when it gives a value at all: "dec" a Decimal, "int" a
   * bigint, "num" either (SUM of decimals is 0n when the collection is empty,
   * MIN(1, 2.5) is 1n); undefined when it may give anything else (null, a float…).
   * Weaker than proven and enough for the scaled decimals, which read either (lower.ts).
   */
  numKind(e: Expr, binders: ReadonlyMap<string, boolean> = new Map()): NumKind {
    const k = kindOf(this.types.get(e));
    if (k !== "integer" && k !== "decimal") return undefined;
    if (this.proven(e, binders)) return k === "decimal" ? "dec" : "int";
    switch (e.kind) {
      case "name":
        return binders.has(e.name) ? undefined : this.numericNames.get(e.name);
      case "unary":
        return e.op === "-" ? this.numKind(e.operand, binders) : undefined;
      case "binary": {
        if (!["+", "-", "*", "/", "%"].includes(e.op)) return undefined;
        const a = this.numKind(e.left, binders);
        const b = this.numKind(e.right, binders);
        if (!a || !b) return undefined;
        // Integer division is exact: a decimal (ops.ts divI), whatever the operands.
        return e.op === "/" ? "dec" : join(a, b);
      }
      case "call":
        switch (e.callee) {
          case "ABS":
          case "ROUND":
            return this.numKind(e.args[0]!, binders);
          case "SUM":
          case "MIN":
          case "MAX": {
            if (e.args.length > 1) return e.args.map((a) => this.numKind(a, binders)).reduce(same);
            const element = this.elementKind(e.args[0]!, binders);
            // SUM of nothing is the integer 0.
            return e.callee === "SUM" && element === "dec" ? "num" : element;
          }
          default:
            return undefined;
        }
      case "aggregate": {
        if (e.fn !== "SUM" && e.fn !== "MIN" && e.fn !== "MAX") return undefined;
        const inner = new Map(binders).set(e.variable, this.elementsProven(e.collection, binders));
        const body = this.numKind(e.body, inner);
        return e.fn === "SUM" && body === "dec" ? "num" : body;
      }
      default:
        return undefined;
    }
  }

  private elementKind(collection: Expr, binders: ReadonlyMap<string, boolean>): NumKind {
    const t = this.types.get(collection);
    const element = t?.kind === "array" || t?.kind === "set" ? t.element : undefined;
    if (!this.elementsProven(collection, binders)) return undefined;
    return element?.kind === "decimal" ? "dec" : element?.kind === "integer" ? "int" : undefined;
  }

  /** `binders`: loop variables in scope, and whether each is proven. */
  proven(e: Expr, binders: ReadonlyMap<string, boolean> = new Map()): boolean {
    switch (e.kind) {
      case "integer":
      case "decimal":
      case "string":
      case "boolean":
      case "list":
        return true;
      case "null":
      case "index":
        return false;
      case "name":
        return binders.has(e.name) ? binders.get(e.name)! : this.names.has(e.name);
      case "member": {
        const t = this.types.get(e.object);
        if (t?.kind !== "record" || !this.proven(e.object, binders)) return false;
        const field = this.table.get(t.name)?.fields.get(e.property);
        // A required output field is null when its return's value is: output's fields are proven one by one.
        if (e.object.kind === "name" && e.object.name === "output" && !binders.has("output"))
          return !!field && !!this.outputFields?.has(e.property) && guaranteed(field.type);
        return !!field && field.required && guaranteed(field.type);
      }
      case "unary":
        return this.proven(e.operand, binders);
      case "binary":
        if (["+", "-", "*", "/", "%"].includes(e.op))
          return this.proven(e.left, binders) && this.proven(e.right, binders);
        return true; // comparisons, logic, IN and CONTAINS give a boolean or fail
      case "call":
        switch (e.callee) {
          case "LEN":
          case "COUNT":
          case "now":
          case "random":
            return true;
          case "ABS":
          case "ROUND":
            return this.proven(e.args[0]!, binders);
          case "SUM":
          case "MIN":
          case "MAX":
          case "old":
            return false;
          default:
            return true; // tensor functions give a tensor or a float, or fail
        }
      case "aggregate":
        return e.fn === "COUNT";
      case "quantifier":
        return true;
    }
  }

  /** Whether the elements of a collection are proven: collections read from inputs and records are typed throughout. */
  elementsProven(collection: Expr, binders: ReadonlyMap<string, boolean>): boolean {
    const t = this.types.get(collection);
    const element = t?.kind === "array" || t?.kind === "set" ? t.element : t?.kind === "map" ? t.key : undefined;
    if (!guaranteed(element)) return false;
    if (collection.kind === "list") {
      return collection.items.every(
        (item) => this.proven(item, binders) && kindOf(this.types.get(item)) === kindOf(element),
      );
    }
    return (collection.kind === "name" || collection.kind === "member") && this.proven(collection, binders);
  }
}

/**
 * The names proven throughout a node: required inputs (or with a default), `input`,
 * `state` when declared, and each binding whose every assignment is proven and of
 * the binding's kind (a least fixpoint: a binding is proven only once its sources are).
 */
export function provenNames(p: PreparedNode): Set<string> {
  const node = p.node;
  const names = new Set<string>(["input"]);
  if (node.states) names.add("state");
  for (const f of node.inputs) if ((f.required || f.default !== undefined) && guaranteed(f.type)) names.add(f.name);
  // "call": a tool result checked against `returns`; "untyped": one that was not.
  const sources = new Map<string, (Expr | "call" | "untyped")[]>();
  const add = (name: string, e: Expr | "call" | "untyped") => sources.set(name, [...(sources.get(name) ?? []), e]);
  const walk = (steps: Step[]) => {
    for (const s of steps) {
      if (s.op === "compute" || s.op === "tensor") for (const a of s.assignments) add(a.name, exprOf(a.value));
      if (s.op === "call" && s.bind) add(s.bind.value, s.returns ? "call" : "untyped");
      for (const a of s.errorHandling?.fallback ?? []) if (a.value.expr) add(a.name, a.value.expr);
      if (s.op === "branch") {
        walk(s.then);
        walk(s.else);
      }
    }
  };
  walk(node.flow);
  const provenance = new Provenance(p.exprTypes, p.types, names);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, exprs] of sources) {
      if (names.has(name)) continue;
      const kinds = new Set(
        exprs.map((e) => (e === "call" ? "record" : e === "untyped" ? "any" : kindOf(p.exprTypes.get(e)))),
      );
      const ok =
        kinds.size === 1 &&
        exprs.every((e) => e === "call" || (e !== "untyped" && provenance.proven(e) && guaranteed(p.exprTypes.get(e))));
      if (ok) {
        names.add(name);
        changed = true;
      }
    }
  }
  return names;
}

/**
 * The success output's fields that are never null: required ones (conforming the output
 * refuses a null), and optional ones every success return sets to a value that is never
 * null (proven or numeric). In a postcondition (where `output` is the conformed success record) `output.f` is then
 * non-null and of its declared type. None when the flow never returns success.
 */
export function provenOutputFields(p: PreparedNode, provenance: Provenance): Set<string> {
  const returns: Extract<Step, { op: "return" }>[] = [];
  const walk = (steps: Step[]) => {
    for (const s of steps) {
      if (s.op === "return" && s.output.value === "success") returns.push(s);
      if (s.op === "branch") {
        walk(s.then);
        walk(s.else);
      }
    }
  };
  walk(p.node.flow);
  const fields = new Set<string>();
  if (returns.length === 0) return fields;
  for (const f of p.node.outputs.success) {
    // Conforming the output refuses a required field that is null (R209) before any postcondition runs.
    if (f.required) {
      fields.add(f.name);
      continue;
    }
    const all = returns.every((r) => {
      const v = r.values.find((x) => x.name === f.name);
      // Conforming a value that is never null gives the field's representation (or fails the run).
      const e = v?.value.expr;
      return e !== undefined && (provenance.proven(e) || provenance.numKind(e) !== undefined);
    });
    if (all) fields.add(f.name);
  }
  return fields;
}

/**
 * The kind of number each binding always holds (Provenance.numKind), when every
 * assignment to it gives one, given the proven names: a greatest fixpoint from "dec"
 * down, each round weakening a binding to what its sources give (dec → num → none).
 */
export function numericNames(p: PreparedNode, proven: ReadonlySet<string>): Map<string, NumKind> {
  const sources = new Map<string, (Expr | undefined)[]>();
  const add = (name: string, e: Expr | undefined) => sources.set(name, [...(sources.get(name) ?? []), e]);
  const walk = (steps: Step[]) => {
    for (const s of steps) {
      if (s.op === "compute" || s.op === "tensor") for (const a of s.assignments) add(a.name, exprOf(a.value));
      if (s.op === "call" && s.bind) add(s.bind.value, undefined);
      for (const a of s.errorHandling?.fallback ?? []) add(a.name, a.value.expr);
      if (s.op === "branch") {
        walk(s.then);
        walk(s.else);
      }
    }
  };
  walk(p.node.flow);
  // Least fixpoint: a binding gets a kind once all its sources have one (so a cycle gives none).
  const kinds = new Map<string, NumKind>();
  const provenance = new Provenance(p.exprTypes, p.types, proven, kinds);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, exprs] of sources) {
      if (proven.has(name)) continue;
      const each = exprs.map((e) => (e === undefined ? undefined : provenance.numKind(e)));
      const kind = each.includes(undefined) ? undefined : each.reduce(same);
      if (kind !== kinds.get(name)) {
        if (kind === undefined) kinds.delete(name);
        else kinds.set(name, kind);
        changed = true;
      }
    }
  }
  return kinds;
}

export type NumKind = "dec" | "int" | "num" | undefined;

/** The kind of a +, -, * or % of two numbers: a Decimal if either is one, a bigint if both are, else either. */
function join(a: NumKind, b: NumKind): NumKind {
  if (!a || !b) return undefined;
  if (a === "dec" || b === "dec") return "dec";
  return a === "int" && b === "int" ? "int" : "num";
}

/** The kind shared by alternatives (MIN/MAX of several values, a binding's assignments). */
function same(a: NumKind, b: NumKind): NumKind {
  if (!a || !b) return undefined;
  return a === b ? a : "num";
}
