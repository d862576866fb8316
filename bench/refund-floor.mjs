// The floor for examples/refund.vsp: the same node written by hand in scaled
// integers (JS-number cents, exact below 2^53), making the same simulated gateway
// call through the same ExecutionContext with the same arguments, and returning the
// same output values (decimals at their declared scale of 2). Decimals become cents
// and cents decimals through the direct runtime's own conversions (toS / fromS in
// src/runtime/direct/scaled.ts), so the floor pays no more than a runtime must for
// them. It does every check the node makes: the input constraints (the Charge
// record's, then each input's, in the reference's order), the preconditions, the
// state machine's transitions, the invariants after each step that can break them,
// the call result's `returns` and the postconditions. No runtime can do less work
// for the same answer, so bench/runtimes.mjs reports the direct runtime's cost on
// refund as a multiple of this one. test/unit/runtime/refund-floor-agrees.test.ts
// checks over random inputs that it gives the reference's answers, so the floor
// cannot quietly skip work.
// Its domain: amounts of at most two places (scale-2 inputs always are; a Charge's
// amount and refunded, which declare no scale, must be written so); anything else
// throws rather than answer wrongly.
import { Sc, fromS, toS } from "../dist/src/runtime/direct/scaled.js";
import { VRecord } from "../dist/src/values/values.js";

/** Cents of a decimal of at most two places, as a JS number. */
function cents(d) {
  const s = toS(d);
  if (s.w !== null || typeof s.m !== "number" || s.k > 2) throw new Error(`the refund floor takes cents, not ${d}`);
  return s.k === 2 ? s.m : s.k === 1 ? s.m * 10 : s.m * 100;
}

/** A decimal of `c` cents that prints at two places (an output field declared `scale: 2`). */
const money = (c) => fromS(new Sc(c, 2, null), 2);

const violation = (code, kind, name) => ({ status: "contract_violation", failure: { code, kind, name } });
const error = (code, message, state, steps) => ({ status: "error", output: { code, message }, state, steps });

/**
 * Runs refund on `inputs` with `ctx`: { status, output, state, steps } as the runtimes
 * give them, or, for a contract violation, { status, failure: { code, kind, name } }.
 */
export async function refundFloor(inputs, ctx) {
  const charge = inputs.get("charge").fields;
  const chargeAmount = cents(charge.get("amount"));
  const chargeRefunded = cents(charge.get("refunded"));
  // Input constraints: the Charge record's own, then amount, balance and the key.
  if (!(chargeAmount > 0)) return violation("C004", "input constraint", "Charge: amount > 0");
  if (!(chargeRefunded >= 0)) return violation("C004", "input constraint", "Charge: refunded >= 0");
  if (!(chargeRefunded <= chargeAmount)) return violation("C004", "input constraint", "Charge: refunded <= amount");
  const amountIn = inputs.get("amount");
  const amount = cents(amountIn);
  if (!(amount > 0)) return violation("C004", "input constraint", "amount > 0");
  const balance = cents(inputs.get("balance"));
  if (!(balance >= 0)) return violation("C004", "input constraint", "balance >= 0");
  const key = inputs.get("idempotency_key");
  // LEN counts code points.
  let length = 0;
  for (const _ of key) length++;
  if (!(length >= 8)) return violation("C004", "input constraint", "LEN(idempotency_key) >= 8");
  // Preconditions (old() values are the inputs themselves: nothing below changes them).
  if (!(chargeRefunded <= chargeAmount)) return violation("C001", "precondition", "charge.refunded <= charge.amount");
  if (!(balance >= 0)) return violation("C001", "precondition", "balance_not_negative");
  // check_amount, compute_totals.
  if (!(amount > 0)) return error("INVALID_AMOUNT", "the refund amount must be positive", "requested", 1);
  const remainingBefore = chargeAmount - chargeRefunded;
  const newTotal = chargeRefunded + amount;
  const balanceAfter = balance - amount;
  // check_refundable, check_balance: requested -> rejected.
  if (amount > remainingBefore)
    return error("EXCEEDS_CHARGE", "the refund is larger than what remains of the charge", "rejected", 5);
  if (balanceAfter < 0)
    return error("INSUFFICIENT_BALANCE", "the merchant balance cannot cover this refund", "rejected", 6);
  // approve: requested -> approved; refund_card (its guard, state == 'approved', holds).
  let effect = ctx.call({
    step: "refund_card",
    tool: "sim.payments.refund",
    args: refundArgs(charge, amountIn, inputs),
    timeoutMs: 4000,
    retry: { maxAttempts: 3, backoffMs: 250 },
  });
  if (effect instanceof Promise) effect = await effect;
  if (!effect.ok) return error("GATEWAY_UNAVAILABLE", "the payment gateway did not confirm the refund", "approved", 6);
  // The step's `returns`: id a string, status one of the enum's.
  const result = effect.result.fields;
  const id = result.get("id");
  const status = result.get("status");
  if (typeof id !== "string" || (status !== "succeeded" && status !== "declined"))
    return { status: "runtime_error", failure: { code: "R206" } };
  // settle: approved -> refunded or rejected.
  if (status !== "succeeded") return error("REFUND_DECLINED", "the gateway declined the refund", "rejected", 9);
  // The invariants once the state is refunded (before it, each holds by its first disjunct).
  if (!(newTotal <= chargeAmount)) return violation("C003", "invariant", "refunded_total_within_charge");
  if (!(balanceAfter >= 0)) return violation("C003", "invariant", "balance_never_negative");
  // done, then the postconditions on the output.
  const remaining = chargeAmount - newTotal;
  if (!(newTotal <= chargeAmount)) return violation("C002", "postcondition", "never_refund_more_than_charged");
  if (!(newTotal === chargeRefunded + amount)) return violation("C002", "postcondition", "refund_adds_up");
  if (!(balanceAfter === balance - amount && balanceAfter >= 0))
    return violation("C002", "postcondition", "balance_pays_for_refund");
  return {
    status: "success",
    output: {
      refund_id: id,
      refunded: money(amount),
      refunded_total: money(newTotal),
      remaining: money(remaining),
      balance_after: money(balanceAfter),
    },
    state: "refunded",
    steps: 9,
  };
}

/** The call's arguments in the step's order, as the runtimes pass them (a record named "args"). */
function refundArgs(charge, amount, inputs) {
  return new VRecord(
    "args",
    new Map([
      ["charge_id", charge.get("id")],
      ["amount", amount],
      ["currency", charge.get("currency")],
      ["reason", inputs.get("reason")],
      ["idempotency_key", inputs.get("idempotency_key")],
    ]),
  );
}
