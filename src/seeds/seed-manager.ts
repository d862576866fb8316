import { VesperError } from "../values/errors.js";
import { checkTransition, isActive, isGrafted, type Transition } from "./lifecycle.js";
import type { GateName, PolicyCommand, SeedEvent, SeedSnapshot, SeedStage } from "./records.js";

// The seed manager: owns every seed's stage and enforces the lifecycle and its gates.
// It holds no tensors: the trainer gives it a GateRunner (which measures a gate on
// the seed's real weights and activations) and hooks (which snapshot or restore the
// host when a seed is grafted or removed). Every move goes through the one table in
// lifecycle.ts; a command that asks for an illegal move (a cull of a seed that may
// only be rolled back, anything on a terminal seed, an unknown seed or stage) is
// refused and recorded, never applied. Deterministic: no clock, no randomness.
//
// What moves a seed (the gates and their checks are in gates.ts):
//   germinate      new seed DORMANT; G0 → GERMINATED, else CANCELLED
//   advance        GERMINATED → TRAINING
//                  TRAINING (≥ minTrainingEpochs): G2 then G3 → GRAFTING; G2 not settled
//                    stays, unless past maxTrainingEpochs (→ CULLED); G3 failed → CULLED
//                  GRAFTING (≥ graftEpochs, alpha has reached 1) → STABILIZATION
//                  STABILIZATION (≥ stabilizationEpochs) → EVALUATING
//                  EVALUATING: G4 (improvement) → FINE_TUNING, else CULLED
//                  FINE_TUNING (≥ fineTuneEpochs) → FOSSILIZED
//   end of epoch   TRAINING: G1 failed → CULLED; GRAFTING/STABILIZATION: G4 (no drop)
//                  failed → ROLLED_BACK
//   breaker        → ROLLED_BACK (or CULLED where that is the only way out)
// After a grafted seed is culled or rolled back the host is restored and G5 checks it.

export interface LifecycleSettings {
  minTrainingEpochs: number;
  maxTrainingEpochs: number;
  graftEpochs: number;
  stabilizationEpochs: number;
  fineTuneEpochs: number;
}

/** What the manager knows of a seed (the trainer keeps its tensors under the same id). */
export interface SeedState {
  seedId: string;
  slot: string;
  blueprint: string;
  stage: SeedStage;
  /** Epochs completed in the current stage. */
  epochsInStage: number;
  alpha: number;
  seedLoss: number | null;
  lastGate: { gate: GateName; passed: boolean } | null;
  paused: boolean;
  /** Whether the seed was ever blended in (so removing it restores the host). */
  grafted: boolean;
}

export interface GateOutcome {
  passed: boolean;
  values: Record<string, number>;
  thresholds: Record<string, number>;
  detail: string;
}

/** The checks that need tensors; `G4` is asked with a purpose (no drop while grafting, or improvement). */
export interface GateRunner {
  run(gate: GateName, seed: SeedState, purpose?: "drop" | "improvement"): GateOutcome;
}

export interface ManagerHooks {
  /** Called after a seed entered a stage (the trainer snapshots the host on GRAFTING, frees tensors on terminal stages). */
  entered?(seed: SeedState, from: SeedStage): void;
  /** Called when a grafted seed is removed, before G5 measures the host against its snapshot. */
  restoreHost?(seed: SeedState): void;
}

export class SeedManager {
  private readonly seeds = new Map<string, SeedState>();
  private counter = 0;

  constructor(
    private readonly settings: LifecycleSettings,
    private readonly gates: GateRunner,
    private readonly emit: (event: SeedEvent) => void,
    private readonly hooks: ManagerHooks = {},
  ) {}

  all(): SeedState[] {
    return [...this.seeds.values()];
  }

  get(seedId: string): SeedState | undefined {
    return this.seeds.get(seedId);
  }

  snapshots(): SeedSnapshot[] {
    return this.all().map((s) => ({
      seedId: s.seedId,
      slot: s.slot,
      blueprint: s.blueprint,
      stage: s.stage,
      alpha: s.alpha,
      seedLoss: s.seedLoss,
      lastGate: s.lastGate,
    }));
  }

  /** Applies one policy command, recording it with its reason first. */
  apply(command: PolicyCommand, reason: string): void {
    this.emit({ kind: "command", command, reason });
    switch (command.kind) {
      case "wait":
        return;
      case "germinate":
        this.germinate(command.slot, command.blueprint);
        return;
      case "advance": {
        this.withSeed(command.seedId, "advance", (s) => this.advance(s));
        return;
      }
      case "pause": {
        this.withSeed(command.seedId, "pause", (s) => {
          s.paused = true;
        });
        return;
      }
      case "cull": {
        this.withSeed(command.seedId, "CULLED", (s) => this.request(s, "CULLED", reason));
        return;
      }
      case "rollback": {
        this.withSeed(command.seedId, "ROLLED_BACK", (s) => this.request(s, "ROLLED_BACK", reason));
        return;
      }
    }
  }

  /**
   * A move that arrived as data (a command line, a resumed checkpoint): checked
   * against the table, refused and recorded when illegal, applied when legal.
   */
  request(seed: SeedState, to: string, reason: string): boolean {
    const check = checkTransition(seed.stage, to);
    if (!check.ok) {
      this.emit({ kind: "refused", seedId: seed.seedId, from: seed.stage, to, reason: check.reason });
      return false;
    }
    this.move(seed, check.transition, reason);
    return true;
  }

  /** Requests a move by seed id; an unknown id is refused like an illegal move. */
  requestById(seedId: string, to: string, reason: string): boolean {
    const seed = this.seeds.get(seedId);
    if (!seed) {
      this.emit({ kind: "refused", seedId, from: "DORMANT", to, reason: `no seed '${seedId}' in this run` });
      return false;
    }
    return this.request(seed, to, reason);
  }

  germinate(slot: string, blueprint: string): SeedState {
    this.counter += 1;
    const seed: SeedState = {
      seedId: `seed-${this.counter}`,
      slot,
      blueprint,
      stage: "DORMANT",
      epochsInStage: 0,
      alpha: 0,
      seedLoss: null,
      lastGate: null,
      paused: false,
      grafted: false,
    };
    this.seeds.set(seed.seedId, seed);
    this.hooks.entered?.(seed, "DORMANT");
    if (this.gate("G0", seed).passed)
      this.move(seed, { from: "DORMANT", to: "GERMINATED" }, "G0 passed: the blueprint fits the slot");
    else this.move(seed, { from: "DORMANT", to: "CANCELLED" }, "G0 failed");
    return seed;
  }

  /** Moves a seed on when its stage is done and its gates pass (see the header). */
  advance(seed: SeedState): void {
    const s = this.settings;
    seed.paused = false;
    switch (seed.stage) {
      case "GERMINATED": {
        this.move(seed, { from: "GERMINATED", to: "TRAINING" }, "training in isolation on the host's activations");
        return;
      }
      case "TRAINING": {
        if (seed.epochsInStage < s.minTrainingEpochs) return;
        const g2 = this.gate("G2", seed);
        if (!g2.passed) {
          if (seed.epochsInStage >= s.maxTrainingEpochs)
            this.move(
              seed,
              { from: "TRAINING", to: "CULLED" },
              `G2: loss did not settle in ${s.maxTrainingEpochs} epochs`,
            );
          return;
        }
        if (this.gate("G3", seed).passed)
          this.move(seed, { from: "TRAINING", to: "GRAFTING" }, "G2 and G3 passed: blending in");
        else this.move(seed, { from: "TRAINING", to: "CULLED" }, "G3 failed: the kernel disagrees with its blueprint");
        return;
      }
      case "GRAFTING":
        if (seed.epochsInStage >= s.graftEpochs)
          this.move(seed, { from: "GRAFTING", to: "STABILIZATION" }, "alpha reached 1");
        return;
      case "STABILIZATION":
        if (seed.epochsInStage >= s.stabilizationEpochs)
          this.move(seed, { from: "STABILIZATION", to: "EVALUATING" }, "stable at alpha 1");
        return;
      case "EVALUATING":
        if (this.gate("G4", seed, "improvement").passed)
          this.move(seed, { from: "EVALUATING", to: "FINE_TUNING" }, "G4: the seed improves validation accuracy");
        else this.move(seed, { from: "EVALUATING", to: "CULLED" }, "G4: no improvement worth keeping");
        return;
      case "FINE_TUNING":
        if (seed.epochsInStage >= s.fineTuneEpochs)
          this.move(seed, { from: "FINE_TUNING", to: "FOSSILIZED" }, "fine-tuned: kept for good");
        return;
      default:
        return;
    }
  }

  /** The checks that run every epoch (G1 while training, G4 while grafting), after the epoch counters move on. */
  endEpoch(): void {
    for (const seed of this.all()) {
      if (!isActive(seed.stage)) continue;
      if (!seed.paused) seed.epochsInStage += 1;
      if (seed.stage === "TRAINING" && !seed.paused) {
        if (!this.gate("G1", seed).passed)
          this.move(seed, { from: "TRAINING", to: "CULLED" }, "G1 failed: unhealthy gradients");
      } else if (seed.stage === "GRAFTING" || seed.stage === "STABILIZATION") {
        if (!this.gate("G4", seed, "drop").passed) this.request(seed, "ROLLED_BACK", "G4 failed: the host got worse");
      }
    }
  }

  /** The breaker tripped on this seed: record it and take the seed out. */
  trip(seed: SeedState, cause: string, values: Record<string, number>): void {
    this.emit({ kind: "breaker", seedId: seed.seedId, cause, values });
    if (!isActive(seed.stage)) return;
    const to = checkTransition(seed.stage, "ROLLED_BACK").ok ? "ROLLED_BACK" : "CULLED";
    this.request(seed, to, `breaker: ${cause}`);
  }

  /**
   * Restores manager state from a checkpoint. The seeds arrive as data: each is
   * checked (the lifecycle table, and `refuse`, see restore-check.ts) before any is
   * taken; every refused seed is recorded as a `refused` event and the restore throws
   * S107, leaving the manager as it was.
   */
  restore(seeds: SeedState[], counter: number, refuse: (seed: SeedState, seen: Set<string>) => string | null): void {
    const seen = new Set<string>();
    const refusals: string[] = [];
    for (const s of seeds) {
      const reason = refuse(s, seen);
      seen.add(String(s.seedId));
      if (reason === null) continue;
      refusals.push(`${String(s.seedId)}: ${reason}`);
      this.emit({
        kind: "refused",
        seedId: String(s.seedId),
        from: "DORMANT",
        to: String(s.stage),
        reason: `resumed checkpoint refused: ${reason}`,
      });
    }
    if (refusals.length > 0) throw new VesperError("S107", `the checkpoint cannot be resumed: ${refusals.join("; ")}`);
    this.seeds.clear();
    for (const s of seeds) this.seeds.set(s.seedId, { ...s });
    this.counter = counter;
  }

  get seedCounter(): number {
    return this.counter;
  }

  private withSeed(seedId: string, to: string, fn: (s: SeedState) => void): void {
    const seed = this.seeds.get(seedId);
    if (!seed) {
      this.emit({ kind: "refused", seedId, from: "DORMANT", to, reason: `no seed '${seedId}' in this run` });
      return;
    }
    if (!isActive(seed.stage)) {
      this.emit({ kind: "refused", seedId, from: seed.stage, to, reason: `${seed.stage} is terminal` });
      return;
    }
    fn(seed);
  }

  private gate(gate: GateName, seed: SeedState, purpose?: "drop" | "improvement"): GateOutcome {
    const outcome = this.gates.run(gate, seed, purpose);
    seed.lastGate = { gate, passed: outcome.passed };
    this.emit({
      kind: "gate",
      seedId: seed.seedId,
      gate,
      passed: outcome.passed,
      values: outcome.values,
      thresholds: outcome.thresholds,
      detail: outcome.detail,
    });
    return outcome;
  }

  private move(seed: SeedState, t: Transition, reason: string): void {
    if (seed.stage !== t.from) {
      // Only reachable through a bug in this file: the typed moves above name their own stage.
      this.emit({ kind: "refused", seedId: seed.seedId, from: seed.stage, to: t.to, reason: `not in ${t.from}` });
      return;
    }
    const from = seed.stage;
    seed.stage = t.to;
    seed.epochsInStage = 0;
    seed.paused = false;
    if (t.to === "GRAFTING") {
      seed.grafted = true;
      seed.alpha = 0;
    }
    if (t.to === "STABILIZATION") seed.alpha = 1;
    this.emit({
      kind: "stage",
      seedId: seed.seedId,
      slot: seed.slot,
      blueprint: seed.blueprint,
      from,
      to: t.to,
      reason,
    });
    const removed = t.to === "CULLED" || t.to === "ROLLED_BACK" || t.to === "CANCELLED";
    if (removed) seed.alpha = 0;
    if (removed && seed.grafted && isGrafted(from)) {
      this.hooks.restoreHost?.(seed);
      this.gate("G5", seed);
    }
    this.hooks.entered?.(seed, from);
  }
}
