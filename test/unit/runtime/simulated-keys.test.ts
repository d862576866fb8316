import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/values/decimal.js";
import { Rng } from "../../../src/values/rng.js";
import { VRecord } from "../../../src/values/values.js";
import { charge, kvGet, kvPut, refund } from "../../../src/tools/simulated.js";
import { newWorld } from "../../../src/tools/sim-world.js";
import type { ToolIO } from "../../../src/tools/registry.js";

// Idempotency and kv keys are chosen by callers; a key that names a property of
// Object.prototype is an ordinary key (vesper test's generator found "isPrototypeOf"
// crashing the charge simulator).

const args = (o: Record<string, unknown>) => new VRecord("args", new Map(Object.entries(o) as [string, never][]));
const io = (): ToolIO => ({
  rng: new Rng("keys"),
  world: newWorld({ "*": { failureRate: 0, declineRate: 0 } }),
  timeoutMs: 60_000,
  fetch,
});

describe.each(["constructor", "__proto__", "isPrototypeOf", "toString", "hasOwnProperty"])("key %s", (key) => {
  it("charges once and finds the same charge again", () => {
    const ctx = io();
    const first = charge.invoke(args({ amount: new Decimal("5.00"), idempotency_key: key }), ctx);
    const again = charge.invoke(args({ amount: new Decimal("5.00"), idempotency_key: key }), ctx);
    expect(first).toMatchObject({ ok: true });
    expect((again as { value: unknown }).value).toEqual((first as { value: unknown }).value);
    expect(Object.keys(ctx.world.charges)).toEqual([key]);
  });

  it("refunds once, and kv stores and reads it", () => {
    const ctx = io();
    const r1 = refund.invoke(args({ amount: new Decimal("1.00"), charge_id: "ch_1", idempotency_key: key }), ctx);
    const r2 = refund.invoke(args({ amount: new Decimal("1.00"), charge_id: "ch_1", idempotency_key: key }), ctx);
    expect(r1).toMatchObject({ ok: true });
    expect((r2 as { value: unknown }).value).toEqual((r1 as { value: unknown }).value);
    expect(kvGet.invoke(args({ key }), ctx)).toMatchObject({
      ok: true,
      value: {
        fields: new Map<string, unknown>([
          ["key", key],
          ["found", false],
          ["value", null],
        ]),
      },
    });
    kvPut.invoke(args({ key, value: "v" }), ctx);
    expect(kvGet.invoke(args({ key }), ctx)).toMatchObject({
      ok: true,
      value: {
        fields: new Map<string, unknown>([
          ["key", key],
          ["found", true],
          ["value", "v"],
        ]),
      },
    });
  });
});
