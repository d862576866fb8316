import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectFloorAgrees, money, prepareFile, VRecord } from "../../helpers/floor-agreement.js";

// The refund floor (bench/refund-floor.mjs, the hand-written scaled-integer refund
// that bench/runtimes.mjs measures the direct runtime against) gives the reference's
// answers over random inputs: the same status, output (as printed, so at its
// declared scale), final state, step count and failed contract, and the same
// simulated call (tool, arguments, result, attempts, virtual time) on the context's
// tape. Amounts land on every side of each check (zero and negative amounts, refunds
// past the charge or the balance), and the gateway's failure and decline rates vary,
// so every path of the node is taken. A floor that skipped work would make the
// benchmark's ratio a lie. It runs on the built dist/, as the benchmark does.

const { refundFloor } = await import("../../../bench/refund-floor.mjs");

const cents = fc.oneof(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 1, max: 2_000_000_000 }));

/** A refund that succeeds, and one change of it for each other ending (amounts in cents). */
const ENDING_BASE = {
  chargeAmount: 10_000,
  chargeRefunded: 0,
  amount: 500,
  balance: 100_000,
  key: "key-00001",
  currency: "USD",
  reason: "duplicate",
  seed: 1,
  failureRate: 0,
  declineRate: 0,
};
const EVERY_ENDING = [
  {}, // success
  { chargeAmount: 1_000, amount: 2_000 }, // EXCEEDS_CHARGE
  { balance: 100 }, // INSUFFICIENT_BALANCE
  { failureRate: 1 }, // GATEWAY_UNAVAILABLE
  { declineRate: 0.5 }, // REFUND_DECLINED (the gateway declines at seed 1)
  { key: "short" }, // C004: an input constraint
];

describe("the refund floor", () => {
  it("gives the reference's answers and makes the reference's call, over random inputs and gateways", async () => {
    const p = prepareFile("examples/refund.vsp");
    const paths = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc
          .record({
            chargeAmount: cents,
            balance: cents,
            key: fc.string({ minLength: 4, maxLength: 16, unit: "grapheme" }),
            currency: fc.constantFrom("USD", "EUR", "GBP"),
            reason: fc.constantFrom("duplicate", "fraudulent", "requested_by_customer"),
            seed: fc.integer({ min: 0, max: 1000 }),
            failureRate: fc.constantFrom(0, 0.02, 0.5, 0.9, 1),
            declineRate: fc.constantFrom(0, 0.05, 0.5),
          })
          // Earlier refunds are mostly within the charge (so most runs get past the input constraints and
          // reach the call); the refund often lands on an edge: all that remains of the charge, or all
          // of the balance, give or take a cent.
          .chain((c) =>
            fc.oneof(cents, fc.integer({ min: 0, max: Math.max(0, c.chargeAmount) })).chain((chargeRefunded) => {
              const edges = [c.chargeAmount - chargeRefunded, c.balance];
              const edge = fc.tuple(fc.constantFrom(...edges), fc.integer({ min: -1, max: 1 })).map(([e, d]) => e + d);
              return fc.oneof(cents, edge).map((amount) => ({ ...c, chargeRefunded, amount }));
            }),
          ),
        async (c) => {
          const inputs = new Map<string, unknown>([
            [
              "charge",
              new VRecord(
                "Charge",
                new Map<string, unknown>([
                  ["id", "ch_1001"],
                  ["amount", money(c.chargeAmount)],
                  ["refunded", money(c.chargeRefunded)],
                  ["currency", c.currency],
                ]),
              ),
            ],
            ["amount", money(c.amount)],
            ["reason", c.reason],
            ["balance", money(c.balance)],
            ["idempotency_key", c.key],
          ]);
          const behaviour = { "sim.payments.refund": { failureRate: c.failureRate, declineRate: c.declineRate } };
          const want = await expectFloorAgrees(p, refundFloor, inputs, c.seed, behaviour);
          paths.add(`${want.status}:${want.output?.fields.get("code") ?? want.failure?.code ?? ""}`);
        },
      ),
      // Random inputs reach every ending in most runs of 400, not all (a rare ending was once missed);
      // these reach one ending each, every time, so the coverage check below cannot flake.
      { numRuns: 400, examples: EVERY_ENDING.map((e) => [{ ...ENDING_BASE, ...e }]) },
    );
    // Every way the node ends was compared, not just the common ones.
    expect([...paths].sort()).toEqual([
      "contract_violation:C004",
      "error:EXCEEDS_CHARGE",
      "error:GATEWAY_UNAVAILABLE",
      "error:INSUFFICIENT_BALANCE",
      "error:REFUND_DECLINED",
      "success:",
    ]);
  });
});
