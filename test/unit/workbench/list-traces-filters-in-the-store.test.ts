import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TraceStore } from "../../../src/store/store.js";
import { loadNode } from "../../../src/workbench/load-node.js";
import { nodeInputs } from "../../../src/workbench/node-inputs.js";
import { runNode } from "../../../src/workbench/run-node.js";
import { FAILED_STATUSES, listRecordedTraces, type TraceRow } from "../../../src/workbench/traces.js";

// listRecordedTraces narrows the list in the store: by exact node id, by text the
// node id or file contains, by status (several at once, as `failed` asks, read as
// the reader sees it) and by start time (since ≤ started_at < until). Traces are
// recorded through runNode at known times (Date faked while recording), so a filter
// reaches traces older than the newest `limit`.

const at = (iso: string) => Date.parse(iso);
const T = {
  payment: at("2024-11-01T10:00:00Z"),
  order: at("2024-11-02T10:00:00Z"),
  failed: at("2024-11-03T10:00:00Z"),
  abandoned: at("2024-11-03T12:00:00Z"),
  latest: at("2024-11-04T10:00:00Z"),
};
const ids: Record<keyof typeof T, string> = { payment: "", order: "", failed: "", abandoned: "", latest: "" };
let store: TraceStore;

async function recordAt(key: keyof typeof T, file: string, slow = false) {
  vi.setSystemTime(T[key]);
  const node = loadNode(file);
  const behaviour = slow ? { "sim.payments.charge": { latency: { medianMs: 4000, p99Ms: 4000 } } } : undefined;
  const out = await runNode(node, { inputs: nodeInputs(node), mode: "reference_only", seed: 7, store, behaviour });
  ids[key] = out.traces[0]!.id;
}

beforeAll(async () => {
  store = TraceStore.open(join(mkdtempSync(join(tmpdir(), "vesper-list-filter-")), "vesper.db"));
  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    await recordAt("payment", "examples/payment.vsp");
    await recordAt("order", "examples/order_total.vsp");
    await recordAt("failed", "examples/payment.vsp", true);
    await recordAt("abandoned", "examples/payment.vsp");
    await recordAt("latest", "examples/payment.vsp");
  } finally {
    vi.useRealTimers();
  }
  // A trace still marked running whose writer's lease ran out long ago: the reader sees it incomplete.
  store.db.prepare("UPDATE traces SET status = 'running', heartbeat_at = started_at WHERE id = ?").run(ids.abandoned);
});
afterAll(() => store.close());

const listed = (options: Parameters<typeof listRecordedTraces>[1]) =>
  listRecordedTraces(store, options).map((t: TraceRow) => t.id);

describe("listRecordedTraces filters in the store", () => {
  it("records the traces at the times the test set", () => {
    const rows = listRecordedTraces(store, {});
    expect(rows.map((t) => [t.id, t.started_at])).toEqual(
      (["latest", "abandoned", "failed", "order", "payment"] as const).map((k) => [ids[k], T[k]]),
    );
    expect(rows.find((t) => t.id === ids.failed)!.status).toBe("runtime_error");
    expect(rows.find((t) => t.id === ids.abandoned)!.status).toBe("incomplete");
  });

  it("since is inclusive and until exclusive, as Unix ms or Dates", () => {
    expect(listed({ since: T.order, until: T.abandoned })).toEqual([ids.failed, ids.order]);
    expect(listed({ since: new Date(T.order + 1), until: new Date(T.abandoned + 1) })).toEqual([
      ids.abandoned,
      ids.failed,
    ]);
    expect(listed({ until: T.payment })).toEqual([]);
  });

  it("reaches traces older than the newest `limit`", () => {
    expect(listed({ limit: 1, until: T.order })).toEqual([ids.payment]);
    expect(listed({ limit: 1, nodeContains: ["ORDER"] })).toEqual([ids.order]);
  });

  it("node is an exact id; nodeContains is text in the node id or file, every one of them, any case", () => {
    expect(listed({ node: "payments.process_payment" })).toEqual([]);
    expect(listed({ node: "payments.process_payment@1.0.0", since: T.failed })).toEqual([
      ids.latest,
      ids.abandoned,
      ids.failed,
    ]);
    expect(listed({ nodeContains: ["order_total.VSP"] })).toEqual([ids.order]);
    expect(listed({ nodeContains: ["examples", "Payment"], until: T.failed })).toEqual([ids.payment]);
    expect(listed({ nodeContains: ["payment", "order"] })).toEqual([]);
  });

  it("failed takes every status but success and running, an abandoned run included", () => {
    expect(listed({ statuses: FAILED_STATUSES })).toEqual([ids.abandoned, ids.failed]);
    expect(listed({ status: "incomplete" })).toEqual([ids.abandoned]);
    expect(listed({ status: "running" })).toEqual([]);
    expect(listed({ statuses: ["success"], since: T.order })).toEqual([ids.latest, ids.order]);
  });

  it("refuses a time that is not one", () => {
    expect(() => listRecordedTraces(store, { since: new Date("soon") })).toThrow(
      /since must be a time \(Unix ms or a valid Date\)/,
    );
    expect(() => listRecordedTraces(store, { until: Number.NaN })).toThrow(/until must be a time/);
  });
});
