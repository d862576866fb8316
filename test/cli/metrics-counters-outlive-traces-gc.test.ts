import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { parseExposition, valueOf } from "../helpers/prometheus-text.js";

// A counter only grows (Prometheus reads a drop as a restart). `vesper traces gc`
// deletes old traces, but the execution counters of their node stay in the store
// (runtime_executions, duration_totals, execution_errors): `vesper metrics` must
// keep printing them, and `--node` must still know the node (knownNodeIds in
// src/trace/evidence-tables.ts counts the execution counter tables too).

const PAYMENT = "payments.process_payment@1.0.0";

describe("vesper metrics after vesper traces gc", () => {
  it("keeps a reference_only node's execution counters once its traces are deleted", () => {
    const store = join(mkdtempSync(join(tmpdir(), "vesper-metrics-gc-")), "vesper.db");
    const env = { VEYRA_STORE: store };
    expect(cli("vesper", ["run", "examples/payment.vsp", "--mode", "reference_only"], { env }).status).toBe(0);
    const before = parseExposition(cli("vesper", ["metrics"], { env }).stdout);
    expect(valueOf(before, "vesper_executions_total", { node: PAYMENT, runtime: "reference" })).toBe(1);

    expect(cli("vesper", ["traces", "gc", "--keep-days", "0"], { env }).status).toBe(0);
    const after = parseExposition(cli("vesper", ["metrics"], { env }).stdout);
    expect(valueOf(after, "vesper_executions_total", { node: PAYMENT, runtime: "reference" })).toBe(1);
    const named = cli("vesper", ["metrics", "--node", PAYMENT], { env });
    expect(named.status).toBe(0);
  });
});
