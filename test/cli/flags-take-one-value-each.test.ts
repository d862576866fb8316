import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// No flag is variadic: a flag given before the file takes one value and leaves the
// file alone (`vesper run --input a=1 FILE`); a flag is repeated for more values;
// arguments left over are one clear usage error (exit 2) that shows how to repeat.

describe("flags take one value each", () => {
  it("a flag before the file leaves the file alone: --input, --sim, --break-on, --node", () => {
    const run = cli("vesper", ["run", "--input", "amount=50.00", "examples/payment.vsp", "--no-record", "--json"]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).output.charged).toBe("41.75");
    const sim = cli("vesper", [
      "run",
      "--sim",
      "sim.payments.charge:latency_ms=4000",
      "examples/payment.vsp",
      "--runtime",
      "reference",
      "--no-record",
    ]);
    // Every charge attempt times out: the node's runtime failure, not a usage error.
    expect(sim.status).toBe(3);
    const debug = cli("vesper", [
      "debug",
      "--break-on",
      "step:charge_card",
      "--input",
      "amount=50.00",
      "examples/payment.vsp",
      "--no-record",
      "--json",
    ]);
    expect(debug.status).toBe(0);
    expect(debug.stdout).toContain('"event":"stop"');
  });

  it("a flag is repeated for several values", () => {
    const r = cli("vesper", [
      "run",
      "examples/payment.vsp",
      "--input",
      "amount=50.00",
      "--input",
      "currency=EUR",
      "--no-record",
      "--json",
    ]);
    expect(r.status).toBe(0);
  });

  it("two values after one flag are refused, naming the leftover and how to repeat the flag", () => {
    const r = cli("vesper", ["run", "examples/payment.vsp", "--input", "amount=50.00", "currency=EUR"]);
    expect([r.status, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe(
      "vesper: error: vesper run takes one argument (<file>), but got 2: 'examples/payment.vsp', 'currency=EUR'; --input takes one value each time: write --input amount=50.00 --input currency=EUR, not --input amount=50.00 currency=EUR\n",
    );
    const before = cli("vesper", ["run", "--input", "amount=50.00", "currency=EUR", "examples/payment.vsp"]);
    expect(before.status).toBe(2);
    expect(before.stderr).toContain(
      "--input takes one value each time: write --input amount=50.00 --input currency=EUR",
    );
    const metrics = cli("vesper", ["metrics", "--node", "a@1.0.0", "b@1.0.0"]);
    expect(metrics.stderr).toBe(
      "vesper: error: vesper metrics takes no arguments, but got 1: 'b@1.0.0'; --node takes one value each time: write --node a@1.0.0 --node b@1.0.0, not --node a@1.0.0 b@1.0.0\n",
    );
  });

  it("a leftover argument without a repeatable flag is the same clear error", () => {
    const r = cli("vesper", ["traces", "show", "tr_1", "tr_2"]);
    expect([r.status, r.stderr]).toEqual([
      2,
      "vesper: error: vesper traces show takes one argument (<trace_id>), but got 2: 'tr_1', 'tr_2'\n",
    ]);
  });

  it("--help says each repeatable flag is given once per value", () => {
    for (const verb of ["run", "debug", "bench"]) {
      const help = cli("vesper", [verb, "--help"]).stdout.replace(/\s+/g, " ");
      expect(help).toContain("repeat the flag for more (--input amount=99.99 --input currency=EUR)");
      expect(help).toContain("--no-sample start from no sample");
    }
    const debug = cli("vesper", ["debug", "--help"]).stdout.replace(/\s+/g, " ");
    expect(debug).toContain("--break-on step:charge_card --break-on 'state_transition:pending->processing'");
  });
});
