import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInputAssignment, parseInputsObject } from "../../../src/runtime/input-text.js";
import { prepareFile } from "../../../src/runtime/prepared.js";
import { ROOT } from "../../helpers/cli.js";

// An input that is wrong deep inside (one field of one line item) is reported at
// that place, `items[3].quantity`, as `--input` and `--inputs` read it; and the
// messages read as English ("a value of type array<…>", never "a array").

const order = prepareFile(`${ROOT}/examples/order_total.vsp`);
const payment = prepareFile(`${ROOT}/examples/payment.vsp`);

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("no error was thrown");
};

const item = (quantity: string) => `{sku: abc, quantity: ${quantity}, unit_price: 2}`;

describe("input errors keep their path", () => {
  it("property: a bad field of any line item is reported at items[i].<field>", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), (n, k) => {
        const bad = k % n;
        const items = Array.from({ length: n }, (_, i) => item(i === bad ? "many" : "1")).join(", ");
        const text = message(() => parseInputAssignment(order, `items=[${items}]`));
        expect(text).toBe(`input 'items' (array<LineItem>) at items[${bad}].quantity: expected an integer, got 'many'`);
        // --inputs reads the same way.
        const json = message(() => parseInputsObject(order, `{items: [${items}]}`));
        expect(json).toContain(`at items[${bad}].quantity: expected an integer`);
      }),
      { numRuns: 40 },
    );
  });

  it("a field of a record input, and an unknown field, name where they are", () => {
    expect(message(() => parseInputAssignment(payment, "customer={id: c1, balance: lots, tier: gold}"))).toBe(
      "input 'customer' (Customer) at customer.balance: expected a decimal number, got 'lots'",
    );
    expect(message(() => parseInputAssignment(order, "items=[{sku: abc, quantity: 1, price: 2}]"))).toBe(
      "input 'items' (array<LineItem>) at items[0]: LineItem has no field 'price' (fields: sku, quantity, unit_price, description)",
    );
  });

  it("a problem with the whole input does not repeat its name", () => {
    expect(message(() => parseInputAssignment(order, "items=null"))).toBe(
      "input 'items' (array<LineItem>): expected a value of type array<LineItem>, got null",
    );
    expect(message(() => parseInputAssignment(payment, "customer=3"))).toBe(
      "input 'customer' (Customer): expected a mapping for Customer, got 3",
    );
  });
});
