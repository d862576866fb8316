import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectFloorAgrees, money, prepareFile, VRecord } from "../../helpers/floor-agreement.js";

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

const { paymentFloor } = await import("../../../bench/payment-floor.mjs");

const cents = fc.oneof(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 1, max: 2_000_000 }));
/** Amounts on an edge: the bounds of `amount > 0 AND amount <= 10000`, and fees of exactly half a cent (29a ≡ 470 mod 1000). */
const edgeAmount = fc.oneof(
  fc.integer({ min: -1, max: 1 }),
  fc.integer({ min: 999_999, max: 1_000_001 }),
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: -1, max: 1 })).map(([k, d]) => 430 + 1000 * k + d),
);

/** A payment that succeeds, and one change of it for each other ending (amounts in cents). */
const ENDING_BASE = {
  amount: 5_000,
  balance: 100_000,
  key: "key-00001",
  currency: "USD",
  tier: "standard",
  seed: 1,
  failureRate: 0,
  declineRate: 0,
};
const EVERY_ENDING = [
  {}, // success
  { balance: -1 }, // the Customer record's constraint
  { key: "short" }, // LEN(idempotency_key) >= 8
  { amount: 1_000_001 }, // amount <= 10000
  { amount: 0 }, // amount > 0
  { declineRate: 0.5 }, // CARD_DECLINED (the gateway declines at seed 1)
  { failureRate: 1 }, // GATEWAY_TIMEOUT
];

describe("the payment floor", () => {
  it("gives the reference's answers and makes the reference's call, over random inputs and gateways", async () => {
    const p = prepareFile("examples/payment.vsp");
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
          const want = await expectFloorAgrees(p, paymentFloor, inputs, c.seed, behaviour);
          const ending = want.output?.fields.get("code") ?? want.failure?.contract?.name ?? want.failure?.code ?? "";
          paths.add(`${want.status}:${ending}`);
        },
      ),
      // Random inputs reach every ending in most runs of 500, not necessarily all; these reach one ending
      // each, every time, so the coverage check below cannot flake.
      { numRuns: 500, examples: EVERY_ENDING.map((e) => [{ ...ENDING_BASE, ...e }]) },
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
