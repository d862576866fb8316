import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkTransition, isTerminal, TRANSITIONS } from "../../src/seeds/lifecycle.js";
import { SEED_STAGES, type SeedEvent, type SeedStage } from "../../src/seeds/records.js";
import { type GateRunner, SeedManager } from "../../src/seeds/seed-manager.js";

// The class of bug: a seed reaching a stage the lifecycle table does not allow. Random
// command sequences (the policy's commands, moves arriving as strings from outside,
// breaker trips, epoch ends) with random gate outcomes never make an illegal move,
// never move a terminal seed, and every refusal leaves the stage as it was.

type Op =
  | { op: "germinate"; slot: number }
  | { op: "advance" | "pause" | "cull" | "rollback" | "trip"; seed: number }
  | { op: "request"; seed: number; to: string }
  | { op: "endEpoch" };

const seedIndex = fc.integer({ min: 0, max: 5 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("germinate" as const), slot: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ op: fc.constantFrom("advance", "pause", "cull", "rollback", "trip"), seed: seedIndex }),
  fc.record({
    op: fc.constant("request" as const),
    seed: seedIndex,
    to: fc.oneof(fc.constantFrom(...SEED_STAGES), fc.string({ maxLength: 8 })),
  }),
  fc.constant({ op: "endEpoch" as const }),
);

describe("the seed manager under random commands", () => {
  it("never makes a move outside the transition table and never moves a terminal seed", () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 80 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }),
        (ops, gateBits) => {
          let g = 0;
          const gates: GateRunner = {
            run: () => ({ passed: gateBits[g++ % gateBits.length]!, values: {}, thresholds: {}, detail: "random" }),
          };
          const events: SeedEvent[] = [];
          const manager = new SeedManager(
            { minTrainingEpochs: 1, maxTrainingEpochs: 3, graftEpochs: 1, stabilizationEpochs: 1, fineTuneEpochs: 1 },
            gates,
            (e) => events.push(e),
          );
          const path = new Map<string, SeedStage>();
          for (const op of ops) {
            const before = new Map(manager.all().map((s) => [s.seedId, s.stage]));
            const id = "seed" in op ? `seed-${op.seed}` : "";
            const seed = manager.get(id);
            const from = events.length;
            switch (op.op) {
              case "germinate":
                manager.apply({ kind: "germinate", slot: `L${op.slot}`, blueprint: "bp" }, "test");
                break;
              case "advance":
              case "pause":
              case "cull":
                manager.apply({ kind: op.op, seedId: id }, "test");
                break;
              case "rollback":
                manager.apply({ kind: "rollback", seedId: id }, "test");
                break;
              case "trip":
                if (seed) manager.trip(seed, "test", {});
                break;
              case "request":
                manager.requestById(id, op.to, "from outside");
                break;
              case "endEpoch":
                manager.endEpoch();
                break;
            }
            for (const e of events.slice(from)) {
              if (e.kind === "stage") {
                expect(checkTransition(e.from, e.to).ok).toBe(true);
                const known = path.get(e.seedId) ?? "DORMANT";
                expect(e.from).toBe(known);
                expect(isTerminal(known)).toBe(false);
                path.set(e.seedId, e.to);
              }
              if (e.kind === "refused" && before.has(e.seedId)) {
                // A refusal is not a move: nothing after it in this op changed the stage through it.
                expect(SEED_STAGES).toContain(e.from);
              }
            }
            for (const s of manager.all()) {
              expect(SEED_STAGES).toContain(s.stage);
              const was = before.get(s.seedId);
              if (was !== undefined && was !== s.stage) expect(TRANSITIONS[was].length).toBeGreaterThan(0);
              expect(path.get(s.seedId) ?? s.stage).toBe(s.stage);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses and records a move that arrives as a string outside the table", () => {
    const events: SeedEvent[] = [];
    const gates: GateRunner = { run: () => ({ passed: true, values: {}, thresholds: {}, detail: "" }) };
    const manager = new SeedManager(
      { minTrainingEpochs: 1, maxTrainingEpochs: 3, graftEpochs: 1, stabilizationEpochs: 1, fineTuneEpochs: 1 },
      gates,
      (e) => events.push(e),
    );
    const seed = manager.germinate("L0", "bp");
    expect(seed.stage).toBe("GERMINATED");
    expect(manager.requestById(seed.seedId, "FOSSILIZED", "resumed checkpoint")).toBe(false);
    expect(manager.requestById(seed.seedId, "SPROUTED", "typo")).toBe(false);
    expect(seed.stage).toBe("GERMINATED");
    const refused = events.filter((e) => e.kind === "refused");
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({ from: "GERMINATED", to: "FOSSILIZED" });
    expect((refused[1] as { reason: string }).reason).toContain("not a lifecycle stage");
  });
});
