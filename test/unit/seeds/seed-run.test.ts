import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EventRecord } from "../../../src/seeds/records.js";
import { MemorySink, runSeedTraining } from "../../../src/workbench/seed-run.js";
import { cli } from "../../helpers/cli.js";

// The seed run use case end to end on the spirals set: the same seed on the same
// backend gives the same events; an interrupted run resumes from its checkpoint to
// the same events as one that never stopped; bad settings are usage errors naming
// the place.

const dir = mkdtempSync(join(tmpdir(), "seeds-run-"));
const configFile = join(dir, "quick.yaml");
writeFileSync(
  configFile,
  [
    "seeds:",
    "  dataset: spirals",
    "  epochs: 7",
    "  policy: {warmup_epochs: 1, plateau_threshold: 10}",
    "  lifecycle: {min_training_epochs: 1, graft_epochs: 1, stabilization_epochs: 1, fine_tune_epochs: 1}",
    "  gates: {g2_max_loss_change: 10}",
    "",
  ].join("\n"),
);

const comparable = (events: EventRecord[]) => events.map(({ runId: _r, at: _a, ...rest }) => rest);

describe("runSeedTraining", () => {
  it("gives the same sequence of events for the same seed on the same backend", async () => {
    const a = new MemorySink();
    const b = new MemorySink();
    await runSeedTraining({ configFile, cwd: dir, sink: a, backend: "cpu", env: {} });
    await runSeedTraining({ configFile, cwd: dir, sink: b, backend: "cpu", env: {} });
    expect(a.events.some((e) => e.event.kind === "stage")).toBe(true);
    expect(comparable(a.events)).toEqual(comparable(b.events));
  });

  it("resumes an interrupted run from its checkpoint to the events of an uninterrupted one", async () => {
    const whole = new MemorySink();
    await runSeedTraining({ configFile, cwd: dir, sink: whole, backend: "cpu", env: {}, baseline: true });
    const sink = new MemorySink();
    const stop = new AbortController();
    const first = await runSeedTraining(
      { configFile, cwd: dir, sink, backend: "cpu", env: {}, baseline: true },
      { signal: stop.signal, onEpoch: (e) => e.epoch === 3 && stop.abort() },
    );
    expect(first.status).toBe("interrupted");
    expect(sink.events.at(-1)!.event).toMatchObject({ kind: "run", status: "interrupted" });
    const resumed = await runSeedTraining({ cwd: dir, sink, backend: "cpu", env: {}, resume: first.runId });
    expect(resumed.status).toBe("finished");
    expect(resumed.runId).toBe(first.runId);
    expect(sink.headers.map((h) => h.resumed)).toEqual([false, true]);
    // Both runs' events, less the run-status events that mark the interruption and resumption.
    const training = (events: EventRecord[]) =>
      comparable(events)
        .filter((e) => e.event.kind !== "run")
        .map(({ seq: _s, ...e }) => e);
    expect(training(sink.events)).toEqual(training(whole.events));
    expect(resumed.finalTestAccuracy).toBe(whole.summaries[0]!.finalTestAccuracy);
    expect(resumed.baselineTestAccuracy).toBe(whole.summaries[0]!.baselineTestAccuracy);
  });

  it("names an unknown blueprint and where it was set", async () => {
    const bad = join(dir, "bad-blueprint.yaml");
    writeFileSync(bad, "seeds:\n  dataset: spirals\n  blueprints: [wider_block, hyper_block]\n");
    await expect(
      runSeedTraining({ configFile: bad, cwd: dir, sink: new MemorySink(), backend: "cpu", env: {} }),
    ).rejects.toThrow(
      /unknown blueprint 'hyper_block' in .*bad-blueprint\.yaml:3:\d+; did you mean 'wider_block'\? \(blueprints: bottleneck_adapter/,
    );
  });
});

describe("veyra seeds run and seeds blueprints", () => {
  it("rejects an unknown seeds setting with file:line:col and exit 2", () => {
    const bad = join(dir, "typo.yaml");
    writeFileSync(bad, "seeds:\n  dataset: spirals\n  lifecycle:\n    graft_epoch: 2\n");
    const r = cli("veyra", ["seeds", "run", "--config", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${bad}:4:5: unknown seeds setting 'lifecycle.graft_epoch'; did you mean 'graft_epochs'?`,
    );
  });

  it("rejects a wrong type with file:line:col and exit 2", () => {
    const bad = join(dir, "type.yaml");
    writeFileSync(bad, "seeds:\n  epochs: many\n");
    const r = cli("veyra", ["seeds", "run", "--config", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:2:11: 'epochs' must be a whole number from 1 to 10000 (got "many")`);
  });

  it("rejects an unknown blueprint with exit 2", () => {
    const bad = join(dir, "unknown.yaml");
    writeFileSync(bad, "seeds:\n  blueprints: [hyper_block]\n");
    const r = cli("veyra", ["seeds", "run", "--config", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown blueprint 'hyper_block'");
  });

  it("trains a short spirals run and prints JSON lines without a terminal", () => {
    const r = cli("veyra", ["seeds", "run", "--config", configFile, "--epochs", "3", "--backend", "cpu"]);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines[0]).toMatchObject({ type: "start", dataset: "spirals", epochs: 3 });
    expect(lines.filter((l) => l.type === "epoch")).toHaveLength(3);
    expect(lines.at(-1)).toMatchObject({ type: "summary", status: "finished", epochs: 3 });
  });

  it("lists the four blueprints with their risk tiers and plans", () => {
    const r = cli("veyra", ["seeds", "blueprints", "--json"]);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; risk: string; planText: string }[];
    expect(list.map((b) => [b.name, b.risk])).toEqual([
      ["bottleneck_adapter", "safe"],
      ["low_rank_linear", "safe"],
      ["wider_block", "experimental"],
      ["gated_unit", "high_risk"],
    ]);
    expect(list[0]!.planText).toContain("hidden = relu(matmul(x, down))");
  });
});
