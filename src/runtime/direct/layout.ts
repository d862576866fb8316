import { Lowerer, SlotTable } from "./lower.js";
import { numericNames, Provenance, provenNames, provenOutputFields } from "./proven.js";
import type { Op } from "./op-tree.js";
import { exprOf, type PreparedNode } from "../prepared.js";
import type { Assignment, ErrorSpec, SourceExpr, Step } from "../../ir/ast.js";

// Compiler pass 3: the flow tree becomes a flat program. Each step is one
// instruction with the program counters that follow it (a branch has two), and
// every expression in the node is lowered once into an operation tree. The tiers
// (closures, generated code) compile this one LoweredNode.

export const DONE = -1;

export interface LoweredExpr {
  /** Index into LoweredNode.sources, so an error can point at its column. */
  src: number;
  op: Op;
}

export interface LoweredAssignment {
  slot: number;
  value: LoweredExpr;
}

export interface Instr {
  pc: number;
  step: Step;
  /** The instruction after this one on its path; `end` when the flow runs out. */
  next: number;
  guards: LoweredExpr[];
  body:
    | { op: "validate"; check: LoweredExpr; error: ErrorSpec }
    | { op: "compute" | "tensor"; assignments: LoweredAssignment[] }
    | { op: "transition"; to: string }
    | { op: "call"; args: { name: string; value: LoweredExpr }[]; bindSlot?: number }
    | { op: "branch"; condition: LoweredExpr; then: number; else: number }
    | { op: "return"; output: "success" | "error"; fields: string[]; values: LoweredExpr[] };
  fallback?: LoweredAssignment[];
}

export interface RecordConstraints {
  slots: SlotTable;
  /** Constraints of each field, then of the type as a whole. */
  fields: { name: string; slot: number; constraints: { source: SourceExpr; expr: LoweredExpr }[] }[];
  constraints: { source: SourceExpr; expr: LoweredExpr }[];
}

export interface LoweredNode {
  slots: SlotTable;
  sources: SourceExpr[];
  instrs: Instr[];
  /** The pc meaning "the flow ran out without a return". */
  end: number;
  stateSlot: number;
  inputSlot: number;
  outputSlot: number;
  inputSlots: number[];
  inputConstraints: { input: string; slot: number; constraints: { source: SourceExpr; expr: LoweredExpr }[] }[];
  records: Map<string, RecordConstraints>;
  preconditions: LoweredExpr[];
  postconditions: LoweredExpr[];
  invariants: LoweredExpr[];
  old: LoweredExpr[];
}

export function lowerNode(p: PreparedNode): LoweredNode {
  const slots = new SlotTable();
  const node = p.node;
  const inputSlots = node.inputs.map((f) => slots.slot(f.name));
  const inputSlot = slots.slot("input");
  const stateSlot = slots.slot("state");
  const outputSlot = slots.slot("output");
  const proven = provenNames(p);
  const numeric = numericNames(p, proven);
  const provenance = new Provenance(p.exprTypes, p.types, proven, numeric);
  const alwaysBound = new Set([...inputSlots, inputSlot, stateSlot]);
  const lowerer = new Lowerer(p.exprTypes, slots, p.oldExprs, alwaysBound, provenance);
  // Postconditions run only after a successful return, with `output` the conformed success record.
  const postLowerer = new Lowerer(
    p.exprTypes,
    slots,
    p.oldExprs,
    new Set([...alwaysBound, outputSlot]),
    new Provenance(p.exprTypes, p.types, new Set([...proven, "output"]), numeric, provenOutputFields(p, provenance)),
  );
  const sources: SourceExpr[] = [];
  const lower = (src: SourceExpr): LoweredExpr => ({ src: sources.push(src) - 1, op: lowerer.lower(exprOf(src)) });
  const assign = (list: Assignment[]): LoweredAssignment[] =>
    list.map((a) => ({ slot: slots.slot(a.name), value: lower(a.value) }));

  const instrs: Instr[] = [];
  const arms = new Map<Instr, { then: Instr[]; else: Instr[] }>();
  // Places steps in pre-order (a branch, its then-arm, its else-arm, the next step).
  const place = (steps: Step[]): Instr[] =>
    steps.map((step) => {
      const instr: Instr = {
        pc: instrs.length,
        step,
        next: 0,
        guards: step.guards.map(lower),
        body: { op: "transition", to: "" },
      };
      instrs.push(instr);
      if (step.errorHandling?.fallback) instr.fallback = assign(step.errorHandling.fallback);
      switch (step.op) {
        case "validate":
          instr.body = { op: "validate", check: lower(step.check), error: step.error };
          break;
        case "compute":
        case "tensor":
          instr.body = { op: step.op, assignments: assign(step.assignments) };
          break;
        case "transition":
          instr.body = { op: "transition", to: step.to.value };
          break;
        case "call":
          instr.body = {
            op: "call",
            args: step.args.map((a) => ({ name: a.name, value: lower(a.value) })),
            bindSlot: step.bind ? slots.slot(step.bind.value) : undefined,
          };
          break;
        case "return":
          instr.body = {
            op: "return",
            output: step.output.value,
            fields: step.values.map((v) => v.name),
            values: step.values.map((v) => lower(v.value)),
          };
          break;
        case "branch":
          instr.body = { op: "branch", condition: lower(step.condition), then: 0, else: 0 };
          arms.set(instr, { then: place(step.then), else: place(step.else) });
          break;
      }
      return instr;
    });
  // Then links each instruction to what follows it; an arm joins the step after its branch.
  const link = (list: Instr[], after: number): void => {
    list.forEach((instr, i) => {
      instr.next = list[i + 1]?.pc ?? after;
      const arm = arms.get(instr);
      if (arm && instr.body.op === "branch") {
        instr.body.then = arm.then[0]?.pc ?? instr.next;
        instr.body.else = arm.else[0]?.pc ?? instr.next;
        link(arm.then, instr.next);
        link(arm.else, instr.next);
      }
    });
  };
  const top = place(node.flow);
  const end = instrs.length;
  link(top, end);

  const records = new Map<string, RecordConstraints>();
  for (const decl of node.types) {
    const rslots = new SlotTable();
    // In a record's constraints its fields are the names; required ones are proven (readValue and conform guarantee them).
    const fieldsProven = new Set(decl.fields.filter((f) => f.required && f.type.kind !== "any").map((f) => f.name));
    const rlower = new Lowerer(
      p.exprTypes,
      rslots,
      [],
      new Set(decl.fields.map((f) => rslots.slot(f.name))),
      new Provenance(p.exprTypes, p.types, fieldsProven),
    );
    const rl = (src: SourceExpr) => ({
      source: src,
      expr: { src: sources.push(src) - 1, op: rlower.lower(exprOf(src)) },
    });
    records.set(decl.name, {
      slots: rslots,
      fields: decl.fields.map((f) => ({ name: f.name, slot: rslots.slot(f.name), constraints: f.constraints.map(rl) })),
      constraints: decl.constraints.map(rl),
    });
  }

  return {
    slots,
    sources,
    instrs,
    end,
    stateSlot,
    inputSlot,
    outputSlot,
    inputSlots,
    records,
    inputConstraints: node.inputs.map((f, i) => ({
      input: f.name,
      slot: inputSlots[i]!,
      constraints: f.constraints.map((c) => ({ source: c, expr: lower(c) })),
    })),
    preconditions: p.preconditions.map((c) => lower(c.source)),
    postconditions: p.postconditions.map((c) => ({
      src: sources.push(c.source) - 1,
      op: postLowerer.lower(exprOf(c.source)),
    })),
    invariants: p.invariants.map((c) => lower(c.source)),
    old: p.oldExprs.map((e, i) => ({ src: sources.push(p.oldSources[i]!) - 1, op: lowerer.lower(e) })),
  };
}
