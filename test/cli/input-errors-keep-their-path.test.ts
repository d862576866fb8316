import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// `vesper run` with a wrong field deep in an --input says where (exit 2).

describe("vesper run --input with a wrong line item", () => {
  it("names items[1].quantity and the problem", () => {
    const items = "items=[{sku: abc, quantity: 1, unit_price: 2}, {sku: bcd, quantity: x, unit_price: 2}]";
    const r = cli("vesper", [
      "run",
      "examples/order_total.vsp",
      "--no-record",
      "--input",
      items,
      "--input",
      "tax_rate=0.1",
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "vesper: error: input 'items' (array<LineItem>) at items[1].quantity: expected an integer, got 'x'\n",
    );
  });
});
