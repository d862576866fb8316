import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("vesper metrics", () => {
  const store = join(mkdtempSync(join(tmpdir(), "vesper-metrics-cli-")), "vesper.db");
  const env = { VEYRA_STORE: store };
  cli("vesper", ["test", "examples/sensor_anomaly.vsp", "--runs", "120", "--seed", "1"], { env });
  cli("vesper", ["mode", "telemetry.sensor_anomaly@1.0.0", "--set", "shadow_direct"], { env });

  it("prints comparisons, confidence and the mode in the Prometheus text format", () => {
    const r = cli("vesper", ["metrics"], { env });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("# TYPE vesper_comparisons_total counter\n");
    expect(r.stdout).toContain('vesper_comparisons_total{node="telemetry.sensor_anomaly@1.0.0",source="test"} 120\n');
    expect(r.stdout).toContain('vesper_divergences_total{node="telemetry.sensor_anomaly@1.0.0",source="test"} 0\n');
    expect(r.stdout).toMatch(/^vesper_confidence\{node="telemetry\.sensor_anomaly@1\.0\.0"\} 0\.917\d+$/m);
    expect(r.stdout).toContain(
      'vesper_mode{node="telemetry.sensor_anomaly@1.0.0",mode="shadow_direct",policy="pinned"} 1\n',
    );
    expect(r.stdout).toContain("# TYPE vesper_execution_duration_seconds histogram\n");
  });

  it("--node limits the output to one node, and an unknown one is a usage error", () => {
    cli("vesper", ["test", "examples/mlp_inference.vsp", "--runs", "5", "--seed", "1"], { env });
    const one = cli("vesper", ["metrics", "--node", "ml.iris_mlp_inference@1.0.0"], { env });
    expect(one.stdout).toContain('node="ml.iris_mlp_inference@1.0.0"');
    expect(one.stdout).not.toContain("telemetry.sensor_anomaly");
    const bad = cli("vesper", ["metrics", "--node", "ml.iris@1.0.0"], { env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^vesper: error: --node: the trace store .* has nothing for node 'ml\.iris@1\.0\.0'/);
  });

  it("a missing store exits 2 and is not created", () => {
    const missing = join(mkdtempSync(join(tmpdir(), "vesper-metrics-cli-")), "none.db");
    const r = cli("vesper", ["metrics", "--store", missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no trace store at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });
});
