import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { StepRecord } from "../../../src/seeds/records.js";
import { openTelemetrySink } from "../../../src/seeds/telemetry-sink.js";
import { TraceStore } from "../../../src/store/store.js";
import { showSeedRun } from "../../../src/workbench/seed-runs.js";
import { epochRecords, header } from "../../fixtures/synthetic-seed-run.mjs";

// docs/seeds-telemetry.md: a resumed run drops only what was written AFTER its newest
// checkpoint. A `--baseline` run checkpoints the baseline series by the baseline's own
// epoch (1, 2, …) after the seeded series finished all of its epochs; resuming it must
// keep every step row of the seeded series (written before that checkpoint) and drop
// only the baseline's uncheckpointed steps. (Found by killing `veyra seeds run
// --dataset spirals --baseline` in its baseline series and resuming: the seeded
// series lost its batch losses from epoch 2 on.)

const opened: TraceStore[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

const steps = (runId: string, series: "seeded" | "baseline", epoch: number): StepRecord[] =>
  epochRecords(runId, epoch).steps.map((s: StepRecord) => ({ ...s, series }));

describe("resuming a run interrupted in its baseline series", () => {
  it("keeps every step of the seeded series and drops only the baseline's uncheckpointed ones", () => {
    const path = join(mkdtempSync(join(tmpdir(), "vesper-seed-resume-")), "store.db");
    const store = TraceStore.open(path);
    opened.push(store);
    const runId = "sr_base";
    const sink = openTelemetrySink(store);
    sink.startRun(header(runId, { epochs: 3, baseline: true }));
    let seq = 0;
    for (let epoch = 1; epoch <= 3; epoch++) {
      const r = epochRecords(runId, epoch, { firstSeq: seq });
      sink.steps(r.steps);
      for (const e of r.events) sink.event(e);
      seq += r.events.length;
      sink.epoch(r.epochs[0]);
      sink.checkpoint(runId, epoch, new TextEncoder().encode(`seeded ${epoch}`));
    }
    // Baseline epoch 1 finishes and is checkpointed; epoch 2's steps are written, then the trainer dies.
    sink.steps(steps(runId, "baseline", 1));
    sink.epoch({ ...epochRecords(runId, 1, { baseline: true }).epochs[1] });
    sink.checkpoint(runId, 1, new TextEncoder().encode("baseline 1"));
    sink.steps(steps(runId, "baseline", 2));
    sink.flush();
    sink.close();

    const again = openTelemetrySink(store);
    again.startRun(header(runId, { epochs: 3, baseline: true, resumed: true }));
    again.close();

    const rows = store.db
      .prepare("SELECT series, epoch, COUNT(*) AS n FROM seed_steps WHERE run_id = ? GROUP BY series, epoch")
      .all(runId);
    expect(rows).toEqual([
      { series: "baseline", epoch: 1, n: 20 },
      { series: "seeded", epoch: 1, n: 20 },
      { series: "seeded", epoch: 2, n: 20 },
      { series: "seeded", epoch: 3, n: 20 },
    ]);
    expect(showSeedRun(store, runId).epochs.seeded.map((e) => e.epoch)).toEqual([1, 2, 3]);
  });
});
