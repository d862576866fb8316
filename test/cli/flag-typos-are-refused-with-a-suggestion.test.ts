import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// A mistyped or shortened name in a flag is a usage error (exit 2) with the name
// meant, never silently ignored: --sim tools, --set and --mode modes, --runtime;
// and an unquoted --break-on state_transition:a->b, which the shell cut at '>'.

const runPayment = (...args: string[]) => cli("vesper", ["run", "examples/payment.vsp", "--no-record", ...args]);

describe("flag typos are refused with a suggestion", () => {
  it("a mistyped --sim tool names the tool meant; * and every simulated tool are accepted", () => {
    const r = runPayment("--sim", "sim.payment.charge:latency_ms=4000");
    expect([r.status, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe(
      "vesper: error: --sim: 'sim.payment.charge' is not a simulated tool; did you mean 'sim.payments.charge'? (simulated tools: sim.kv.get, sim.kv.put, sim.payments.capture, sim.payments.charge, sim.payments.refund, or * for all)\n",
    );
    expect(runPayment("--sim", "http.request:latency_ms=10").stderr).toContain(
      "'http.request' is not a simulated tool",
    );
    expect(runPayment("--sim", "*:latency_ms=1").status).toBe(0);
    expect(runPayment("--sim", "sim.kv.get:failure_rate=0").status).toBe(0);
    const debug = cli("vesper", ["debug", "examples/payment.vsp", "--sim", "sim.payments.chrage:failure_rate=1"]);
    expect(debug.status).toBe(2);
    expect(debug.stderr).toContain("did you mean 'sim.payments.charge'?");
    expect(runPayment("--sim", "sim.payments.charge:latncy_ms=1").stderr).toContain(
      "unknown setting 'latncy_ms'; did you mean 'latency_ms'?",
    );
  });

  it("--set dual and --mode canary name the full mode", () => {
    const set = cli("vesper", ["mode", "payments.process_payment@1.0.0", "--set", "dual"]);
    expect([set.status, set.stderr]).toEqual([
      2,
      "vesper: error: --set must be one of reference_only, shadow_direct, canary_direct, dual_verify, direct_only, not 'dual'; did you mean 'dual_verify'?\n",
    ]);
    const mode = runPayment("--mode", "canary");
    expect(mode.status).toBe(2);
    expect(mode.stderr).toContain("not 'canary'; did you mean 'canary_direct'?");
    expect(runPayment("--runtime", "ref").stderr).toContain("did you mean 'reference'?");
  });

  it("an unquoted --break-on state_transition:a->b says the shell took the rest, and to quote it", () => {
    // What the shell passes for `--break-on state_transition:pending->charged` (and it writes a file 'charged').
    const r = cli("vesper", ["debug", "examples/payment.vsp", "--break-on", "state_transition:pending-"]);
    expect([r.status, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe(
      "vesper: error: --break-on 'state_transition:pending-': the rest was taken by the shell as a redirect (it may have written a file named after the target state); quote the breakpoint: --break-on 'state_transition:pending->TO'\n",
    );
    const help = cli("vesper", ["debug", "--help"]).stdout.replace(/\s+/g, " ");
    expect(help).toContain("'state_transition:FROM->TO' (quoted, or the shell reads > as a redirect)");
  });
});
