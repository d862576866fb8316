import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openTelemetrySink } from "../../../src/seeds/telemetry-sink.js";
import { TraceStore } from "../../../src/store/store.js";
import { foldSeedRunView, SeedRunsLive, viewEntries } from "../../../src/workbench/seed-live.js";
import { listSeedRuns, showSeedRun } from "../../../src/workbench/seed-runs.js";
import { header, writeEpochs } from "../../fixtures/synthetic-seed-run.mjs";

// SeedRunsLive (what the TUI's Seeds pane shows) reads a run once and then folds
// the follow reader's events into it: after any number of batches written by the
// real sink, its list and its open run must read exactly as a fresh read of the
// store does (steps and the checkpoint aside: they are not followed). A row both
// read and followed (committed between the follow's start and the read) counts once.

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0).reverse()) c();
});

function fresh() {
  const path = join(mkdtempSync(join(tmpdir(), "vesper-seed-live-")), "store.db");
  const store = TraceStore.open(path);
  closers.push(() => store.close());
  return { path, store };
}

const comparable = (v: ReturnType<typeof showSeedRun>) => {
  const { steps: _s, checkpoint: _c, metrics, run, ...rest } = v;
  const { steps: _ms, nanSteps: _n, ...m } = metrics;
  const { heartbeatAt: _h, lastHash: _l, ...r } = run;
  return { ...rest, metrics: m, run: r };
};

describe("seed runs kept live by folding followed events", () => {
  it("after each committed batch, the open run and the list equal a fresh read of the store", () => {
    const { path, store } = fresh();
    const sink = openTelemetrySink(store);
    sink.startRun(header("sr_live", { epochs: 6, baseline: true }));
    let seq = writeEpochs(sink, "sr_live", 1, 1, { baseline: true });
    sink.flush();
    const live = SeedRunsLive.open(path);
    closers.push(() => live.close());
    live.open("sr_live");
    for (let epoch = 2; epoch <= 6; epoch++) {
      seq = writeEpochs(sink, "sr_live", epoch, epoch, { baseline: true, firstSeq: seq });
      sink.flush();
      expect(live.poll()).toBe(true);
      expect(comparable(live.view!)).toEqual(comparable(showSeedRun(path, "sr_live")));
    }
    sink.finish({
      runId: "sr_live",
      status: "finished",
      epochs: 6,
      finalTestAccuracy: 0.89,
      baselineTestAccuracy: 0.8,
      seeds: [],
    });
    sink.close();
    // The end is seen at a look after the last rows (the follow reports it once all before it is read).
    for (let i = 0; i < 3; i++) live.poll();
    expect(live.view!.run.status).toBe("finished");
    const [item] = live.list;
    const [read] = listSeedRuns(path);
    expect({ ...item, heartbeatAt: 0, lastHash: null, finishedAt: 0 }).toEqual({
      ...read,
      heartbeatAt: 0,
      lastHash: null,
      finishedAt: 0,
    });
  });

  it("a run that starts after the list was read is put on top, and events read twice count once", () => {
    const { path, store } = fresh();
    const live = SeedRunsLive.open(path);
    closers.push(() => live.close());
    expect(live.list).toEqual([]);
    const sink = openTelemetrySink(store);
    closers.push(() => sink.close());
    sink.startRun(header("sr_new", { epochs: 4 }));
    writeEpochs(sink, "sr_new", 1, 2);
    sink.flush();
    expect(live.poll()).toBe(true);
    expect(live.list.map((r) => [r.id, r.status, r.epochsDone])).toEqual([["sr_new", "running", 2]]);
    // Opened after the rows were followed: the same rows folded again change nothing.
    const view = live.open("sr_new");
    const again = foldSeedRunView(view, [
      { kind: "seed_event", runId: "sr_new", record: { runId: "sr_new", ...viewEntries(view)[0]! } },
      { kind: "epoch", runId: "sr_new", record: view.epochs.seeded[0]! },
    ]);
    expect(viewEntries(again).map((e) => e.seq)).toEqual(viewEntries(view).map((e) => e.seq));
    expect(again.epochs.seeded).toHaveLength(2);
  });
});
