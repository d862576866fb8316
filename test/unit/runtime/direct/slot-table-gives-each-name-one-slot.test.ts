import { describe, expect, it } from "vitest";
import { SlotTable } from "../../../../src/runtime/direct/lower.js";
import { assigned, instr, lowered, show } from "../../../helpers/direct-passes.js";

// Compiler pass 1 (SlotTable in src/runtime/direct/lower.ts): every name a node can
// read gets one fixed index in the run's slots array; each FORALL/EXISTS/aggregate
// variable gets a slot of its own, so a loop variable never overwrites a binding or
// an outer loop's variable of the same name.

describe("the slot table on its own", () => {
  it("gives a name the same slot every time, in order of first use, with no gaps", () => {
    const t = new SlotTable();
    expect([t.slot("a"), t.slot("b"), t.slot("a"), t.slot("c"), t.slot("b")]).toEqual([0, 1, 0, 2, 1]);
    expect(t.names).toEqual(["a", "b", "c"]);
    expect(t.has("b")).toBe(true);
    expect(t.has("d")).toBe(false);
  });

  it("gives a fresh slot every time, even for a known name, without moving that name's slot", () => {
    const t = new SlotTable();
    const i = t.slot("i");
    const loops = [t.fresh("i"), t.fresh("i")];
    expect(loops).toEqual([1, 2]);
    expect(t.slot("i")).toBe(i);
    expect(t.names).toEqual(["i", "i", "i"]);
    // A fresh slot is not a name: a name first seen after it still gets a slot of its own.
    const j = t.fresh("j");
    expect(t.has("j")).toBe(false);
    expect(t.slot("j")).not.toBe(j);
  });

  it("treats names that are properties of every JavaScript object as plain names", () => {
    const t = new SlotTable();
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype"];
    for (const n of names) expect(t.has(n), n).toBe(false);
    const slots = names.map((n) => t.slot(n));
    expect(slots).toEqual([0, 1, 2, 3, 4, 5]);
    expect(names.map((n) => t.slot(n))).toEqual(slots);
    expect(t.names).toEqual(names);
  });
});

describe("the slots of a node", () => {
  it("puts the inputs first in declaration order, then input, state and output, then bindings in first-use order", () => {
    const { L } = lowered({
      inputs: "b: integer\na: integer",
      flow: `
        - step: one
          op: compute
          set:
            z: "a + b"
            y: "z"
        - step: two
          op: compute
          set:
            w: "y"
            z: "w"
        - step: done
          op: return
          output: success
          values:
            y: "y"`,
    });
    expect(L.slots.names).toEqual(["b", "a", "input", "state", "output", "z", "y", "w"]);
    expect(L.inputSlots).toEqual([0, 1]);
    expect([L.inputSlot, L.stateSlot, L.outputSlot]).toEqual([2, 3, 4]);
  });

  it("gives a binding assigned in both arms of a branch, and again later, one slot", () => {
    const { L } = lowered({
      flow: `
        - step: pick
          op: branch
          if: "x > 0"
          then:
            - step: pos
              op: compute
              set:
                y: "1"
          else:
            - step: neg
              op: compute
              set:
                y: "2"
        - step: again
          op: compute
          set:
            y: "y + 1"
        - step: done
          op: return
          output: success
          values:
            y: "y"`,
    });
    expect(L.slots.names.filter((n) => n === "y")).toHaveLength(1);
    const y = L.slots.names.indexOf("y");
    for (const step of ["pos", "neg", "again"]) {
      const body = instr(L, step).body;
      expect(body.op === "compute" && body.assignments.map((a) => a.slot)).toEqual([y]);
    }
  });

  it("gives a call's bound result a slot", () => {
    const { L } = lowered({
      inputs: "x: integer",
      outputs: "y: string",
      flow: `
        - step: fetch
          op: call
          tool: sim.payments.charge
          args:
            amount: "x"
            currency: "'USD'"
            idempotency_key: "'key-12345678'"
          bind: charge
          returns:
            id: string
            status: enum[succeeded, declined]
        - step: done
          op: return
          output: success
          values:
            y: "charge.id"`,
    });
    const body = instr(L, "fetch").body;
    expect(body.op === "call" && body.bindSlot).toBe(L.slots.names.indexOf("charge"));
  });

  it("gives a loop variable that shadows a binding, an input or an outer loop variable a slot of its own", () => {
    const { L } = lowered({
      inputs: "x: integer\nitems: array<integer>",
      outputs: "y: integer",
      flow: `
        - step: one
          op: compute
          set:
            i: "5"
            s: "SUM(i IN items: i * 2)"
            t: "FORALL x IN items: EXISTS x IN items: x > i"
            y: "i + x"
        - step: done
          op: return
          output: success
          values:
            y: "y"`,
    });
    const names = L.slots.names;
    const binding = names.indexOf("i");
    const input = names.indexOf("x");
    // SUM's i, the FORALL's x and the EXISTS's x: three slots beside the binding i and the input x.
    expect(names.filter((n) => n === "i")).toHaveLength(2);
    expect(names.filter((n) => n === "x")).toHaveLength(3);
    const sum = show(assigned(L, "one", "s"));
    const sumSlot = Number(/^SUM @(\d+)/.exec(sum)![1]);
    expect(sumSlot).not.toBe(binding);
    expect(sum).toBe(`SUM @${sumSlot} IN items@1: mulI(i@${sumSlot}, 2n) :integer`);
    // The inner x is the EXISTS's own slot; the i inside it is still the binding.
    const t = show(assigned(L, "one", "t"));
    const [, outer, inner] = /^FORALL @(\d+) IN items@1: EXISTS @(\d+) IN items@1: \(x@(\d+) > bound\(i@(\d+)\)\)/
      .exec(t)!
      .map(Number);
    expect(new Set([outer, inner, input, binding]).size).toBe(4);
    expect(t).toContain(`(x@${inner} > bound(i@${binding}))`);
    // After the loops, the names are the binding and the input again.
    expect(show(assigned(L, "one", "y"))).toBe(`addI(bound(i@${binding}), x@${input})`);
  });

  it("gives names like __proto__, constructor and JavaScript keywords ordinary slots", () => {
    const { L } = lowered({
      inputs: "__proto__: integer\nconstructor: integer",
      flow: `
        - step: class
          op: compute
          set:
            return: "__proto__ + constructor"
            this: "return"
            toString: "this"
        - step: done
          op: return
          output: success
          values:
            y: "toString"`,
    });
    expect(L.slots.names).toEqual([
      "__proto__",
      "constructor",
      "input",
      "state",
      "output",
      "return",
      "this",
      "toString",
    ]);
    expect(show(assigned(L, "class", "return"))).toBe("addI(__proto__@0, constructor@1)");
    expect(show(assigned(L, "class", "toString"))).toBe("bound(this@6)");
  });

  it("gives each record type's constraints a slot table of their own, one slot per field", () => {
    const { L } = lowered({
      types: `
        Item:
          fields:
            sku: {type: string, constraints: ["LEN(sku) >= 3"]}
            qty: integer
          constraints:
            - "qty >= 1"`,
      inputs: "item: Item",
      flow: `
        - step: done
          op: return
          output: success
          values:
            y: "item.qty"`,
    });
    const item = L.records.get("Item")!;
    expect(item.slots.names).toEqual(["sku", "qty"]);
    expect(item.fields.map((f) => [f.name, f.slot])).toEqual([
      ["sku", 0],
      ["qty", 1],
    ]);
    // The node's own table knows nothing of the record's field names.
    expect(L.slots.has("sku")).toBe(false);
  });
});
