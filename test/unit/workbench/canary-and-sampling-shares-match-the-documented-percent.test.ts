import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../../src/runtime/direct/direct-runtime.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import { TraceStore } from "../../../src/store/store.js";
import { Decimal } from "../../../src/values/decimal.js";
import { runNode } from "../../../src/workbench/run-node.js";
import { cli } from "../../helpers/cli.js";
import { parseExposition, valueOf } from "../../helpers/prometheus-text.js";
import { example, reference } from "../../helpers/runtimes.js";

// The traffic split end to end: many recorded executions of distinct inputs with one
// fixed seed, in canary_direct (--canary P) and direct_only (--sample-percent P). The
// share the direct runtime answered (canary) or the reference verified (sampling)
// must be P% within a binomial bound (z = 3.29, the bound the project uses for its
// confidence), the same inputs must take the same path under another seed, and
// `vesper metrics` must report the same answers and split the runs made.

const payment = example("payment");
const NODE = payment.node.nodeId.value;
const N = 800;
const withAmount = (cents: number) => {
  const inputs = sampleInputs(payment);
  inputs.set("amount", new Decimal(cents).div(100));
  return inputs;
};
const withinBinomial = (k: number, n: number, percent: number) => {
  const p = percent / 100;
  return Math.abs(k - n * p) <= 3.29 * Math.sqrt(n * p * (1 - p)) + 1;
};

describe("the documented traffic split over many recorded runs", () => {
  it("canary_direct --canary 20 and the default 5: the direct runtime answers that share, and metrics say so", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "vesper-split-")), "vesper.db");
    const store = TraceStore.open(file);
    const runtimes = { reference, direct: new DirectRuntime() };
    const answeredBy = new Map<number, string>();
    let direct = 0;
    try {
      for (let i = 1; i <= N; i++) {
        const { report } = await runNode(payment, {
          inputs: withAmount(1000 + i),
          mode: "canary_direct",
          canaryPercent: 20,
          seed: 7,
          store,
          runtimes,
        });
        answeredBy.set(i, report.runtime);
        if (report.runtime === "direct") direct++;
      }
      // The same inputs take the same path with another seed.
      for (let i = 1; i <= 40; i++) {
        const { report } = await runNode(payment, {
          inputs: withAmount(1000 + i),
          mode: "canary_direct",
          canaryPercent: 20,
          seed: 99,
          runtimes,
        });
        expect(report.runtime).toBe(answeredBy.get(i));
      }
      let byDefault = 0;
      for (let i = 1; i <= N; i++) {
        const { report } = await runNode(payment, {
          inputs: withAmount(5000 + i),
          mode: "canary_direct",
          seed: 7,
          runtimes,
        });
        if (report.runtime === "direct") byDefault++;
      }
      expect(withinBinomial(byDefault, N, 5)).toBe(true);
    } finally {
      store.close();
    }
    expect(withinBinomial(direct, N, 20)).toBe(true);
    const m = parseExposition(cli("vesper", ["metrics", "--store", file]).stdout);
    expect(valueOf(m, "vesper_answers_total", { node: NODE, runtime: "direct" })).toBe(direct);
    expect(valueOf(m, "vesper_answers_total", { node: NODE, runtime: "reference" })).toBe(N - direct);
    expect(valueOf(m, "vesper_traffic_split_ratio", { node: NODE, runtime: "direct" })).toBeCloseTo(direct / N, 12);
    expect(valueOf(m, "vesper_execution_duration_seconds_count", { node: NODE, mode: "canary_direct" })).toBe(N);
  }, 120_000);

  it("direct_only --sample-percent 10: the reference verifies that share, each a comparison", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "vesper-split-")), "vesper.db");
    const store = TraceStore.open(file);
    const runtimes = { reference, direct: new DirectRuntime() };
    let sampled = 0;
    try {
      for (let i = 1; i <= N; i++) {
        const { report, traces } = await runNode(payment, {
          inputs: withAmount(2000 + i),
          mode: "direct_only",
          samplePercent: 10,
          seed: 7,
          store,
          runtimes,
        });
        expect(report.runtime).toBe("direct");
        expect(traces.length).toBe(report.compared ? 2 : 1);
        if (report.compared) sampled++;
      }
    } finally {
      store.close();
    }
    expect(withinBinomial(sampled, N, 10)).toBe(true);
    const m = parseExposition(cli("vesper", ["metrics", "--store", file]).stdout);
    expect(valueOf(m, "vesper_comparisons_total", { node: NODE, source: "direct_only" })).toBe(sampled);
    expect(valueOf(m, "vesper_executions_total", { node: NODE, runtime: "reference" })).toBe(sampled);
    expect(valueOf(m, "vesper_answers_total", { node: NODE, runtime: "direct" })).toBe(N);
  }, 120_000);
});
