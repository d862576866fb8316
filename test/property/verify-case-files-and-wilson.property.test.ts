import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyOf, VRecord } from "../../src/values/values.js";
import { inputsArbitrary } from "../../src/verify/arbitraries.js";
import { caseText } from "../../src/verify/regression-case.js";
import { wilsonLowerBound } from "../../src/verify/wilson.js";
import { nodeInputs } from "../../src/workbench/node-inputs.js";
import { example } from "../helpers/runtimes.js";

const EXAMPLES = ["payment", "order_total", "refund", "http_fetch", "sensor_anomaly", "mlp_inference"];

describe("regression case files", () => {
  it.each(EXAMPLES)("%s: any generated input set reads back through --inputs @case.yaml exactly", (name) => {
    const p = example(name);
    fc.assert(
      fc.property(inputsArbitrary(p), (inputs) => {
        const text = caseText(p, inputs, { file: `examples/${name}.vsp`, seed: 1, runs: 1, contextSeed: 2, diffs: [] });
        // As the case's reproduce lines read it (--no-sample --inputs @case.yaml): no sample under it.
        const read = nodeInputs(p, { mapping: text, sample: false });
        expect(keyOf(new VRecord("i", read))).toBe(keyOf(new VRecord("i", inputs)));
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe("Wilson lower bound", () => {
  const counts = fc
    .integer({ min: 100, max: 1_000_000 })
    .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

  it("lies in [0, k/n]", () => {
    fc.assert(
      fc.property(counts, ([k, n]) => {
        const b = wilsonLowerBound(k, n);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(k / n + 1e-15);
      }),
    );
  });

  it("grows with every agreement and falls with every divergence", () => {
    fc.assert(
      fc.property(counts, ([k, n]) => {
        expect(wilsonLowerBound(k + 1, n + 1)).toBeGreaterThan(wilsonLowerBound(k, n));
        if (k > 0) expect(wilsonLowerBound(k, n + 1)).toBeLessThan(wilsonLowerBound(k, n));
      }),
    );
  });
});
