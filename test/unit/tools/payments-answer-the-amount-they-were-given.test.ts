import { describe, expect, it } from "vitest";
import { charge, refund } from "../../../src/tools/simulated.js";
import { newWorld } from "../../../src/tools/sim-world.js";
import type { ToolIO, ToolReply, ToolSpec } from "../../../src/tools/registry.js";
import { Decimal } from "../../../src/values/decimal.js";
import { withDisplayScale } from "../../../src/values/display-scale.js";
import { Rng } from "../../../src/values/rng.js";
import { VRecord, formatValue, type Value } from "../../../src/values/values.js";

// A simulated charge or refund answers the amount it was asked for, as a plain decimal
// of this build's class: an argument that prints at a declared scale (a node's `scale: 2`
// input) gives a result that prints its shortest form, as it always has, and a call
// repeated with the same key answers the first call's amount. The services keep the
// argument itself when it is already such a decimal, so these pin what a copy gave.

const io = (): ToolIO => ({
  rng: new Rng("amounts"),
  world: newWorld({ "*": { failureRate: 0, declineRate: 0 } }),
  timeoutMs: 60_000,
  fetch,
});
const args = (amount: Value, key: string) =>
  new VRecord(
    "args",
    new Map<string, Value>([
      ["amount", amount],
      ["charge_id", "ch_1"],
      ["idempotency_key", key],
    ]),
  );
const amountOf = (reply: ToolReply | Promise<ToolReply>): Decimal => {
  expect(reply).toMatchObject({ ok: true });
  return (reply as { value: VRecord }).value.fields.get("amount") as Decimal;
};

describe.each([charge, refund] as ToolSpec[])("$name", (tool) => {
  it("answers a display-scaled amount as a plain decimal that prints its shortest form", () => {
    const got = amountOf(tool.invoke(args(withDisplayScale(new Decimal("5.5"), 2), "key-1"), io()));
    expect(got).toBeInstanceOf(Decimal);
    expect(formatValue(got)).toBe("5.5");
    expect(got.eq(new Decimal("5.5"))).toBe(true);
  });

  it("answers a plain amount unchanged, and the first call's amount to a repeated key", () => {
    const ctx = io();
    const first = new Decimal("12.34");
    expect(formatValue(amountOf(tool.invoke(args(first, "key-2"), ctx)))).toBe("12.34");
    const again = amountOf(tool.invoke(args(withDisplayScale(new Decimal("99"), 2), "key-2"), ctx));
    expect(formatValue(again)).toBe("12.34");
  });
});
