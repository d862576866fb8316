// The floor for examples/payment.vsp: the same node written by hand in scaled
// integers (BigInt cents), making the same simulated gateway call through the same
// ExecutionContext, and returning the same output values (Decimals). No runtime can
// do less work for the same answer, so bench/runtimes.mjs reports the direct
// runtime's cost on payment as a multiple of this one. The test
// test/unit/runtime/payment-floor-agrees.test.ts checks it gives the direct
// runtime's answers, so the floor cannot quietly skip work.
import { Decimal } from "../dist/src/values/decimal.js";
import { VRecord } from "../dist/src/values/values.js";

/** Cents of a decimal that has at most two places (amounts and balances are written so). */
const cents = (d) => BigInt(d.toFixed(2).replace(".", ""));

const money = (c) => {
  const neg = c < 0n;
  const a = (neg ? -c : c).toString().padStart(3, "0");
  return new Decimal(`${neg ? "-" : ""}${a.slice(0, -2)}.${a.slice(-2)}`);
};

/**
 * Runs payment on `inputs` with `ctx`; the same { status, output } the runtimes
 * give for the paths this benchmark takes (valid inputs, a succeeding or declined charge).
 */
export async function paymentFloor(inputs, ctx) {
  const amount = cents(inputs.get("amount"));
  const key = inputs.get("idempotency_key");
  const customer = inputs.get("customer").fields;
  const balance = cents(customer.get("balance"));
  // Input constraints, preconditions and the validate step, all in cents.
  if (!(amount > 0n && amount <= 1_000_000n) || key.length < 8 || balance < 0n) return { status: "error" };
  // fee = ROUND(amount * 0.029 + 0.30, 2), half up: amount * 29 + 30000 is in units of 1e-5.
  const fee = (amount * 29n + 30_000n + 500n) / 1000n;
  const creditUsed = balance < amount ? balance : amount;
  const toCharge = amount + fee - creditUsed;
  const args = new VRecord(
    "args",
    new Map([
      ["amount", money(toCharge)],
      ["currency", inputs.get("currency")],
      ["idempotency_key", key],
    ]),
  );
  let effect = ctx.call({
    step: "charge_card",
    tool: "sim.payments.charge",
    args,
    timeoutMs: 3000,
    retry: { maxAttempts: 3, backoffMs: 200 },
  });
  if (effect instanceof Promise) effect = await effect;
  if (!effect.ok) return { status: "error", output: { code: "GATEWAY_TIMEOUT" } };
  const result = effect.result.fields;
  if (result.get("status") !== "succeeded") return { status: "error", output: { code: "CARD_DECLINED" } };
  // The postconditions, in cents.
  if (toCharge + creditUsed !== amount + fee || balance - creditUsed > balance) throw new Error("postcondition");
  return {
    status: "success",
    output: { payment_id: result.get("id"), charged: money(toCharge), fee: money(fee), credit_used: money(creditUsed) },
  };
}
