import { describe, expect, it } from "vitest";
import { openReplay } from "../../src/workbench/index.js";
import { cli } from "../helpers/cli.js";
import { recordPayment } from "../helpers/recorded-payment.js";

// `vesper replay <fork> --commands diff` (docs/debugger.md, "Replay sessions"): a trace
// that is itself a fork, opened with nothing modified, is diffed against its parent,
// and the reply names both traces. The fork is made in process (the timed-out payment,
// its charge timeout raised); only the replay is run through bin/.

describe("vesper replay of a fork, then diff", () => {
  it("compares the fork with its parent in --json, the older keys kept", async () => {
    const rec = await recordPayment({ chargeLatencyMs: 4000 });
    const original = openReplay(rec.store, rec.traceId);
    original.editStep(4, "timeout_ms", "4500");
    const forkId = (await original.fork()).trace.id;
    const store = rec.store.path;
    rec.store.close();

    const r = cli("vesper", ["replay", forkId, "--store", store, "--commands", "diff", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const [open, diff] = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(open).toMatchObject({ command: "open", trace: forkId });
    expect(diff).toMatchObject({
      command: "diff",
      original: rec.traceId,
      fork: forkId,
      inputs: [],
      compares: "parent",
      fork_step: 4,
    });
    expect(diff!.outcome).toContainEqual({
      path: "status",
      expected: "runtime_error",
      actual: "success",
      reason: "the runs ended differently",
    });
    expect(diff!.steps).toContainEqual(expect.objectContaining({ index: 4, what: "call sim.payments.charge" }));
  });
});
