import type { LoweredNode } from "./layout.js";
import type { Op } from "./op-tree.js";
import { getProperty, type ShadowPlan } from "./shadows.js";
import { Decimal } from "../../values/decimal.js";

// Which bindings of a plain generated run (codegen.ts) are a MIN or MAX of operands
// that all have scaled forms there, so the run picks the answer by comparing those
// forms (scaled-units.ts cmpU, the reference's tie rule: a later operand replaces the
// best only when strictly smaller, or larger) with no Decimal compared or made. Such a
// binding keeps two slots: its own holds exactly the Value the reference holds (the
// winning operand as it is: its digits, display scale, sign of zero and kind, an
// integer staying an integer), and a companion past the node's slots holds that
// operand's scaled form (what O.S of the Value gives), which plain arithmetic reads
// through O.S instead of converting the Value again. An operand has a scaled form when
// it is a decimal or integer constant, an input with a shadow (shadows.ts), a field of
// a record input's shadow kept scaled, or a slot the plain run keeps scaled
// (scaled-slots.ts; held as units where static-scales.ts knows its scale).
//
// A binding qualifies only when every write of its slot is such a MIN or MAX in a
// compute step (no call, tensor step or fallback writes it) and its slot holds no
// value before the flow writes it (not an input, `input`, `state` or `output`), so
// the companion is set exactly when the binding is and is undefined (R100 through
// O.bound, as the binding itself) before that.

/** The operands of `extreme(MIN|MAX, [a, b, …], span)` with at least two, or undefined. */
export function extremeItems(op: Op): { fn: "MIN" | "MAX"; items: Op[]; span: Op } | undefined {
  if (op.k !== "call" || op.fn !== "extreme") return undefined;
  const [fn, list, span] = op.args;
  if (fn?.k !== "const" || (fn.value !== "MIN" && fn.value !== "MAX")) return undefined;
  if (list?.k !== "list" || list.items.length < 2 || !span) return undefined;
  return { fn: fn.value, items: list.items, span };
}

/** Whether plain code has `op`'s scaled form without converting its Value (codegen.ts Generator.scaledForm). */
export function hasScaledForm(op: Op, plan: ShadowPlan, scaled: ReadonlySet<number>): boolean {
  if (op.k === "const") return op.value instanceof Decimal || typeof op.value === "bigint";
  if (op.k === "slot") return plan.inputs.has(op.index) || scaled.has(op.index);
  const name = getProperty(op);
  const target = name === undefined ? undefined : (op as Extract<Op, { k: "call" }>).args[0]!;
  if (target?.k !== "slot") return false;
  const single = plan.singles.get(target.index);
  const field = single?.fields.get(name!);
  return field !== undefined && single!.scaled.has(field);
}

/** The binding slots that get a companion, in slot order. */
export function extremeBindings(L: LoweredNode, plan: ShadowPlan, scaled: ReadonlySet<number>): number[] {
  const other = new Set<number>([...L.inputSlots, L.inputSlot, L.stateSlot, L.outputSlot]);
  const picks = new Set<number>();
  for (const instr of L.instrs) {
    const b = instr.body;
    if (b.op === "call" && b.bindSlot !== undefined) other.add(b.bindSlot);
    if (b.op === "tensor") for (const a of b.assignments) other.add(a.slot);
    for (const a of instr.fallback ?? []) other.add(a.slot);
    if (b.op !== "compute") continue;
    for (const a of b.assignments) {
      const x = extremeItems(a.value.op);
      if (x?.items.every((i) => hasScaledForm(i, plan, scaled))) picks.add(a.slot);
      else other.add(a.slot);
    }
  }
  return [...picks].filter((s) => !other.has(s) && !scaled.has(s)).sort((a, b) => a - b);
}
