import { describe, expect, it } from "vitest";
import { DONE } from "../../../../src/runtime/direct/layout.js";
import type { LoweredNode } from "../../../../src/runtime/direct/layout.js";
import { instr, lowered, show } from "../../../helpers/direct-passes.js";

// Compiler pass 3 (lowerNode in src/runtime/direct/layout.ts): the flow tree becomes
// a flat program. Steps are placed in pre-order (a branch, its then-arm, its else-arm,
// the next step); each instruction says which pc follows it (a branch has two), an
// arm joins the step after its branch, and `end` means the flow ran out. Every
// expression of the node is lowered once and keeps the index of its source text.

/** Each instruction as "pc name → next", a branch as "pc name ? then : else". */
function program(L: LoweredNode): string[] {
  return L.instrs.map((i) =>
    i.body.op === "branch"
      ? `${i.pc} ${i.step.name} ? ${i.body.then} : ${i.body.else}`
      : `${i.pc} ${i.step.name} → ${i.next}`,
  );
}

const ret = (indent: string) =>
  `${indent}- step: done\n${indent}  op: return\n${indent}  output: success\n${indent}  values:\n${indent}    y: "x"`;

describe("the flat program", () => {
  it("places a straight flow in order, each step followed by the next and the last by end", () => {
    const { L } = lowered({
      flow: `
        - step: a
          op: compute
          set:
            w: "x"
        - step: b
          op: validate
          check: "x > 0"
          error: {code: BAD, message: "no"}
${ret("        ")}`,
      outputs: "y: integer",
    });
    expect(program(L)).toEqual(["0 a → 1", "1 b → 2", "2 done → 3"]);
    expect(L.end).toBe(3);
    expect(L.end).not.toBe(DONE);
  });

  it("places nested branches in pre-order and joins every arm to the step after its branch", () => {
    const { L } = lowered({
      flow: `
        - step: outer
          op: branch
          if: "x > 0"
          then:
            - step: inner
              op: branch
              if: "x > 10"
              then:
                - step: big
                  op: compute
                  set:
                    w: "2"
              else:
                - step: small
                  op: compute
                  set:
                    w: "1"
            - step: after_inner
              op: compute
              set:
                v: "3"
          else:
            - step: negative
              op: compute
              set:
                w: "0"
        - step: tail
          op: compute
          set:
            u: "x"
${ret("        ")}`,
    });
    expect(program(L)).toEqual([
      "0 outer ? 1 : 5",
      "1 inner ? 2 : 3",
      "2 big → 4",
      "3 small → 4",
      "4 after_inner → 6",
      "5 negative → 6",
      "6 tail → 7",
      "7 done → 8",
    ]);
    // A branch's own `next` is where both arms end up: the step after it.
    expect([instr(L, "outer").next, instr(L, "inner").next]).toEqual([6, 4]);
  });

  it("sends an empty else-arm straight to the step after the branch", () => {
    const { L } = lowered({
      flow: `
        - step: maybe
          op: branch
          if: "x > 0"
          then:
            - step: positive
              op: compute
              set:
                w: "1"
        - step: tail
          op: compute
          set:
            u: "x"
${ret("        ")}`,
    });
    expect(program(L)).toEqual(["0 maybe ? 1 : 2", "1 positive → 2", "2 tail → 3", "3 done → 4"]);
  });

  it("joins a branch that is the last step of an arm to the step after the outer branch", () => {
    const { L } = lowered({
      flow: `
        - step: outer
          op: branch
          if: "x > 0"
          then:
            - step: inner
              op: branch
              if: "x > 10"
              then:
                - step: big
                  op: compute
                  set:
                    w: "2"
${ret("        ")}`,
    });
    expect(program(L)).toEqual(["0 outer ? 1 : 3", "1 inner ? 2 : 3", "2 big → 3", "3 done → 4"]);
  });

  it("sends the last step of each arm of a final branch to end", () => {
    const { L } = lowered({
      flow: `
        - step: a
          op: compute
          set:
            w: "x"
        - step: pick
          op: branch
          if: "x > 0"
          then:
${ret("            ")}
          else:
            - step: other
              op: return
              output: success
              values:
                y: "0"`,
    });
    expect(program(L)).toEqual(["0 a → 1", "1 pick ? 2 : 3", "2 done → 4", "3 other → 4"]);
    expect(L.end).toBe(4);
  });

  it("links branches nested 60 deep, each arm joining its parent's next, down to one leaf", () => {
    const depth = 60;
    let flow = "";
    let indent = "";
    for (let d = 0; d < depth; d++) {
      flow += `${indent}- step: b${d}\n${indent}  op: branch\n${indent}  if: "x > ${d}"\n${indent}  then:\n`;
      indent += "    ";
    }
    flow += `${indent}- step: leaf\n${indent}  op: compute\n${indent}  set:\n${indent}    w: "x"\n`;
    flow += ret("");
    const { L } = lowered({ flow });
    expect(L.instrs).toHaveLength(depth + 2);
    for (let d = 0; d < depth; d++) {
      const b = L.instrs[d]!;
      expect(b.body.op === "branch" && [b.body.then, b.body.else]).toEqual([d + 1, depth + 1]);
      expect(b.next).toBe(depth + 1);
    }
    expect(instr(L, "leaf")).toMatchObject({ pc: depth, next: depth + 1 });
  });
});

describe("the lowered expressions", () => {
  it("keeps every expression's source text by index: guards, then the body, in step order", () => {
    const { L } = lowered({
      flow: `
        - step: a
          op: compute
          guards: ["x != 5", "x != 6"]
          set:
            w: "x + 1"
${ret("        ")}`,
    });
    const a = instr(L, "a");
    expect(a.guards.map((g) => L.sources[g.src]!.text)).toEqual(["x != 5", "x != 6"]);
    expect(a.guards.map((g) => show(g.op))).toEqual(["(x@0 !== 5n)", "(x@0 !== 6n)"]);
    const body = a.body.op === "compute" ? a.body.assignments : [];
    expect(body.map((x) => L.sources[x.value.src]!.text)).toEqual(["x + 1"]);
    expect(new Set([...a.guards, ...body.map((x) => x.value)].map((e) => e.src)).size).toBe(3);
  });

  it("lowers a call's arguments in declared order and its error_handling fallback", () => {
    const { L } = lowered({
      outputs: "y: string",
      flow: `
        - step: charge
          op: call
          tool: sim.payments.charge
          args:
            amount: "x * 2"
            currency: "'USD'"
            idempotency_key: "'key-12345678'"
          bind: result
          returns:
            id: string
            status: enum[succeeded, declined]
          error_handling:
            fallback:
              set:
                note: "'gateway down'"
        - step: done
          op: return
          output: success
          values:
            y: "'ok'"`,
    });
    const charge = instr(L, "charge");
    expect(charge.body.op).toBe("call");
    if (charge.body.op !== "call") return;
    expect(charge.body.args.map((a) => [a.name, show(a.value.op)])).toEqual([
      ["amount", "mulI(x@0, 2n)"],
      ["currency", '"USD"'],
      ["idempotency_key", '"key-12345678"'],
    ]);
    expect(charge.body.bindSlot).toBe(L.slots.names.indexOf("result"));
    expect(charge.fallback!.map((a) => [L.slots.names[a.slot], show(a.value.op)])).toEqual([
      ["note", '"gateway down"'],
    ]);
    expect(instr(L, "done").fallback).toBeUndefined();
  });

  it("lowers a return's fields in declared order, a validate's check and error, and a transition's target", () => {
    const { L } = lowered({
      outputs: "y: integer\nz: integer",
      states: `
        initial: open
        states: [open, closed]
        final: [closed]
        transitions:
          open: [closed]`,
      flow: `
        - step: check
          op: validate
          check: "x >= 0"
          error: {code: NEGATIVE, message: "x must not be negative"}
        - step: close
          op: transition
          to: closed
        - step: done
          op: return
          output: success
          values:
            z: "x + 1"
            y: "x"`,
    });
    const check = instr(L, "check").body;
    expect(check.op === "validate" && [show(check.check.op), check.error.code.value]).toEqual([
      "(x@0 >= 0n)",
      "NEGATIVE",
    ]);
    expect(instr(L, "close").body).toEqual({ op: "transition", to: "closed" });
    const done = instr(L, "done").body;
    expect(done.op === "return" && [done.output, done.fields, done.values.map((v) => show(v.op))]).toEqual([
      "success",
      ["z", "y"],
      ["addI(x@0, 1n)", "x@0"],
    ]);
  });

  it("lowers the contracts, the input constraints and each record type's constraints once", () => {
    const { L } = lowered({
      types: `
        Item:
          fields:
            sku: {type: string, constraints: ["LEN(sku) >= 3"]}
            qty: integer
          constraints:
            - "qty >= 1"`,
      inputs: `
        x: {type: integer, constraints: ["x >= 0", "x < 100"]}
        item: Item`,
      contracts: `
        preconditions:
          - "x != 7"
        invariants:
          - "x != 8"
        postconditions:
          - "output.y == old(x)"`,
      flow: ret(""),
    });
    expect(L.inputConstraints.map((c) => [c.input, c.slot, c.constraints.map((k) => show(k.expr.op))])).toEqual([
      ["x", 0, ["(x@0 >= 0n)", "(x@0 < 100n)"]],
      ["item", 1, []],
    ]);
    expect(L.preconditions.map((e) => show(e.op))).toEqual(["(x@0 !== 7n)"]);
    expect(L.invariants.map((e) => show(e.op))).toEqual(["(x@0 !== 8n)"]);
    expect(L.old.map((e) => L.sources[e.src]!.text)).toEqual(["output.y == old(x)"]);
    // A record's constraints read its fields from the record's own slots, proven where required.
    const item = L.records.get("Item")!;
    expect(item.fields.map((f) => [f.name, f.constraints.map((c) => show(c.expr.op))])).toEqual([
      ["sku", ["(len(sku@0) >= 3n)"]],
      ["qty", []],
    ]);
    expect(item.constraints.map((c) => show(c.expr.op))).toEqual(["(qty@1 >= 1n)"]);
    // Every lowered expression points at a distinct source entry.
    const all = [
      ...L.preconditions,
      ...L.invariants,
      ...L.postconditions,
      ...L.old,
      ...L.inputConstraints.flatMap((c) => c.constraints.map((k) => k.expr)),
      ...item.fields.flatMap((f) => f.constraints.map((c) => c.expr)),
      ...item.constraints.map((c) => c.expr),
    ];
    expect(new Set(all.map((e) => e.src)).size).toBe(all.length);
  });
});
