import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DualPathExecutor } from "../../../src/exec/executor.js";
import type { Mode } from "../../../src/runtime/mode-names.js";
import { ExecutionContext } from "../../../src/runtime/context.js";
import { DirectRuntime } from "../../../src/runtime/direct/direct-runtime.js";
import { breakRound, restoreRound, truncateRound } from "../../helpers/wrong-round.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import { ReferenceRuntime } from "../../../src/runtime/reference/reference-runtime.js";
import { TraceStore } from "../../../src/store/store.js";
import { automate, history, modeState, pin, reevaluate } from "../../../src/verify/controller.js";
import { addComparisons } from "../../../src/trace/evidence-tables.js";
import { evidenceOf } from "../../../src/verify/evidence-store.js";
import { controllerMode, observeExecution } from "../../../src/verify/observe.js";
import { example } from "../../helpers/runtimes.js";
import { defaultTools } from "../../../src/tools/index.js";

// The controller and what vesper run reports to it, against a real store file and
// real executions of examples/payment.vsp. The sample's fee is 99.99 * 0.029 + 0.30
// = 3.19971, so a truncating ROUND makes the direct runtime charge a cent less.
const p = example("payment");
const NODE = p.node.nodeId.value;
// Evidence belongs to a version of the node: the one this test runs.
const VERSION = { nodeId: NODE, contentHash: p.node.contentHash };
let store: TraceStore;

beforeEach(() => {
  store = TraceStore.open(join(mkdtempSync(join(tmpdir(), "vesper-controller-")), "vesper.db"));
});
afterEach(() => {
  store.close();
  restoreRound();
});

async function execute(mode: Mode) {
  const executor = new DualPathExecutor({
    reference: new ReferenceRuntime(),
    direct: new DirectRuntime(),
    canaryPercent: 100,
    samplePercent: 100,
  });
  const inputs = sampleInputs(p);
  const report = await executor.execute(
    p,
    inputs,
    mode,
    new ExecutionContext({ seed: 0, clockStartMs: 0, grants: p.grants, tools: defaultTools() }),
  );
  return { report, observation: observeExecution(store, p, report, {}, inputs) };
}

describe("observeExecution", () => {
  it("counts a comparison for every mode in which both runtimes ran, and none for reference_only", async () => {
    for (const mode of ["shadow_direct", "dual_verify", "direct_only", "reference_only"] as const) await execute(mode);
    const e = evidenceOf(store, NODE);
    expect(e.compared).toBe(3);
    expect(e.agreed).toBe(3);
    expect(e.bySource.map((s) => s.source)).toEqual(["direct_only", "dual_verify", "shadow_direct"]);
  });

  it("records a divergence with its inputs and both results", async () => {
    truncateRound();
    const { observation } = await execute("dual_verify");
    expect(observation.diverged).toBe(true);
    const row = store.db
      .prepare("SELECT source, inputs, expected, actual, diffs FROM divergences WHERE node_id = ?")
      .get(NODE) as Record<string, string>;
    expect(row.source).toBe("dual_verify");
    expect(JSON.parse(row.inputs).amount).toEqual({ $d: "99.99" });
    expect(JSON.parse(row.expected).status).toBe("success");
    expect(JSON.parse(row.actual).status).toBe("runtime_error");
    expect(JSON.parse(row.diffs)[0].path).toBe("status");
  });

  it("controllerMode is the controller's mode, undefined before one is set", async () => {
    expect(controllerMode(store, NODE)).toBeUndefined();
    pin(store, NODE, "canary_direct");
    expect(controllerMode(store, NODE)).toBe("canary_direct");
  });
});

describe("the controller", () => {
  it("promotes an auto node as confidence rises: shadow, canary at 206 clean comparisons, dual at 10,814, direct at 108,231 (n ≥ z²·c/(1−c))", () => {
    automate(store, NODE);
    expect(modeState(store, NODE)!.mode).toBe("shadow_direct");
    const steps: [number, Mode][] = [
      [205, "shadow_direct"],
      [1, "canary_direct"],
      [10_813 - 206, "canary_direct"],
      [1, "dual_verify"],
      [108_230 - 10_814, "dual_verify"],
      [1, "direct_only"],
    ];
    for (const [n, expected] of steps) {
      addComparisons(store, VERSION, "test", n, n);
      reevaluate(store, NODE);
      expect(modeState(store, NODE)!.mode).toBe(expected);
    }
    expect(history(store, NODE).map((h) => h.kind)).toEqual(["promote", "promote", "promote", "promote", "auto"]);
  });

  it("rolls an auto node back one level on a divergence in direct_only, says why, and makes it earn promotion again", async () => {
    automate(store, NODE);
    addComparisons(store, VERSION, "test", 200_000, 200_000);
    reevaluate(store, NODE);
    expect(modeState(store, NODE)!.mode).toBe("direct_only");
    truncateRound();
    const { observation } = await execute("direct_only");
    expect(observation.change?.kind).toBe("rollback");
    const state = modeState(store, NODE)!;
    expect(state.mode).toBe("dual_verify");
    expect(state.reason).toMatch(
      /^automatic rollback from direct_only: the runtimes diverged in direct_only on inputs [0-9a-f]{16} \(status: "runtime_error" vs "success"\)$/,
    );
    // Confidence over everything still supports direct_only, but promotion counts only what came after.
    restoreRound();
    addComparisons(store, VERSION, "test", 5_000, 5_000);
    expect(reevaluate(store, NODE)).toBeUndefined();
    expect(modeState(store, NODE)!.mode).toBe("dual_verify");
    addComparisons(store, VERSION, "test", 110_000, 110_000);
    expect(reevaluate(store, NODE)?.kind).toBe("promote");
    expect(modeState(store, NODE)!.mode).toBe("direct_only");
  });

  it("rolls back from canary_direct when the direct runtime fails and the reference answers instead", async () => {
    automate(store, NODE);
    addComparisons(store, VERSION, "test", 1_000, 1_000);
    reevaluate(store, NODE);
    expect(modeState(store, NODE)!.mode).toBe("canary_direct");
    breakRound();
    const { report, observation } = await execute("canary_direct");
    expect(report.fellBack?.status).toBe("runtime_error");
    expect(observation.change?.kind).toBe("rollback");
    expect(modeState(store, NODE)!.mode).toBe("shadow_direct");
  });

  it("leaves a pinned node where it was pinned, divergence or not", async () => {
    pin(store, NODE, "direct_only");
    truncateRound();
    const { observation } = await execute("direct_only");
    expect(observation.diverged).toBe(true);
    expect(observation.change).toBeUndefined();
    expect(modeState(store, NODE)).toMatchObject({ mode: "direct_only", policy: "pinned" });
  });

  it("demotes an auto node whose confidence falls below its mode's threshold", () => {
    automate(store, NODE);
    addComparisons(store, VERSION, "test", 1_000, 1_000);
    reevaluate(store, NODE);
    expect(modeState(store, NODE)!.mode).toBe("canary_direct");
    addComparisons(store, VERSION, "dual_verify", 200, 100);
    expect(reevaluate(store, NODE)?.kind).toBe("demote");
    expect(modeState(store, NODE)!.mode).toBe("shadow_direct");
    expect(modeState(store, NODE)!.reason).toMatch(/fell below the canary_direct threshold 0.95/);
  });
});
