import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// `vesper bench`: its figures are runs per second per runtime after warm-up (the
// direct runtime on generated code), the ratio is direct over reference, and each
// figure says how its runs ended, so a bench of inputs the node refuses at entry
// (C004, timed as fast as it is refused) cannot pass for the node's speed.
// Smallest settings only (--ms 10): these check what the figures are, not how fast.

describe("vesper bench figures", () => {
  it("are runs over seconds per runtime, the ratio is direct over reference, and the runs succeeded", () => {
    const r = cli("vesper", ["bench", "examples/payment.vsp", "--ms", "10", "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const f of [j.reference, j.direct]) {
      expect(f.runs).toBeGreaterThan(0);
      expect(f.runsPerSecond).toBeCloseTo(f.runs / f.seconds, 6);
      expect(f.seconds).toBeGreaterThanOrEqual(0.01);
      expect(f.status).toBe("success");
      expect(f.code).toBeUndefined();
    }
    expect(j.ratio).toBeCloseTo(j.direct.runsPerSecond / j.reference.runsPerSecond, 12);
    expect(j.directTier).toBe("generated");
  });

  it("say when every run was refused at entry, in text and JSON", () => {
    const args = ["bench", "examples/refund.vsp", "--ms", "10", "--input", "amount=-1"];
    const text = cli("vesper", args);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("  every reference run ended contract_violation C004: that is what was timed\n");
    expect(text.stdout).toContain("  every direct run ended contract_violation C004: that is what was timed\n");
    const j = JSON.parse(cli("vesper", [...args, "--json"]).stdout);
    expect(j.reference).toMatchObject({ status: "contract_violation", code: "C004" });
    expect(j.direct).toMatchObject({ status: "contract_violation", code: "C004" });
    expect(cli("vesper", ["bench", "examples/payment.vsp", "--ms", "10"]).stdout).not.toContain("every");
  });
});
