import type { LoweredNode } from "./layout.js";
import { type Op, opChildren } from "./op-tree.js";
import { Decimal } from "../../values/decimal.js";

// The slots a plain generated run (codegen.ts, a run nobody observes) may keep as
// scaled values (scaled.ts) from the step that computes them to the steps that read
// them, so decimal arithmetic converts at its boundaries only: no Decimal is made
// for a binding that only feeds more arithmetic. The invariant: such a slot holds
// either an Sc standing for the Decimal fromS would make of it, or exactly the Value
// the other paths would hold. Plain code reads it through O.S (which takes both) or
// O.unS (which gives the Value); the code it shares with the other paths
// (invariants, postconditions, fallbacks) reads slots as Values, so a slot that code
// reads other than through S stays a Value.

/** The slots a plain run may keep scaled. */
export function scaledSlots(L: LoweredNode): Set<number> {
  const slots = new Set<number>();
  for (const instr of L.instrs) {
    if (instr.body.op !== "compute") continue;
    for (const a of instr.body.assignments) if (staysScaled(a.value.op)) slots.add(a.slot);
  }
  for (const i of [...L.inputSlots, L.inputSlot, L.stateSlot, L.outputSlot]) slots.delete(i);
  const shared = [
    ...L.invariants,
    ...L.postconditions,
    ...L.instrs.flatMap((i) => (i.fallback ?? []).map((a) => a.value)),
  ];
  for (const e of shared) for (const slot of valueReads(e.op)) slots.delete(slot);
  return slots;
}

/** An operation whose result is made from a scaled value (so its slot can skip making it). */
function staysScaled(op: Op): boolean {
  return (
    (op.k === "call" && op.fn === "fromS") ||
    (op.k === "loop" && op.kind === "SUMS") ||
    (op.k === "const" && op.value instanceof Decimal)
  );
}

/** The slots an operation reads other than as the operand of S. */
export function valueReads(op: Op, into = new Set<number>()): Set<number> {
  if (op.k === "slot") into.add(op.index);
  opChildren(op).forEach((child, i) => {
    // S(slot) reads the slot as a scaled value: the one read that leaves it scaled.
    if (!(op.k === "call" && op.fn === "S" && i === 0 && child.k === "slot")) valueReads(child, into);
  });
  return into;
}
