import type { LoweredExpr, LoweredNode } from "./layout.js";
import { type Op, opChildren } from "./op-tree.js";

// The tensor bindings a plain generated run (codegen.ts, a run nobody observes) may keep
// in storage its fused loop reuses from run to run (tensor-specialise.ts), because no
// value made from them can hold on to them: the binding is set once in the node, by an
// assignment of a tensor step, and read only by later assignments of that same step, each
// time as an operand of a tensor operation that makes a new tensor of its own (elementwise
// operators, relu/exp/sqrt, matmul, softmax, reductions). Nothing else reads it: no other
// step, guard, fallback, contract, old() value or output, so once its step is over the
// binding is dead, and within the step nothing can run between its loop and its readers
// (a tensor step has no call to wait for). An observed or stepped run never reuses storage:
// its events hold the values.

/** The tensor operations whose operands are only read (their result is a new tensor or a number). */
const READS_ONLY = new Set(["relu", "exp", "sqrt", "matmul", "softmax", "sum", "mean", "max", "min"]);

/** Whether `child`, at argument `i` of `parent`, is an operand a tensor operation only reads. */
function readOnlyOperand(parent: Op | undefined, i: number): boolean {
  if (parent?.k !== "call" || (i !== 2 && i !== 3)) return false;
  if (parent.fn === "tensorArith") return true;
  const fn = parent.args[1];
  return parent.fn === "tensorFn" && fn?.k === "const" && typeof fn.value === "string" && READS_ONLY.has(fn.value);
}

/** Slot → how it is read: each read's place (`where`) and whether a tensor operation only reads it there. */
type Reads = Map<number, { where: string; operand: boolean }[]>;

function collect(op: Op, where: string, reads: Reads, parent?: Op, i = -1): void {
  if (op.k === "slot") {
    let list = reads.get(op.index);
    if (!list) reads.set(op.index, (list = []));
    list.push({ where, operand: readOnlyOperand(parent, i) });
  }
  opChildren(op).forEach((child, k) => collect(child, where, reads, op, k));
}

/**
 * Every expression of the node over its own slots (records' constraints have slots of their
 * own), each with where it is: `tensor <pc> <k>` / `compute <pc> <k>` for an assignment,
 * `fallback <pc>`, `guard <pc>`, or `other`; and every slot written, with its count.
 */
function nodeReads(L: LoweredNode): { reads: Reads; writes: Map<number, number> } {
  const reads: Reads = new Map();
  const writes = new Map<number, number>();
  const write = (slot: number) => writes.set(slot, (writes.get(slot) ?? 0) + 1);
  const exprs = (list: LoweredExpr[], where: string) => {
    for (const e of list) collect(e.op, where, reads);
  };
  for (const instr of L.instrs) {
    const b = instr.body;
    exprs(instr.guards, `guard ${instr.pc}`);
    for (const a of instr.fallback ?? []) {
      write(a.slot);
      collect(a.value.op, `fallback ${instr.pc}`, reads);
    }
    if (b.op === "compute" || b.op === "tensor") {
      b.assignments.forEach((a, k) => {
        write(a.slot);
        collect(a.value.op, `${b.op} ${instr.pc} ${k}`, reads);
      });
    } else if (b.op === "validate") exprs([b.check], "other");
    else if (b.op === "branch") exprs([b.condition], "other");
    else if (b.op === "return") exprs(b.values, "other");
    else if (b.op === "call") {
      exprs(
        b.args.map((a) => a.value),
        "other",
      );
      if (b.bindSlot !== undefined) write(b.bindSlot);
    }
  }
  exprs([...L.preconditions, ...L.postconditions, ...L.invariants, ...L.old], "other");
  exprs(
    L.inputConstraints.flatMap((i) => i.constraints.map((c) => c.expr)),
    "other",
  );
  return { reads, writes };
}

/** Whether any expression of the node reads `slot` (a Machine makes the `input` record only if one does). */
export function readsSlot(L: LoweredNode, slot: number): boolean {
  return nodeReads(L).reads.has(slot);
}

/** The slots whose tensor a plain run may keep in reused storage, as described above. */
export function stepLocalTensors(L: LoweredNode): Set<number> {
  const { reads, writes } = nodeReads(L);
  const local = new Set<number>();
  const fixed = new Set([...L.inputSlots, L.inputSlot, L.stateSlot, L.outputSlot]);
  for (const instr of L.instrs) {
    if (instr.body.op !== "tensor") continue;
    instr.body.assignments.forEach((a, k) => {
      if (fixed.has(a.slot) || writes.get(a.slot) !== 1) return;
      const list = reads.get(a.slot) ?? [];
      const later = (where: string) => {
        const [op, pc, at] = where.split(" ");
        return op === "tensor" && Number(pc) === instr.pc && Number(at) > k;
      };
      if (list.length > 0 && list.every((r) => r.operand && later(r.where))) local.add(a.slot);
    });
  }
  return local;
}
