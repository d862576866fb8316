import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// The trace store's flags, good and bad: each mistake names its flag and exits 2.

const store = join(mkdtempSync(join(tmpdir(), "vesper-flags-")), "store.db");
const vesper = (args: string[]) => cli("vesper", [...args, "--store", store]);
let id: string;

beforeAll(() => {
  const run = vesper(["run", "examples/payment.vsp", "--runtime", "reference", "--json"]);
  id = (JSON.parse(run.stdout) as { traces: { id: string }[] }).traces[0]!.id;
});

describe("traces show --at", () => {
  it("prints the recorded bindings and state after a step", () => {
    const r = vesper(["traces", "show", id, "--at", "3", "--json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      trace: id,
      step: 3,
      state: "processing",
      bindings: { fee: "3.2", credit_used: "10", to_charge: "93.19" },
    });
    expect(vesper(["traces", "show", id, "--at", "2"]).stdout).toContain("  to_charge = 93.19");
  });

  it.each([
    [["--at", "soon"], "--at must be a whole number of at least 0, not 'soon'"],
    [["--at", "99"], "--at 99: trace"],
  ])("%j is a usage error", (flags, message) => {
    const r = vesper(["traces", "show", id, ...flags]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe("bad flag values name the flag and exit 2", () => {
  it.each([
    [["traces", "list", "--limit", "0"], "--limit must be a whole number of at least 1, not '0'"],
    [
      ["traces", "list", "--status", "fine"],
      "--status must be one of running, success, error, contract_violation, runtime_error, incomplete, failed, not 'fine'",
    ],
    [["traces", "export", "tr_x", "--format", "xml"], "--format"],
    [["run", "examples/payment.vsp", "--sim", "sim.payments.charge"], "--sim must look like TOOL:KEY=VALUE"],
    [
      ["run", "examples/payment.vsp", "--sim", "sim.payments.charge:speed=3"],
      "--sim: unknown setting 'speed' (settings: latency_ms, median_ms, p99_ms, failure_rate, decline_rate)",
    ],
    [
      ["run", "examples/payment.vsp", "--sim", "*:failure_rate=2"],
      "--sim: failure_rate must be a probability between 0 and 1, not '2'",
    ],
    [
      ["run", "examples/payment.vsp", "--sim", "*:latency_ms=-5"],
      "--sim: latency_ms must be a non-negative number of milliseconds, not '-5'",
    ],
    [["replay", "tr_x", "--allow-irreversible"], "--allow-irreversible only makes sense with --live"],
  ])("%j", (args, message) => {
    const r = vesper(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("a bad --sim runs nothing and records nothing", () => {
    const before = vesper(["traces", "list", "--json"]).stdout;
    vesper(["run", "examples/payment.vsp", "--sim", "*:decline_rate=x"]);
    expect(vesper(["traces", "list", "--json"]).stdout).toBe(before);
  });
});
