import fc from "fast-check";
import { describe, expect, it } from "vitest";

// The payment floor (bench/payment-floor.mjs, the hand-written scaled-integer payment
// that bench/runtimes.mjs measures the direct runtime against) gives the reference's
// answers over random inputs: the same status, output (as printed, so at its
// declared scale), final state, step count and failed contract, and the same
// simulated call (tool, arguments, result, attempts, virtual time) on the context's
// tape. Amounts land on every side of each check (zero, negative and too-large
// amounts, balances either side of the amount, amounts whose fee rounds at exactly
// half a cent), keys on both sides of eight code points, and the gateway's failure
// and decline rates vary, so every way the node ends is taken. A floor that skipped
// work would make the benchmark's ratio a lie. It runs on the built dist/, as the
// benchmark does.

const dist = "../../../dist/src";
const { paymentFloor } = await import("../../../bench/payment-floor.mjs");
const { prepareFile } = await import(`${dist}/runtime/prepared.js`);
const { ReferenceRuntime } = await import(`${dist}/runtime/reference/reference-runtime.js`);
const { ExecutionContext } = await import(`${dist}/runtime/context.js`);
const { defaultTools } = await import(`${dist}/tools/index.js`);
const { Decimal } = await import(`${dist}/values/decimal.js`);
const { VRecord, formatValue, keyOf } = await import(`${dist}/values/values.js`);

interface Answer {
  status: string;
  output?: Record<string, string>;
  state?: string;
  steps?: number;
  failure?: { code: string; kind?: string; name?: string };
}

/** Cents as a decimal (decimal.js keeps no trailing zeros, so 50, 50.0 and 50.00 are one value). */
const money = (c: number) => new Decimal(c).div(100);
const cents = fc.oneof(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 1, max: 2_000_000 }));
/** Amounts on an edge: the bounds of `amount > 0 AND amount <= 10000`, and fees of exactly half a cent (29a ≡ 470 mod 1000). */
const edgeAmount = fc.oneof(
  fc.integer({ min: -1, max: 1 }),
  fc.integer({ min: 999_999, max: 1_000_001 }),
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: -1, max: 1 })).map(([k, d]) => 430 + 1000 * k + d),
);

/** An output as printed (decimals at their declared scale, strings quoted). */
const printed = (fields: Iterable<[string, unknown]>): Record<string, string> =>
  Object.fromEntries([...fields].map(([k, v]) => [k, formatValue(v as never)]));

const calls = (ctx: { tape: { calls: { tool: string; effect: Record<string, unknown> }[] } }) =>
  ctx.tape.calls.map(({ tool, effect }) => ({
    tool,
    args: keyOf(effect.args as never),
    ok: effect.ok,
    result: effect.ok ? keyOf(effect.result as never) : effect.error,
    attempts: effect.attempts,
    elapsedMs: effect.elapsedMs,
  }));

describe("the payment floor", () => {
  it("gives the reference's answers and makes the reference's call, over random inputs and gateways", async () => {
    const p = prepareFile("examples/payment.vsp");
    const reference = new ReferenceRuntime();
    const paths = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc
          .record({
            amount: fc.oneof(cents, edgeAmount),
            key: fc.string({ minLength: 5, maxLength: 12, unit: "grapheme" }),
            currency: fc.constantFrom("USD", "EUR", "GBP"),
            tier: fc.constantFrom("standard", "gold"),
            seed: fc.integer({ min: 0, max: 1000 }),
            failureRate: fc.constantFrom(0, 0.02, 0.5, 0.9, 1),
            declineRate: fc.constantFrom(0, 0.05, 0.5),
          })
          // The balance often lands on the amount, give or take a cent (MIN's two sides), or on zero, give or
          // take a cent (its constraint's two sides).
          .chain((c) =>
            fc
              .oneof(
                cents,
                fc.integer({ min: -1, max: 1 }).map((d) => c.amount + d),
                fc.integer({ min: -1, max: 1 }),
              )
              .map((balance) => ({ ...c, balance })),
          ),
        async (c) => {
          const inputs = new Map<string, unknown>([
            ["amount", money(c.amount)],
            ["currency", c.currency],
            ["idempotency_key", c.key],
            [
              "customer",
              new VRecord(
                "Customer",
                new Map<string, unknown>([
                  ["id", "cus_42"],
                  ["balance", money(c.balance)],
                  ["tier", c.tier],
                ]),
              ),
            ],
          ]);
          const behaviour = { "sim.payments.charge": { failureRate: c.failureRate, declineRate: c.declineRate } };
          const ctx = () =>
            new ExecutionContext({ seed: c.seed, clockStartMs: 0, grants: p.grants, tools: defaultTools(), behaviour });
          const refCtx = ctx();
          const want = await reference.run(p, inputs, refCtx);
          const floorCtx = ctx();
          const got = (await paymentFloor(inputs, floorCtx)) as Answer;
          if (want.status === "contract_violation") {
            const { code, contract } = want.failure;
            expect(got).toEqual({ status: want.status, failure: { code, kind: contract.kind, name: contract.name } });
          } else {
            expect(got.status).toBe(want.status);
            expect(printed(Object.entries(got.output ?? {}))).toEqual(printed(want.output.fields));
            expect(got.state).toBe(want.state);
            expect(got.steps).toBe(want.steps);
          }
          expect(calls(floorCtx)).toEqual(calls(refCtx));
          const ending = want.output?.fields.get("code") ?? want.failure?.contract?.name ?? want.failure?.code ?? "";
          paths.add(`${want.status}:${ending}`);
        },
      ),
      { numRuns: 500 },
    );
    // Every way the node ends was compared, not just the common ones (INVALID_AMOUNT cannot happen: the input
    // constraints refuse every amount its check refuses, first).
    expect([...paths].sort()).toEqual([
      "contract_violation:Customer: balance >= 0",
      "contract_violation:LEN(idempotency_key) >= 8",
      "contract_violation:amount <= 10000",
      "contract_violation:amount > 0",
      "error:CARD_DECLINED",
      "error:GATEWAY_TIMEOUT",
      "success:",
    ]);
  });
});
