import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// --input and --inputs change values of the node's default sample and keep the
// rest (the README's `vesper run examples/payment.vsp --input amount=99.99`);
// --no-sample starts from no sample. run, debug and bench share the flags.

const run = (...args: string[]) => cli("vesper", ["run", "examples/payment.vsp", "--no-record", "--json", ...args]);

describe("input flags layer on the sample", () => {
  it("the README's command works: --input keeps the default sample's other values", () => {
    const r = cli("vesper", ["run", "examples/payment.vsp", "--input", "amount=99.99"]);
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/^payments\.process_payment@1\.0\.0: success/);
    const changed = run("--input", "amount=50.00");
    expect(changed.status).toBe(0);
    // The customer's credit (10) comes from the default sample; the amount from --input.
    expect(JSON.parse(changed.stdout).output).toMatchObject({ charged: "41.75", fee: "1.75", credit_used: "10.00" });
  });

  it("--inputs overrides the sample too, and --input overrides --inputs", () => {
    const mapping = run("--inputs", "{amount: 50.00}");
    expect(JSON.parse(mapping.stdout).output.charged).toBe("41.75");
    const both = run("--inputs", "{amount: 1000}", "--input", "amount=50.00");
    expect(JSON.parse(both.stdout).output.charged).toBe("41.75");
  });

  it("--input layers on a named --sample", () => {
    const r = run("--sample", "large_order", "--input", "amount=50.00");
    expect(r.status).toBe(0);
    // large_order's customer has no credit: the whole 50.00 is charged, with its fee.
    expect(JSON.parse(r.stdout).output).toMatchObject({ charged: "51.75", credit_used: "0.00" });
  });

  it("--no-sample starts from the declared defaults only, so a required input must be given", () => {
    const r = run("--no-sample", "--input", "amount=5");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("vesper: error: missing required input 'idempotency_key' (string)\n");
    const full = run(
      "--no-sample",
      "--input",
      "amount=50.00",
      "--input",
      "idempotency_key=key-00000001",
      "--input",
      "customer={id: c1, balance: 0, tier: standard}",
    );
    expect(full.status).toBe(0);
    expect(JSON.parse(full.stdout).output.credit_used).toBe("0.00");
  });

  it("vesper debug and vesper bench read the same flags the same way", () => {
    const debug = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--input",
      "amount=50.00",
      "--no-record",
      "--json",
      "--commands",
      "print amount; print customer.balance",
    ]);
    expect(debug.status).toBe(0);
    const printed = debug.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((e) => e.event === "print")
      .map((e) => e.reference.value);
    expect(printed).toEqual(["50.00", "10"]);
    const noSample = cli("vesper", ["debug", "examples/payment.vsp", "--no-sample", "--no-record"]);
    expect([noSample.status, noSample.stderr]).toEqual([
      2,
      "vesper: error: missing required input 'amount' (decimal)\n",
    ]);
    const bench = cli("vesper", ["bench", "examples/payment.vsp", "--input", "amount=50.00", "--ms", "10", "--json"]);
    expect(bench.status).toBe(0);
    expect(JSON.parse(bench.stdout).node).toBe("payments.process_payment@1.0.0");
    expect(cli("vesper", ["bench", "examples/payment.vsp", "--no-sample", "--ms", "10"]).status).toBe(2);
  });
});
