import { describe, expect, it } from "vitest";
import { DualPathExecutor } from "../../../src/exec/executor.js";
import { inputBucket, MODES } from "../../../src/exec/modes.js";
import { Decimal } from "../../../src/values/decimal.js";
import { DirectRuntime } from "../../../src/runtime/direct/direct-runtime.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import type { RunResult } from "../../../src/runtime/protocol.js";
import type { Runtime } from "../../../src/runtime/runtime.js";
import { context, example, reference } from "../../helpers/runtimes.js";

// Routing between the runtimes by execution mode.

const payment = example("payment");
const withAmount = (cents: number) => {
  const inputs = sampleInputs(payment);
  inputs.set("amount", new Decimal(cents).div(100));
  return inputs;
};

describe("execution modes route as documented", () => {
  it("canary_direct sends the configured share of 10,000 input hashes to the direct runtime, ±1 point", () => {
    for (const percent of [1, 5, 20, 50]) {
      const executor = new DualPathExecutor({ reference, direct: new DirectRuntime(), canaryPercent: percent });
      let direct = 0;
      for (let i = 1; i <= 10_000; i++) {
        if (executor.route("canary_direct", inputBucket(payment.node.nodeId.value, withAmount(i))).answer === "direct")
          direct++;
      }
      expect(Math.abs((direct / 10_000) * 100 - percent)).toBeLessThanOrEqual(1);
    }
  });

  it("the same inputs always land in the same bucket; different nodes spread differently", () => {
    const a = inputBucket("payments.process_payment@1.0.0", withAmount(1234));
    expect(inputBucket("payments.process_payment@1.0.0", withAmount(1234))).toBe(a);
    expect(inputBucket("payments.process_payment@2.0.0", withAmount(1234))).not.toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(100);
  });

  it("each mode answers with the documented runtime and compares when it should", async () => {
    const executor = new DualPathExecutor({
      reference,
      direct: new DirectRuntime(),
      canaryPercent: 100,
      samplePercent: 100,
    });
    const expected = {
      reference_only: ["reference", false],
      shadow_direct: ["reference", true],
      canary_direct: ["direct", false],
      dual_verify: ["reference", true],
      direct_only: ["direct", true],
    } as const;
    for (const mode of MODES) {
      const report = await executor.execute(payment, sampleInputs(payment), mode, context(payment));
      expect([mode, report.runtime, report.compared]).toEqual([mode, ...expected[mode]]);
      expect(report.result.status).toBe("success");
      expect(report.divergence).toBeUndefined();
    }
    const none = new DualPathExecutor({ reference, direct: new DirectRuntime(), canaryPercent: 0, samplePercent: 0 });
    expect((await none.execute(payment, sampleInputs(payment), "canary_direct", context(payment))).runtime).toBe(
      "reference",
    );
    expect((await none.execute(payment, sampleInputs(payment), "direct_only", context(payment))).compared).toBe(false);
  });

  it("the second runtime is served the first one's tool results: a shadow run never charges twice", async () => {
    const executor = new DualPathExecutor({ reference, direct: new DirectRuntime() });
    const ctx = context(payment);
    const report = await executor.execute(payment, sampleInputs(payment), "dual_verify", ctx);
    expect(ctx.tape.calls).toHaveLength(1);
    expect(report.secondary!.output!.fields.get("payment_id")).toBe(report.result.output!.fields.get("payment_id"));
  });

  it("canary_direct falls back to the reference when the direct runtime fails", async () => {
    const broken: Runtime = {
      name: "direct",
      start: () => {
        throw new Error("not used");
      },
      run: async (): Promise<RunResult> => ({
        status: "runtime_error",
        steps: 1,
        failure: { code: "R105", message: "engine fell over", location: { file: "x", line: 1, col: 1 } },
      }),
    };
    const executor = new DualPathExecutor({ reference, direct: broken, canaryPercent: 100 });
    const report = await executor.execute(payment, sampleInputs(payment), "canary_direct", context(payment));
    expect(report.runtime).toBe("reference");
    expect(report.result.status).toBe("success");
    expect(report.fellBack!.failure!.code).toBe("R105");
  });

  it("a divergence is reported with the path, the expected and the actual value", async () => {
    const lying: Runtime = {
      name: "direct",
      start: () => {
        throw new Error("not used");
      },
      run: async (p, inputs, ctx) => {
        const r = await reference.run(p, inputs, ctx);
        r.output!.fields.set("fee", new Decimal("3.21"));
        return r;
      },
    };
    const executor = new DualPathExecutor({ reference, direct: lying });
    const report = await executor.execute(payment, sampleInputs(payment), "dual_verify", context(payment));
    expect(report.runtime).toBe("reference");
    expect(report.divergence!.diffs).toEqual([
      { path: "output.fee", expected: "3.20", actual: "3.21", reason: "values differ (compared exactly)" },
    ]);
  });
});
