import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EventRecord } from "../../../src/seeds/records.js";
import { openTelemetrySink } from "../../../src/seeds/telemetry-sink.js";
import { TraceStore } from "../../../src/store/store.js";
import { listSeedRuns, showSeedRun, verifySeedRun } from "../../../src/workbench/seed-runs.js";
import { epochRecords, header, writeEpochs, writeRun } from "../../fixtures/synthetic-seed-run.mjs";

// The telemetry sink against a real SQLite file: what it writes reads back as the
// records the trainer gave it (NaN included), batches reach other connections only
// when committed (at an epoch's end, before a checkpoint, when old), the newest
// checkpoint reads back, a resumed run continues its chain from the checkpoint, and
// a sink closed without finishing leaves its run interrupted.

const opened: TraceStore[] = [];
const fresh = () => {
  const path = join(mkdtempSync(join(tmpdir(), "vesper-seed-sink-")), "store.db");
  const store = TraceStore.open(path);
  opened.push(store);
  return { path, store };
};
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

describe("the telemetry sink", () => {
  it("writes a run that reads back as it was written: header, epochs of both series, events in order, summary", () => {
    const { store } = fresh();
    const sink = openTelemetrySink(store);
    writeRun(sink, "sr_one", { epochs: 3, baseline: true });
    sink.close();
    const [run] = listSeedRuns(store);
    expect(run).toMatchObject({ id: "sr_one", status: "finished", epochs: 3, epochsDone: 3, baseline: true });
    expect(run!.summary).toMatchObject({ status: "finished", finalTestAccuracy: 0.74 });
    const v = showSeedRun(store, "sr_one");
    const expected = [1, 2, 3].map((e) => epochRecords("sr_one", e, { baseline: true }));
    expect(v.epochs.seeded).toEqual(expected.map((r) => r.epochs[0]));
    expect(v.epochs.baseline).toEqual(expected.map((r) => r.epochs[1]));
    const events = [...v.runEvents, ...v.seeds.flatMap((s) => s.entries)].sort((a, b) => a.seq - b.seq);
    expect(events.map((e) => e.seq)).toEqual([...Array(events.length).keys()]);
    expect(events.slice(0, 4).map((e) => e.event)).toEqual(expected[0]!.events.map((e: EventRecord) => e.event));
    expect(v.seeds[0]).toMatchObject({ seedId: "s0", slot: "h1", blueprint: "bottleneck", stage: "GRAFTING" });
    expect(v.seeds[0]!.stages.map((s) => s.stage)).toEqual(["GERMINATED", "TRAINING", "GRAFTING"]);
    expect(v.metrics).toMatchObject({ epochsDone: 3, steps: 60, nanSteps: 0 });
    expect(v.accuracy).toEqual({ final: 0.74, baseline: 0.69, gainPoints: 5 });
    expect(verifySeedRun(store, "sr_one")).toMatchObject({ ok: true, events: events.length, problems: [] });
  });

  it("keeps NaN and infinite values: a NaN loss reads back as NaN, not as 0 or null", () => {
    const { store } = fresh();
    const sink = openTelemetrySink(store);
    sink.startRun(header("sr_nan"));
    const r = epochRecords("sr_nan", 1);
    r.steps[3].loss = Number.NaN;
    sink.steps(r.steps);
    sink.event({
      runId: "sr_nan",
      seq: 0,
      series: "seeded",
      epoch: 1,
      event: {
        kind: "breaker",
        seedId: "s0",
        cause: "loss is not finite",
        values: { loss: Number.NaN, norm: Infinity },
      },
      at: 1,
    });
    sink.epoch({ ...r.epochs[0], trainLoss: Number.NaN });
    sink.close();
    const v = showSeedRun(store, "sr_nan");
    expect(v.epochs.seeded[0]!.trainLoss).toBeNaN();
    expect(v.metrics.nanSteps).toBe(1);
    const breaker = v.seeds[0]!.entries[0]!.event;
    expect(breaker).toEqual({
      kind: "breaker",
      seedId: "s0",
      cause: "loss is not finite",
      values: { loss: Number.NaN, norm: Infinity },
    });
    expect(verifySeedRun(store, "sr_nan").ok).toBe(true);
  });

  it("commits in batches: rows wait for the epoch's end or a stage change, then another connection sees them", () => {
    const { path, store } = fresh();
    const sink = openTelemetrySink(store, { flushAfterMs: 60_000 });
    sink.startRun(header("sr_batch"));
    const reader = TraceStore.open(path, { readonly: true });
    opened.push(reader);
    const r = epochRecords("sr_batch", 1);
    const [command, gate, stage, isolation] = r.events;
    expect([command, gate, stage, isolation].map((e) => e!.event.kind)).toEqual([
      "command",
      "gate",
      "stage",
      "isolation",
    ]);
    const committed = () => showSeedRun(reader, "sr_batch").run.eventCount;
    sink.steps(r.steps);
    sink.event(command!);
    sink.event(gate!);
    expect(committed()).toBe(0);
    sink.event(stage!); // a watcher wants a stage change at once: it goes with what waits
    expect(committed()).toBe(3);
    sink.event(isolation!);
    expect(committed()).toBe(3);
    sink.epoch(r.epochs[0]);
    const seen = showSeedRun(reader, "sr_batch");
    expect(seen.run.eventCount).toBe(r.events.length);
    expect(seen.metrics.steps).toBe(r.steps.length);
    sink.close();
  });

  it("keeps the newest checkpoint's bytes, and a resumed run drops what came after it and continues the chain", () => {
    const { store } = fresh();
    const sink = openTelemetrySink(store);
    sink.startRun(header("sr_res", { epochs: 6 }));
    const seq = writeEpochs(sink, "sr_res", 1, 2);
    // Epoch 3's rows are written but its checkpoint never is: the trainer died first.
    const lost = epochRecords("sr_res", 3, { firstSeq: seq });
    sink.steps(lost.steps);
    for (const e of lost.events) sink.event(e);
    sink.epoch(lost.epochs[0]);
    sink.close();
    expect(listSeedRuns(store)[0]!.status).toBe("interrupted");
    expect(showSeedRun(store, "sr_res").metrics.epochsDone).toBe(3);

    const again = openTelemetrySink(store);
    const cp = again.lastCheckpoint("sr_res");
    expect(cp && { epoch: cp.epoch, text: new TextDecoder().decode(cp.state) }).toEqual({
      epoch: 2,
      text: `epoch 2 seq ${seq}`,
    });
    again.startRun(header("sr_res", { epochs: 6, resumed: true }));
    writeEpochs(again, "sr_res", 3, 4, { firstSeq: seq });
    again.finish({
      runId: "sr_res",
      status: "finished",
      epochs: 4,
      finalTestAccuracy: 0.8,
      baselineTestAccuracy: null,
      seeds: [],
    });
    again.close();
    const v = showSeedRun(store, "sr_res");
    expect(v.run).toMatchObject({ status: "finished", resumes: 1, epochsDone: 4 });
    expect(v.epochs.seeded.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(v.metrics.steps).toBe(4 * 20);
    expect(verifySeedRun(store, "sr_res")).toMatchObject({ ok: true, events: 16 });
  });

  it("refuses to start a run id that is already in the store, and to resume one that is not", () => {
    const { store } = fresh();
    const sink = openTelemetrySink(store);
    sink.startRun(header("sr_twice"));
    expect(() => sink.startRun(header("sr_twice"))).toThrow(/a seed run sr_twice is already in .*--resume/);
    expect(() => sink.startRun(header("sr_never", { resumed: true }))).toThrow(
      expect.objectContaining({ code: "S106", message: expect.stringContaining("no seed run sr_never to resume") }),
    );
    sink.close();
  });

  it("refuses records for a run it did not start (a trainer bug, said plainly)", () => {
    const { store } = fresh();
    const sink = openTelemetrySink(store);
    expect(() => sink.epoch(epochRecords("sr_ghost", 1).epochs[0])).toThrow(/did not start \(call startRun first\)/);
    sink.close();
  });
});
