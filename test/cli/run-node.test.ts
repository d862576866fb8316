import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// `vesper run` end to end through bin/: outputs, JSON, exit statuses, bad inputs.

const dir = mkdtempSync(join(tmpdir(), "vesper-run-"));

describe("vesper run", () => {
  it("runs the payment example on both runtimes and prints the output (exit 0)", () => {
    const r = cli("vesper", ["run", "examples/payment.vsp"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      "payments.process_payment@1.0.0: success (reference runtime answered, mode dual_verify, both runtimes agree)",
    );
    expect(r.stdout).toContain("  charged: 93.19\n");
    expect(r.stdout).toMatch(/7 steps, final state paid/);
  });

  it("--json prints status, output, runtime, mode, duration, steps and divergence", () => {
    const r = cli("vesper", ["run", "examples/order_total.vsp", "--runtime", "direct", "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ status: "success", runtime: "direct", mode: "direct_only", steps: 7, divergence: null });
    expect(j.output.total).toBe("38.06");
    expect(typeof j.duration_us).toBe("number");
  });

  it("reads --input by the declared type: an exact decimal and a record", () => {
    const r = cli("vesper", [
      "run",
      "examples/payment.vsp",
      "--json",
      "--input",
      "amount=0.10",
      "--input",
      "idempotency_key=key-00000001",
      "--input",
      "customer={id: c1, balance: 0, tier: standard}",
    ]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.output).toMatchObject({ charged: "0.40", fee: "0.30", credit_used: "0.00" });
  });

  it("reads a record input from a file with @", () => {
    const file = join(dir, "customer.json");
    writeFileSync(file, JSON.stringify({ id: "c9", balance: 5.25, tier: "gold" }));
    const r = cli("vesper", [
      "run",
      "examples/payment.vsp",
      "--json",
      "--sample",
      "default",
      "--input",
      `customer=@${file}`,
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).output.credit_used).toBe("5.25");
  });

  it("a declared error output is still exit 0", () => {
    const r = cli("vesper", ["run", "examples/refund.vsp", "--sample", "exceeds_charge"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('code: "EXCEEDS_CHARGE"');
  });

  it("a contract violation is exit 3 with file:line:col and the contract", () => {
    const r = cli("vesper", ["run", "examples/payment.vsp", "--sample", "default", "--input", "amount=0"]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^examples\/payment\.vsp:\d+:\d+: C004: input constraint failed: amount > 0\n$/);
  });

  it("a wrong, unknown or missing input is a usage error naming the input (exit 2)", () => {
    const bad = cli("vesper", ["run", "examples/payment.vsp", "--input", "amount=lots"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("input 'amount' (decimal): expected a decimal number, got 'lots'");
    const unknown = cli("vesper", ["run", "examples/payment.vsp", "--input", "amout=1"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("'amout' is not an input of payments.process_payment@1.0.0");
    const missing = cli("vesper", ["run", "examples/payment.vsp", "--no-sample", "--input", "amount=5"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("missing required input 'idempotency_key' (string)");
    const enumValue = cli("vesper", ["run", "examples/payment.vsp", "--sample", "default", "--input", "currency=JPY"]);
    expect(enumValue.status).toBe(2);
    expect(enumValue.stderr).toContain("'JPY' is not one of USD, EUR, GBP");
  });

  it("a bad --sample, --inputs or @file is a usage error that says what is wrong (exit 2)", () => {
    const sample = cli("vesper", ["run", "examples/payment.vsp", "--sample", "nope"]);
    expect([sample.status, sample.stderr]).toEqual([
      2,
      "vesper: error: no sample named 'nope' (samples: default, large_order)\n",
    ]);
    const yaml = cli("vesper", ["run", "examples/payment.vsp", "--inputs", "{amount: [1"]);
    expect(yaml.status).toBe(2);
    expect(yaml.stderr).toMatch(/^vesper: error: input '--inputs': --inputs:1:\d+: /);
    const notMapping = cli("vesper", ["run", "examples/payment.vsp", "--inputs", "[1, 2]"]);
    expect(notMapping.stderr).toContain("--inputs must be a mapping of input names to values");
    const unknown = cli("vesper", ["run", "examples/payment.vsp", "--inputs", "{amout: 1}"]);
    expect(unknown.stderr).toContain("'amout' in --inputs is not an input of payments.process_payment@1.0.0");
    const missing = cli("vesper", [
      "run",
      "examples/payment.vsp",
      "--sample",
      "default",
      "--input",
      "customer=@/no/such.json",
    ]);
    expect([missing.status, missing.stderr]).toEqual([
      2,
      "vesper: error: --input customer: cannot read /no/such.json: no such file\n",
    ]);
    expect(cli("vesper", ["run", "examples/payment.vsp", "--inputs", "@/no/such.json"]).stderr).toBe(
      "vesper: error: --inputs: cannot read /no/such.json: no such file\n",
    );
    expect(cli("vesper", ["run", "examples/payment.vsp", "--sample-percent", "x"]).stderr).toContain(
      "--sample-percent must be a percentage between 0 and 100, not 'x'",
    );
  });

  it("bad flags exit 2 and name the flag", () => {
    expect(cli("vesper", ["run", "examples/payment.vsp", "--mode", "fastest"]).stderr).toContain(
      "--mode must be one of reference_only, shadow_direct",
    );
    expect(cli("vesper", ["run", "examples/payment.vsp", "--runtime", "gpu"]).status).toBe(2);
    expect(
      cli("vesper", ["run", "examples/payment.vsp", "--runtime", "direct", "--mode", "dual_verify"]).stderr,
    ).toContain("--runtime and --mode cannot be combined");
    expect(cli("vesper", ["run", "examples/payment.vsp", "--seed", "-1"]).stderr).toBe(
      "vesper: error: --seed must be a whole number of at least 0, not '-1'\n",
    );
    expect(cli("vesper", ["run", "examples/payment.vsp", "--canary", "150"]).status).toBe(2);
  });

  it("an invalid node is exit 2 with its diagnostics; nothing runs", () => {
    const r = cli("vesper", ["run", "examples/invalid/undeclared-state.vsp"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/undeclared-state\.vsp:\d+:\d+: error V305/);
    expect(r.stderr).toContain("the node is invalid; nothing ran");
    expect(cli("vesper", ["run", "no/such.vsp"]).status).toBe(2);
  });

  it("the same seed gives the same run; the mode can be chosen", () => {
    const a = JSON.parse(
      cli("vesper", ["run", "examples/payment.vsp", "--json", "--seed", "42", "--mode", "shadow_direct"]).stdout,
    );
    const b = JSON.parse(
      cli("vesper", ["run", "examples/payment.vsp", "--json", "--seed", "42", "--mode", "shadow_direct"]).stdout,
    );
    expect(a.output).toEqual(b.output);
    expect(a).toMatchObject({ mode: "shadow_direct", runtime: "reference", compared: true, divergence: null });
  });

  it("vesper bench measures both runtimes and prints their ratio", () => {
    const r = cli("vesper", ["bench", "examples/order_total.vsp", "--ms", "50", "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.node).toBe("shop.order_total@1.0.0");
    expect(j.reference.runs).toBeGreaterThan(0);
    expect(j.direct.runs).toBeGreaterThan(0);
    expect(j.ratio).toBeCloseTo(j.direct.runsPerSecond / j.reference.runsPerSecond);
    expect(j.directTier).toBe("generated");
    const soon = cli("vesper", ["bench", "examples/order_total.vsp", "--ms", "soon"]);
    expect([soon.status, soon.stderr]).toEqual([
      2,
      "vesper: error: --ms must be a whole number of at least 10, not 'soon'\n",
    ]);
  });
});
