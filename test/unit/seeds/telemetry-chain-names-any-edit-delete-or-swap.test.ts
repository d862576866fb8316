import fc from "fast-check";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EventRecord, SeedEvent } from "../../../src/seeds/records.js";
import { openTelemetrySink } from "../../../src/seeds/telemetry-sink.js";
import { verifyRunChain } from "../../../src/seeds/telemetry-verify.js";
import { TraceStore } from "../../../src/store/store.js";
import { header } from "../../fixtures/synthetic-seed-run.mjs";

// The class of bug: a seed run's events changed after they were recorded. For any
// sequence of events and any one change made with raw SQL — a field of one row
// edited, one row deleted, two rows' places swapped — verify fails and its first
// problem names the first row that is not as recorded (or the chain's end, when
// the last row was cut off). Without a change, every sequence verifies.

const stage = fc.constantFrom("DORMANT", "GERMINATED", "TRAINING", "GRAFTING", "FOSSILIZED", "CULLED");
const seedEvent: fc.Arbitrary<SeedEvent> = fc.oneof(
  fc.record({
    kind: fc.constant("stage" as const),
    seedId: fc.constantFrom("s0", "s1"),
    slot: fc.constantFrom("h1", "h2"),
    blueprint: fc.constantFrom("bottleneck", "lowrank"),
    from: stage,
    to: stage,
    reason: fc.string({ maxLength: 12 }),
  }),
  fc.record({
    kind: fc.constant("gate" as const),
    seedId: fc.constantFrom("s0", "s1"),
    gate: fc.constantFrom("G0", "G1", "G2", "G3", "G4", "G5"),
    passed: fc.boolean(),
    values: fc.dictionary(fc.constantFrom("norm", "loss", "drop"), fc.double()),
    thresholds: fc.dictionary(fc.constantFrom("norm", "drop"), fc.double({ noNaN: true })),
    detail: fc.string({ maxLength: 12 }),
  }),
  fc.record({
    kind: fc.constant("command" as const),
    command: fc.constant({ kind: "wait" as const }),
    reason: fc.string({ maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant("checkpoint" as const), epoch: fc.nat(50) }),
);

type Tamper =
  | { kind: "edit"; at: number; column: "body" | "epoch" | "at" | "series" }
  | { kind: "delete"; at: number }
  | { kind: "swap"; a: number; b: number };

const scenario = fc.array(fc.tuple(seedEvent, fc.nat(20)), { minLength: 2, maxLength: 30 }).chain((events) => {
  const n = events.length;
  const index = fc.nat(n - 1);
  const tamper: fc.Arbitrary<Tamper> = fc.oneof(
    fc.record({
      kind: fc.constant("edit" as const),
      at: index,
      column: fc.constantFrom("body" as const, "epoch" as const, "at" as const, "series" as const),
    }),
    fc.record({ kind: fc.constant("delete" as const), at: index }),
    fc
      .tuple(index, index)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => ({ kind: "swap" as const, a: Math.min(a, b), b: Math.max(a, b) })),
  );
  return fc.tuple(fc.constant(events), tamper);
});

let counter = 0;
function recorded(events: [SeedEvent, number][]): { store: TraceStore; runId: string } {
  const path = join(mkdtempSync(join(tmpdir(), "vesper-seed-chain-")), "store.db");
  const store = TraceStore.open(path);
  const runId = `sr_prop${counter++}`;
  const sink = openTelemetrySink(store);
  sink.startRun(header(runId));
  events.forEach(([event, epoch], seq) => {
    const record: EventRecord = { runId, seq, series: "seeded", epoch, event, at: 1_000 + seq };
    sink.event(record);
  });
  sink.close();
  return { store, runId };
}

function apply(store: TraceStore, runId: string, t: Tamper): void {
  const db = store.db;
  if (t.kind === "edit") {
    const change = {
      body: "body = body || ' '",
      epoch: "epoch = epoch + 1",
      at: "at = at + 1",
      series: "series = CASE series WHEN 'seeded' THEN 'baseline' ELSE 'seeded' END",
    }[t.column];
    db.prepare(`UPDATE seed_events SET ${change} WHERE run_id = ? AND seq = ?`).run(runId, t.at);
  } else if (t.kind === "delete") {
    db.prepare("DELETE FROM seed_events WHERE run_id = ? AND seq = ?").run(runId, t.at);
  } else {
    // Swap two rows' places in the chain (seq is unique, so through a free value).
    const move = db.prepare("UPDATE seed_events SET seq = ? WHERE run_id = ? AND seq = ?");
    db.transaction(() => {
      move.run(-1, runId, t.a);
      move.run(t.a, runId, t.b);
      move.run(t.b, runId, -1);
    })();
  }
}

describe("the seed event chain", () => {
  it("verifies any sequence of events as recorded", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(seedEvent, fc.nat(20)), { maxLength: 30 }), (events) => {
        const { store, runId } = recorded(events);
        try {
          const r = verifyRunChain(store, runId);
          expect(r.problems).toEqual([]);
          expect(r.events).toBe(events.length);
        } finally {
          store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it("names the first changed row for any one edit, deletion or swap", () => {
    fc.assert(
      fc.property(scenario, ([events, tamper]) => {
        const { store, runId } = recorded(events);
        try {
          apply(store, runId, tamper);
          const r = verifyRunChain(store, runId);
          expect(r.ok).toBe(false);
          const first = r.problem!;
          if (tamper.kind === "edit") {
            expect(first).toMatchObject({ seq: tamper.at, kind: "event-edited" });
          } else if (tamper.kind === "delete") {
            if (tamper.at === events.length - 1) expect(first).toMatchObject({ seq: null, kind: "events-truncated" });
            else expect(first).toMatchObject({ seq: tamper.at, kind: "event-missing" });
          } else {
            expect(first).toMatchObject({ seq: tamper.a, kind: "event-reordered" });
            expect(first.reason).toContain(`recorded as event ${tamper.b}`);
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("a row rewritten with a hash computed for it", () => {
  it("is named: the next row does not chain from it", async () => {
    const { eventHash } = await import("../../../src/seeds/telemetry-chain.js");
    const events: [SeedEvent, number][] = [0, 1, 2, 3].map((i) => [{ kind: "checkpoint", epoch: i }, i]);
    const { store, runId } = recorded(events);
    try {
      const row = store.db.prepare("SELECT * FROM seed_events WHERE run_id = ? AND seq = 1").get(runId) as Parameters<
        typeof eventHash
      >[1] & { prev_hash: string };
      const forged = { ...row, body: JSON.stringify({ kind: "checkpoint", epoch: 99 }) };
      store.db
        .prepare("UPDATE seed_events SET body = ?, hash = ? WHERE run_id = ? AND seq = 1")
        .run(forged.body, eventHash(row.prev_hash, forged), runId);
      expect(verifyRunChain(store, runId).problem).toMatchObject({ seq: 1, kind: "event-replaced" });
    } finally {
      store.close();
    }
  });
});
