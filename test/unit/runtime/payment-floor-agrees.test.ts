import { describe, expect, it } from "vitest";

// The payment floor (bench/payment-floor.mjs, the hand-written BigInt-cents payment
// that bench/runtimes.mjs measures the direct runtime against) gives the direct
// runtime's answers: the same status and output values with the same simulated
// call, over amounts and balances on both sides of the fee's rounding. A floor that
// skipped work would make the benchmark's ratio a lie. It runs on the built dist/,
// as the benchmark does.

const dist = "../../../dist/src";
const { paymentFloor } = await import("../../../bench/payment-floor.mjs");
const { prepareFile, sampleInputs } = await import(`${dist}/runtime/prepared.js`);
const { DirectRuntime } = await import(`${dist}/runtime/direct/direct-runtime.js`);
const { ExecutionContext } = await import(`${dist}/runtime/context.js`);
const { defaultTools } = await import(`${dist}/tools/index.js`);
const { Decimal } = await import(`${dist}/values/decimal.js`);
const { VRecord } = await import(`${dist}/values/values.js`);

describe("the payment floor", () => {
  it("gives the direct runtime's status and output for the same inputs and the same call", async () => {
    const p = prepareFile("examples/payment.vsp");
    const direct = new DirectRuntime({ hotThreshold: 0 });
    const base = sampleInputs(p);
    const customer = base.get("customer");
    let compared = 0;
    for (const amount of ["99.99", "0.01", "10.00", "9999.99", "1234.56", "17.05"]) {
      for (const balance of ["0", "10.00", "5000.00"]) {
        for (const seed of [0, 1, 2]) {
          const inputs = new Map(base);
          inputs.set("amount", new Decimal(amount));
          inputs.set(
            "customer",
            new VRecord(customer.typeName, new Map([...customer.fields, ["balance", new Decimal(balance)]])),
          );
          const ctx = () => new ExecutionContext({ seed, clockStartMs: 0, grants: p.grants, tools: defaultTools() });
          const want = await direct.run(p, inputs, ctx());
          const got = (await paymentFloor(inputs, ctx())) as { status: string; output: Record<string, unknown> };
          expect(got.status).toBe(want.status);
          const output = Object.fromEntries([...want.output.fields].map(([k, v]) => [k, String(v)]));
          if (want.status === "success")
            expect(Object.fromEntries(Object.entries(got.output).map(([k, v]) => [k, String(v)]))).toEqual(output);
          else expect(got.output.code).toBe(output.code);
          compared++;
        }
      }
    }
    expect(compared).toBe(54);
  });
});
