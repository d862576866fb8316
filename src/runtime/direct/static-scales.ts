import type { LoweredNode } from "./layout.js";
import type { Op } from "./op-tree.js";
import { Sc, toS } from "./scaled.js";
import { eachOp } from "./shadows.js";
import { Decimal } from "../../values/decimal.js";

// Which decimal bindings of a plain generated run have a scale the compiler knows
// (codegen.ts's static-scale lowering, scaled-units.ts): a binding every assignment of
// which is a ROUND (its places), a decimal constant (its own scale), a SUM of such
// terms, or +, − and × of such values (the larger scale, the sum of scales). Such a
// slot holds a number of units at that scale while the value fits (anything else as
// its scaled value). Only slots the plain run already keeps scaled qualify
// (scaled-slots.ts: read nothing but arithmetic, never as a Value by code shared with
// the other paths), and of those only slots that shared code (postconditions and
// invariants, which a run whose output needed its conformer checks through the shared
// functions; fallbacks) does not read at all: it reads a scaled slot through S, which
// takes a number for a float. What the analysis gives is a choice of representation, never of value: code
// writing a value of another scale into a slot converts it (or stores its Sc).

/** The largest scale a slot is held at (more places rarely fit a number). */
const MAX_SCALE = 18;

/** A constant scaled value held as a number, or undefined. */
export function numberConstant(op: Op): Sc | undefined {
  if (op.k !== "const") return undefined;
  const v = op.value instanceof Decimal ? toS(op.value) : op.value;
  return v instanceof Sc && v.w === null && typeof v.m === "number" ? v : undefined;
}

/** S of a value read (an input, a field, a binding): an operand whose scale is most often money's. */
const isRead = (op: Op) => op.k === "call" && op.fn === "S";

/**
 * The scale at which `op` (giving a scaled value, or a binding's assigned value) is
 * known, given the slots' scales (`slot`) and, in a return's postconditions, the
 * returned fields' (`field`: the scale of S(output.name)); undefined when it is not.
 */
export function staticScale(
  op: Op,
  slot: (index: number) => number | undefined,
  field?: (op: Op) => number | undefined,
): number | undefined {
  const c = numberConstant(op);
  if (c) return c.k;
  if (op.k === "loop") return op.kind === "SUMS" ? staticScale(op.body, slot, field) : undefined;
  if (op.k !== "call") return undefined;
  const [a, b] = op.args;
  switch (op.fn) {
    case "fromS":
      return staticScale(a!, slot, field);
    case "S":
      return a!.k === "slot" ? slot(a!.index) : field?.(a!);
    case "addS":
    case "subS": {
      const x = staticScale(a!, slot, field);
      const y = staticScale(b!, slot, field);
      // Beside an operand of unknown scale that is computed (not a value read), unknown (codegen.ts's num()).
      if ((x === undefined && !isRead(a!)) || (y === undefined && !isRead(b!))) return undefined;
      if (x === undefined) return y;
      return y === undefined || y < x ? x : y;
    }
    case "mulS": {
      const x = staticScale(a!, slot, field);
      const y = staticScale(b!, slot, field);
      return x === undefined || y === undefined ? undefined : x + y;
    }
    case "negS":
      return staticScale(a!, slot, field);
    case "roundS":
      return b!.k === "const" && typeof b!.value === "number" ? b!.value : undefined;
    default:
      return undefined;
  }
}

/** The slots (of `scaled`, those a plain run keeps scaled) held as numbers of units, each with its scale. */
export function unitSlots(L: LoweredNode, scaled: ReadonlySet<number>): Map<number, number> {
  const shared = new Set<number>();
  for (const e of [
    ...L.invariants,
    ...L.postconditions,
    ...L.instrs.flatMap((i) => (i.fallback ?? []).map((a) => a.value)),
  ])
    eachOp(e.op, (op) => {
      if (op.k === "slot") shared.add(op.index);
    });
  // A slot something else writes (a call's result, a tensor step, a fallback) may hold a float: never units.
  for (const instr of L.instrs) {
    const b = instr.body;
    if (b.op === "call" && b.bindSlot !== undefined) shared.add(b.bindSlot);
    if (b.op === "tensor") for (const a of b.assignments) shared.add(a.slot);
    for (const a of instr.fallback ?? []) shared.add(a.slot);
  }
  const assigned = new Map<number, Op[]>();
  for (const instr of L.instrs) {
    if (instr.body.op !== "compute") continue;
    for (const a of instr.body.assignments)
      if (scaled.has(a.slot) && !shared.has(a.slot))
        assigned.set(a.slot, [...(assigned.get(a.slot) ?? []), a.value.op]);
  }
  // From nothing known, a slot becomes known once all its values are; a few rounds settle any real node (a
  // binding that multiplies itself grows past MAX_SCALE and drops out).
  let units = new Map<number, number>();
  for (let round = 0; round < 12; round++) {
    const next = new Map<number, number>();
    for (const [slot, ops] of assigned) {
      let k = -1;
      for (const op of ops) {
        const s = staticScale(op, (i) => units.get(i));
        if (s === undefined) {
          k = -1;
          break;
        }
        if (s > k) k = s;
      }
      if (k >= 0 && k <= MAX_SCALE) next.set(slot, k);
    }
    const same = next.size === units.size && [...next].every(([s, k]) => units.get(s) === k);
    units = next;
    if (same) break;
  }
  return units;
}
