import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExecutionReport } from "../../../src/exec/executor.js";
import { TraceStore } from "../../../src/store/store.js";
import { VRecord } from "../../../src/values/values.js";
import { pin } from "../../../src/verify/controller.js";
import { escapeLabel, exposition } from "../../../src/verify/metrics.js";
import { observeExecution } from "../../../src/verify/observe.js";
import { example } from "../../helpers/runtimes.js";

const p = example("payment");
const NODE = p.node.nodeId.value;

function report(over: Partial<ExecutionReport>): ExecutionReport {
  return {
    mode: "reference_only",
    runtime: "reference",
    result: { status: "success", steps: 3 },
    compared: false,
    inputHash: "0".repeat(16),
    bucket: 0,
    durationUs: 300,
    ...over,
  };
}

describe("vesper metrics exposition", () => {
  const store = TraceStore.open(join(mkdtempSync(join(tmpdir(), "vesper-metrics-")), "vesper.db"));
  observeExecution(store, p, report({ durationUs: 80 }));
  observeExecution(store, p, report({ durationUs: 700 }));
  observeExecution(store, p, report({ mode: "direct_only", runtime: "direct", durationUs: 20_000_000 }));
  observeExecution(
    store,
    p,
    report({
      mode: "reference_only",
      durationUs: 400,
      result: {
        status: "error",
        steps: 4,
        output: new VRecord(
          "error",
          new Map([
            ["code", "CARD_DECLINED"],
            ["message", "declined"],
          ]),
        ),
      },
    }),
  );
  observeExecution(
    store,
    p,
    report({ mode: "dual_verify", durationUs: 900, compared: true, secondary: { status: "success", steps: 3 } }),
  );
  pin(store, NODE, "dual_verify");
  const text = exposition(store);
  const lines = text.trimEnd().split("\n");

  it("every line is a HELP, a TYPE or a sample with escaped labels and a number", () => {
    for (const line of lines) {
      expect(line).toMatch(
        /^(# (HELP|TYPE) vesper_[a-z_]+ .+|vesper_[a-z_]+\{([a-z]+="([^"\\\n]|\\["\\n])*",?)+\} (-?[0-9.e+-]+|\+Inf|NaN))$/,
      );
    }
  });

  it("counts executions per runtime, which answered, and the traffic split", () => {
    expect(lines).toContain(`vesper_executions_total{node="${NODE}",runtime="reference"} 4`);
    expect(lines).toContain(`vesper_executions_total{node="${NODE}",runtime="direct"} 2`);
    expect(lines).toContain(`vesper_answers_total{node="${NODE}",runtime="direct"} 1`);
    expect(lines).toContain(`vesper_traffic_split_ratio{node="${NODE}",runtime="direct"} 0.2`);
  });

  it("the duration histogram is cumulative and ends at +Inf with the count", () => {
    const buckets = lines.filter((l) =>
      l.startsWith(`vesper_execution_duration_seconds_bucket{node="${NODE}",mode="reference_only"`),
    );
    const counts = buckets.map((l) => Number(l.split(" ").pop()));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(buckets[0]).toBe(
      `vesper_execution_duration_seconds_bucket{node="${NODE}",mode="reference_only",le="0.0001"} 1`,
    );
    expect(buckets.at(-1)).toBe(
      `vesper_execution_duration_seconds_bucket{node="${NODE}",mode="reference_only",le="+Inf"} 3`,
    );
    expect(lines).toContain(`vesper_execution_duration_seconds_sum{node="${NODE}",mode="reference_only"} 0.00118`);
    // 20 s is beyond the last finite bucket: only +Inf holds it.
    expect(lines).toContain(`vesper_execution_duration_seconds_bucket{node="${NODE}",mode="direct_only",le="10"} 0`);
    expect(lines).toContain(`vesper_execution_duration_seconds_bucket{node="${NODE}",mode="direct_only",le="+Inf"} 1`);
  });

  it("errors by status and code, comparisons, confidence and the mode", () => {
    expect(lines).toContain(`vesper_errors_total{node="${NODE}",status="error",code="CARD_DECLINED"} 1`);
    expect(lines).toContain(`vesper_comparisons_total{node="${NODE}",source="dual_verify"} 1`);
    expect(lines).toContain(`vesper_divergences_total{node="${NODE}",source="dual_verify"} 0`);
    expect(lines).toContain(`vesper_confidence{node="${NODE}"} 0`);
    expect(lines).toContain(`vesper_mode{node="${NODE}",mode="dual_verify",policy="pinned"} 1`);
    expect(lines).toContain(`vesper_mode{node="${NODE}",mode="direct_only",policy="pinned"} 0`);
  });

  it("escapes backslashes, quotes and newlines in label values", () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});
