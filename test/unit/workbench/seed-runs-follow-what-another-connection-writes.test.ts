import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openTelemetrySink } from "../../../src/seeds/telemetry-sink.js";
import { TraceStore } from "../../../src/store/store.js";
import { followSeedRuns, type SeedFollowEvent, watchSeedRun } from "../../../src/workbench/seed-runs.js";
import { header, writeEpochs, writeRun } from "../../fixtures/synthetic-seed-run.mjs";

// followSeedRuns on its own read-only connection, while the sink writes through
// another: each run is reported through its life (started, its events and epochs in
// the order the trainer emitted them, finished with its summary), poll() is empty
// when nothing was committed, a run filter keeps other runs out, and a run whose
// writer is gone finishes as `interrupted` without anything being committed.

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function writer() {
  const path = join(mkdtempSync(join(tmpdir(), "vesper-seed-follow-")), "store.db");
  const store = TraceStore.open(path);
  const sink = openTelemetrySink(store);
  cleanup.push(() => {
    sink.close();
    store.close();
  });
  return { path, store, sink };
}

const summary = (e: SeedFollowEvent) =>
  e.kind === "run_started"
    ? `started ${e.run.id}`
    : e.kind === "epoch"
      ? `epoch ${e.record.series} ${e.record.epoch}`
      : e.kind === "seed_event"
        ? `event ${e.record.seq} ${e.record.event.kind}`
        : `finished ${e.runId} ${e.status}`;

describe("followSeedRuns", () => {
  it("reports a run that starts after it, in emission order, and nothing when nothing was committed", () => {
    const { path, sink } = writer();
    const follow = followSeedRuns(path);
    cleanup.push(() => follow.close());
    expect(follow.poll()).toEqual([]);
    writeRun(sink, "sr_f", { epochs: 2, baseline: true });
    const events = follow.poll();
    expect(events.map(summary)).toEqual([
      "started sr_f",
      "event 0 command",
      "event 1 gate",
      "event 2 stage",
      "event 3 isolation",
      "epoch seeded 1",
      "epoch baseline 1",
      "event 4 command",
      "event 5 gate",
      "event 6 stage",
      "event 7 isolation",
      "epoch seeded 2",
      "epoch baseline 2",
      "event 8 run",
      "finished sr_f finished",
    ]);
    const end = events.at(-1)!;
    expect(end.kind === "run_finished" && end.summary).toMatchObject({ finalTestAccuracy: 0.69 });
    expect(follow.poll()).toEqual([]);
  });

  it("from the start, with a run named, reports that run's history only", async () => {
    const { path, sink } = writer();
    writeRun(sink, "sr_a", { epochs: 1 });
    writeRun(sink, "sr_b", { epochs: 1 });
    const follow = followSeedRuns(path, { from: "start", run: "sr_b", untilFinished: true });
    const seen: string[] = [];
    for await (const e of follow) seen.push(summary(e));
    expect(seen[0]).toBe("started sr_b");
    expect(seen.at(-1)).toBe("finished sr_b finished");
    expect(seen.join(" ")).not.toContain("sr_a");
    expect(follow.done).toBe(true);
  });

  it("finishes a run whose writer died as interrupted, though nothing more is committed", async () => {
    const { path, store, sink } = writer();
    sink.startRun(header("sr_dead"));
    writeEpochs(sink, "sr_dead", 1, 1);
    const follow = watchSeedRun(path, { pollMs: 5 });
    expect(follow.following).toBe("sr_dead");
    // The writer's process is gone: its pid names a process that has exited.
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    store.db.prepare("UPDATE seed_runs SET writer_pid = ? WHERE id = 'sr_dead'").run(gone);
    const seen: SeedFollowEvent[] = [];
    for await (const e of follow) seen.push(e);
    expect(seen.map(summary).at(-1)).toBe("finished sr_dead interrupted");
  });
});
