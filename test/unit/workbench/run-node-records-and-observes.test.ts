import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TraceStore } from "../../../src/store/store.js";
import { pin } from "../../../src/verify/controller.js";
import { loadNode } from "../../../src/workbench/load-node.js";
import { nodeInputs } from "../../../src/workbench/node-inputs.js";
import { runNode } from "../../../src/workbench/run-node.js";

// The run-node use case against a real temp store: which traces it records (one per
// runtime run, linked by a group id, each with its role), that the migration
// controller observes the execution, that nothing is written when recording is off,
// and where `auto` takes its mode from. The store is read back with SQL here, not
// through the code under test.

const payment = loadNode("examples/payment.vsp");
const inputs = nodeInputs(payment);
const NODE = "payments.process_payment@1.0.0";

const open: TraceStore[] = [];
function tempStore(): TraceStore {
  const store = TraceStore.open(join(mkdtempSync(join(tmpdir(), "vesper-run-node-")), "vesper.db"));
  open.push(store);
  return store;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

interface Row {
  id: string;
  runtime: string;
  role: string;
  group_id: string;
  mode: string;
  engine_backend: string;
  status: string;
  seed: string;
}
const traceRows = (store: TraceStore) =>
  store.db
    .prepare("SELECT id, runtime, role, group_id, mode, engine_backend, status, seed FROM traces ORDER BY rowid")
    .all() as Row[];
const comparisons = (store: TraceStore) =>
  store.db.prepare("SELECT source, compared, agreed FROM comparisons WHERE node_id = ?").all(NODE);
const executions = (store: TraceStore) =>
  store.db
    .prepare("SELECT runtime, ran, answered FROM runtime_executions WHERE node_id = ? ORDER BY runtime")
    .all(NODE);

describe("runNode", () => {
  it("dual_verify records the reference's answer and the direct check as two traces of one group", async () => {
    const store = tempStore();
    const out = await runNode(payment, { inputs, mode: "dual_verify", seed: 7, store });
    expect(out.report).toMatchObject({ mode: "dual_verify", runtime: "reference", compared: true });
    expect(out.report.result.status).toBe("success");
    expect(out.traces.map((t) => [t.runtime, t.role])).toEqual([
      ["reference", "primary"],
      ["direct", "secondary"],
    ]);
    const rows = traceRows(store);
    expect(rows.map((r) => r.id)).toEqual(out.traces.map((t) => t.id));
    expect(out.groupId).toMatch(/^ex_/);
    for (const r of rows) {
      expect(r).toMatchObject({ group_id: out.groupId, mode: "dual_verify", status: "success", seed: "7" });
    }
    expect(rows.map((r) => r.engine_backend)).toEqual(["reference-float64", "js"]);
    expect(out.auto).toBe(false);
    expect(out.controlled).toBeUndefined();
  });

  it("direct_only with every run sampled: the direct runtime answers, the reference verifies", async () => {
    const store = tempStore();
    const out = await runNode(payment, { inputs, mode: "direct_only", samplePercent: 100, store });
    expect(out.report).toMatchObject({ runtime: "direct", compared: true });
    expect(traceRows(store).map((r) => [r.runtime, r.role])).toEqual([
      ["direct", "primary"],
      ["reference", "secondary"],
    ]);
  });

  it("the controller observes each recorded execution: comparisons and executions are counted", async () => {
    const store = tempStore();
    const first = await runNode(payment, { inputs, mode: "dual_verify", store });
    expect(first.observation).toMatchObject({ compared: true, diverged: false });
    await runNode(payment, { inputs, mode: "reference_only", store });
    expect(comparisons(store)).toEqual([{ source: "dual_verify", compared: 1, agreed: 1 }]);
    expect(executions(store)).toEqual([
      { runtime: "direct", ran: 1, answered: 0 },
      { runtime: "reference", ran: 2, answered: 2 },
    ]);
  });

  it("record: false writes nothing and observes nothing, though both runtimes still run", async () => {
    const store = tempStore();
    const out = await runNode(payment, { inputs, mode: "dual_verify", store, record: false });
    expect(out.report.compared).toBe(true);
    expect(out.traces).toEqual([]);
    expect(out.groupId).toBeUndefined();
    expect(out.observation).toBeUndefined();
    expect(traceRows(store)).toEqual([]);
    expect(comparisons(store)).toEqual([]);
    expect(executions(store)).toEqual([]);
  });

  it("without a store nothing is recorded", async () => {
    const out = await runNode(payment, { inputs, mode: "shadow_direct" });
    expect(out.report).toMatchObject({ mode: "shadow_direct", compared: true });
    expect(out.traces).toEqual([]);
    expect(out.observation).toBeUndefined();
  });

  it("auto runs reference_only while the controller has no mode for the node, with or without a store", async () => {
    const store = tempStore();
    const out = await runNode(payment, { inputs, mode: "auto", store });
    expect(out).toMatchObject({ auto: true, controlled: undefined });
    expect(out.report).toMatchObject({ mode: "reference_only", runtime: "reference", compared: false });
    expect(traceRows(store).map((r) => [r.runtime, r.role, r.mode])).toEqual([
      ["reference", "primary", "reference_only"],
    ]);
    const storeless = await runNode(payment, { inputs, mode: "auto" });
    expect(storeless).toMatchObject({ auto: true, controlled: undefined });
    expect(storeless.report.mode).toBe("reference_only");
  });

  it("auto takes the controller's mode from the store, even when nothing is recorded", async () => {
    const store = tempStore();
    pin(store, NODE, "shadow_direct");
    const out = await runNode(payment, { inputs, mode: "auto", store, record: false });
    expect(out).toMatchObject({ auto: true, controlled: "shadow_direct" });
    expect(out.report).toMatchObject({ mode: "shadow_direct", compared: true });
    expect(traceRows(store)).toEqual([]);
  });
});
