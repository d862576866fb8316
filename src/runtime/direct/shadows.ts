import type { LoweredNode } from "./layout.js";
import { type Op, opChildren } from "./op-tree.js";
import type { PreparedNode } from "../prepared.js";

// What a plain generated run (codegen.ts, a run nobody observes) reads once at its
// entry instead of at every use: shadows of inputs, kept in slots past the node's own
// (the tier's `width`). An input qualifies only when no step writes its slot, so a
// shadow stands for the input for the whole run.
// - A decimal or integer input that arithmetic reads (O.S) gets its scaled form,
//   O.sh(v): an Sc for a Decimal or an integer, the value itself otherwise, so
//   O.S(shadow) is O.S(v) (the same value, or the same error at the same place).
// - An array-of-records input that a loop iterates gets, per element, one array of
//   its fields read once ([0, size): field values as `get` gives them, by the record's
//   field slot) and of their scaled forms ([size, 2·size), for the fields arithmetic
//   reads; an integer field's is the integer itself as a JS number while it is a safe
//   integer, O.shI, which plain code reads through O.SI as units at scale 0 for
//   scaled-units.ts); null for an element that is not a record (code then reads it as
//   before). The entry walk builds it while it checks the element's constraints.
// - A record input whose fields the node reads (`get(input, name)`) gets the same
//   array for itself (null when the value is not a record), made by the entry walk of
//   that input; code that runs before it (an earlier input's constraints) finds the
//   slot undefined and reads the record as before.

export interface RecordShadow {
  /** The input's slot, and the slot that holds the array of its elements' shadows. */
  slot: number;
  shadow: number;
  record: string;
  /** The record's slot count (field slots first); scaled forms sit at size + field slot. */
  size: number;
  /** Field name → field slot, for the fields read (the entry walk reads no other from the record). */
  fields: Map<string, number>;
  /** The field slots whose scaled forms are kept. */
  scaled: Set<number>;
  /**
   * Of those, the integer fields: their scaled form is the integer as a JS number of units at scale 0 while it
   * is a safe integer (O.shI; scaled-units.ts), which plain code reads through O.SI.
   */
  ints: Set<number>;
}

export interface ShadowPlan {
  /** Slots the plain run needs: the node's own, then the shadows. */
  width: number;
  /** Input slot → the slot of its scaled form. */
  inputs: Map<number, number>;
  /** Input slot → its elements' shadows. */
  records: Map<number, RecordShadow>;
  /** Record input slot → its own shadow (the slot `shadow` holds the array itself). */
  singles: Map<number, RecordShadow>;
  /**
   * A MIN or MAX binding's slot → the slot of its winning operand's scaled form (codegen-extreme.ts); filled by
   * codegen.ts after the plan, whose width it extends.
   */
  bindings: Map<number, number>;
}

/** Every operation inside `op`, itself included, in no particular order. */
export function eachOp(op: Op, f: (op: Op) => void): void {
  f(op);
  for (const child of opChildren(op)) eachOp(child, f);
}

/** The property name of `get(x, "name", span)`, or undefined for any other operation. */
export function getProperty(op: Op): string | undefined {
  if (op.k !== "call" || op.fn !== "get") return undefined;
  const name = op.args[1];
  return name?.k === "const" && typeof name.value === "string" ? name.value : undefined;
}

const isNumeric = (kind: string) => kind === "decimal" || kind === "integer";
/** A kind with nothing inside it for the entry walk to visit. */
const isPlain = (kind: string) => kind !== "record" && kind !== "array" && kind !== "set" && kind !== "map";

export function shadowPlan(p: PreparedNode, L: LoweredNode): ShadowPlan {
  // The node's own expressions (slots are the node's): steps, contracts, old() values.
  const nodeOps: Op[] = [
    ...L.instrs.flatMap((i) => {
      const b = i.body;
      const own =
        b.op === "validate"
          ? [b.check]
          : b.op === "compute" || b.op === "tensor"
            ? b.assignments.map((a) => a.value)
            : b.op === "call"
              ? b.args.map((a) => a.value)
              : b.op === "branch"
                ? [b.condition]
                : b.op === "return"
                  ? b.values
                  : [];
      return [...i.guards, ...own, ...(i.fallback ?? []).map((a) => a.value)];
    }),
    ...L.preconditions,
    ...L.postconditions,
    ...L.invariants,
    ...L.old,
    ...L.inputConstraints.flatMap((i) => i.constraints.map((c) => c.expr)),
  ].map((e) => e.op);
  const written = new Set<number>();
  for (const i of L.instrs) {
    const b = i.body;
    if (b.op === "compute" || b.op === "tensor") for (const a of b.assignments) written.add(a.slot);
    if (b.op === "call" && b.bindSlot !== undefined) written.add(b.bindSlot);
    for (const a of i.fallback ?? []) written.add(a.slot);
  }
  const scaledSlots = new Set<number>();
  const scaledNames = new Set<string>();
  const iterated = new Set<number>();
  const fieldsRead = new Set<number>();
  const namesRead = new Set<string>();
  for (const root of nodeOps)
    eachOp(root, (op) => {
      const name = getProperty(op);
      if (name !== undefined) namesRead.add(name);
      if (op.k === "call" && op.fn === "S") {
        const a = op.args[0]!;
        if (a.k === "slot") scaledSlots.add(a.index);
        const name = getProperty(a);
        if (name !== undefined) scaledNames.add(name);
      }
      if (op.k === "loop" && op.collection.k === "slot") iterated.add(op.collection.index);
      if (getProperty(op) !== undefined && (op as Extract<Op, { k: "call" }>).args[0]!.k === "slot")
        fieldsRead.add(((op as Extract<Op, { k: "call" }>).args[0] as Extract<Op, { k: "slot" }>).index);
    });

  let width = L.slots.names.length;
  const inputs = new Map<number, number>();
  const records = new Map<number, RecordShadow>();
  const singles = new Map<number, RecordShadow>();
  p.node.inputs.forEach((input, i) => {
    const slot = L.inputSlots[i]!;
    if (written.has(slot)) return;
    const t = input.type;
    if (isNumeric(t.kind) && scaledSlots.has(slot)) inputs.set(slot, width++);
    const single = t.kind === "record" && fieldsRead.has(slot);
    if (!single && (t.kind !== "array" || t.element.kind !== "record" || !iterated.has(slot))) return;
    const name = t.kind === "record" ? t.name : t.kind === "array" && t.element.kind === "record" ? t.element.name : "";
    const lowered = L.records.get(name);
    const decl = p.node.types.find((d) => d.name === name);
    if (!lowered || !decl) return;
    // A record's own constraints read its fields by slot.
    const own = new Set<number>();
    const ownRead = new Set<number>();
    for (const e of [...lowered.fields.flatMap((f) => f.constraints), ...lowered.constraints])
      eachOp(e.expr.op, (op) => {
        if (op.k === "slot") ownRead.add(op.index);
        if (op.k === "call" && op.fn === "S" && op.args[0]!.k === "slot") own.add(op.args[0]!.index);
      });
    const scaled = new Set<number>();
    const ints = new Set<number>();
    lowered.fields.forEach((f, j) => {
      if (isNumeric(decl.fields[j]!.type.kind) && (scaledNames.has(f.name) || own.has(f.slot))) {
        scaled.add(f.slot);
        if (decl.fields[j]!.type.kind === "integer") ints.add(f.slot);
      }
    });
    (single ? singles : records).set(slot, {
      slot,
      shadow: width++,
      record: decl.name,
      size: lowered.slots.names.length,
      // Only the fields something reads: the node by name, a constraint by slot, or the walk of a nested value.
      fields: new Map(
        lowered.fields
          .filter(
            (f, j) =>
              namesRead.has(f.name) ||
              ownRead.has(f.slot) ||
              f.constraints.length > 0 ||
              !isPlain(decl.fields[j]!.type.kind),
          )
          .map((f) => [f.name, f.slot]),
      ),
      scaled,
      ints,
    });
  });
  return { width, inputs, records, singles, bindings: new Map() };
}
