// The floor for examples/payment.vsp: the same node written by hand in scaled
// integers (JS-number cents, exact below 2^53), making the same simulated gateway
// call through the same ExecutionContext with the same arguments, and returning the
// same output values (decimals at their declared scale of 2). Decimals become cents
// and cents decimals through the direct runtime's own conversions (toS / fromS in
// src/runtime/direct/scaled.ts), and the call's arguments are a name-list record
// (recordOf), as the direct runtime passes them, so the floor pays no more than a
// runtime must for either. It does every check the node makes: the input constraints
// (each input's in declared order, then the Customer record's), the preconditions,
// the validate step, the state machine's transitions, the invariant once it can break,
// the call result's `returns` and the postconditions. No runtime can do less work for
// the same answer, so bench/runtimes.mjs reports the direct runtime's cost on payment
// as a multiple of this one. test/unit/runtime/payment-floor-agrees.test.ts checks
// over random inputs and gateway behaviours that it gives the reference's answers and
// makes the reference's call, so the floor cannot quietly skip work.
// Its domain: amounts of at most two places (a scale-2 amount is written so; the
// Customer's balance, which declares no scale, must be); anything else throws rather
// than answer wrongly.
import { Sc, fromS, toS } from "../dist/src/runtime/direct/scaled.js";
import { recordOf } from "../dist/src/values/values.js";

/** Cents of a decimal of at most two places, as a JS number. */
function cents(d) {
  const s = toS(d);
  if (s.w !== null || typeof s.m !== "number" || s.k > 2) throw new Error(`the payment floor takes cents, not ${d}`);
  return s.k === 2 ? s.m : s.k === 1 ? s.m * 10 : s.m * 100;
}

/** A decimal of `c` cents that prints at two places (an output field declared `scale: 2`). */
const money = (c) => fromS(new Sc(c, 2, null), 2);

/** LEN counts code points; a string of 16 or more UTF-16 units has at least 8 of them. */
function atLeast8CodePoints(s) {
  if (s.length >= 16) return true;
  let n = 0;
  for (const _ of s) n++;
  return n >= 8;
}

const ARGS = ["amount", "currency", "idempotency_key"];

const violation = (code, kind, name) => ({ status: "contract_violation", failure: { code, kind, name } });
const error = (code, message, state, steps) => ({ status: "error", output: { code, message }, state, steps });

/**
 * Runs payment on `inputs` with `ctx`: { status, output, state, steps } as the runtimes
 * give them, or, for a contract violation, { status, failure: { code, kind, name } }.
 */
export async function paymentFloor(inputs, ctx) {
  // Input constraints in the reference's order: amount's, the key's, then the Customer record's.
  const amount = cents(inputs.get("amount"));
  if (!(amount > 0)) return violation("C004", "input constraint", "amount > 0");
  if (!(amount <= 1_000_000)) return violation("C004", "input constraint", "amount <= 10000");
  const key = inputs.get("idempotency_key");
  if (!atLeast8CodePoints(key)) return violation("C004", "input constraint", "LEN(idempotency_key) >= 8");
  const balance = cents(inputs.get("customer").get("balance"));
  if (!(balance >= 0)) return violation("C004", "input constraint", "Customer: balance >= 0");
  // Preconditions (old(customer.balance) is the input itself: nothing below changes it).
  if (!(amount > 0)) return violation("C001", "precondition", "amount > 0");
  // (key_is_long_enough is the input constraint above, already passed.)
  // check_amount.
  if (!(amount > 0 && amount <= 1_000_000))
    return error("INVALID_AMOUNT", "amount must be between 0 and 10000", "pending", 1);
  // compute_fee: fee = ROUND(amount * 0.029 + 0.30, 2), half up; 29 * cents + 30000 is in units of 1e-5
  // and positive (amount > 0), so half up is a floor after adding half a cent.
  const fee = Math.floor((amount * 29 + 30_500) / 1000);
  const creditUsed = balance < amount ? balance : amount;
  const toCharge = amount + fee - creditUsed;
  // One decimal for the argument and the output (decimals are immutable).
  const charged = money(toCharge);
  // start_processing: pending -> processing; charge_card.
  let effect = ctx.call({
    step: "charge_card",
    tool: "sim.payments.charge",
    args: recordOf("args", ARGS, [charged, inputs.get("currency"), key]),
    timeoutMs: 3000,
    retry: { maxAttempts: 3, backoffMs: 200 },
  });
  if (effect instanceof Promise) effect = await effect;
  if (!effect.ok) return error("GATEWAY_TIMEOUT", "the payment gateway did not answer", "processing", 4);
  // The step's `returns`: id a string, status one of the enum's.
  const result = effect.result;
  const id = result.get("id");
  const status = result.get("status");
  if (typeof id !== "string" || (status !== "succeeded" && status !== "declined"))
    return { status: "runtime_error", failure: { code: "R206" } };
  // settle: processing -> paid or payment_failed.
  if (status !== "succeeded") return error("CARD_DECLINED", "the card was declined", "payment_failed", 7);
  // The invariant once the state is paid (before it, it holds by its first disjunct).
  if (!(status === "succeeded"))
    return violation("C003", "invariant", "state != 'paid' OR charge.status == 'succeeded'");
  // done, then the postconditions on the output.
  if (!(toCharge + creditUsed === amount + fee))
    return violation("C002", "postcondition", "output.charged + output.credit_used == amount + output.fee");
  if (!(balance - creditUsed <= balance)) return violation("C002", "postcondition", "credit_never_grows");
  return {
    status: "success",
    output: { payment_id: id, charged, fee: money(fee), credit_used: money(creditUsed) },
    state: "paid",
    steps: 7,
  };
}
