// The records a seed run produces, and the sink they go to: the contract between
// the trainer (which makes them) and the telemetry tables in the store (which keep
// them, hash-chain the events, and let `veyra seeds watch` and the TUI follow
// them). Plain data only: JSON-safe numbers and strings, no tensors, so a record
// prints, stores and compares the same everywhere. Wall-clock fields (`at`,
// `seconds`) are the only ones allowed to differ between two runs with the same
// seed on the same backend; everything else is deterministic.

/** The lifecycle's eleven stages (lifecycle.ts holds the one transition table). */
export const SEED_STAGES = [
  "DORMANT",
  "GERMINATED",
  "TRAINING",
  "GRAFTING",
  "STABILIZATION",
  "EVALUATING",
  "FINE_TUNING",
  "FOSSILIZED",
  "CULLED",
  "CANCELLED",
  "ROLLED_BACK",
] as const;
export type SeedStage = (typeof SEED_STAGES)[number];

export const GATES = ["G0", "G1", "G2", "G3", "G4", "G5"] as const;
export type GateName = (typeof GATES)[number];

export type RiskTier = "safe" | "experimental" | "high_risk";

export type Dataset = "mnist" | "spirals";

/** A run trains the seeded host, and with --baseline also the bare host under the same seed. */
export type Series = "seeded" | "baseline";

export type RunStatus = "running" | "finished" | "interrupted" | "failed";

/** What the policy tells the seed manager after an epoch. */
export type PolicyCommand =
  | { kind: "germinate"; slot: string; blueprint: string }
  | { kind: "advance"; seedId: string }
  | { kind: "pause"; seedId: string }
  | { kind: "cull"; seedId: string }
  | { kind: "rollback"; seedId: string }
  | { kind: "wait" };

/** A seed as the epoch ended. */
export interface SeedSnapshot {
  seedId: string;
  slot: string;
  blueprint: string;
  stage: SeedStage;
  /** Blending weight in [0, 1]: 0 until GRAFTING, 1 from STABILIZATION on. */
  alpha: number;
  /** The seed's own loss while it trains in isolation (null before TRAINING). */
  seedLoss: number | null;
  lastGate: { gate: GateName; passed: boolean } | null;
}

export interface RunHeader {
  runId: string;
  dataset: Dataset;
  epochs: number;
  seed: number;
  /** The engine backend that trained (e.g. "wasm"). */
  backend: string;
  baseline: boolean;
  /** The resolved seeds settings (defaults, config file, flags) as plain JSON. */
  config: Record<string, unknown>;
  /**
   * True when this continues an interrupted run from its last checkpoint: the same
   * runId, its rows kept, its event chain continued, its status back to running.
   */
  resumed: boolean;
  /** Unix milliseconds. */
  startedAt: number;
}

export interface EpochRecord {
  runId: string;
  series: Series;
  /** 1-based. */
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Held-out validation accuracy the gates and the policy read. */
  validationAccuracy: number;
  /** Relative change of the validation loss over the policy's plateau window. */
  plateau: number;
  samplesPerSecond: number;
  /** Wall-clock seconds the epoch took (training, evaluation and gates). */
  seconds: number;
  seeds: SeedSnapshot[];
}

/** Per-batch loss, written in batches with the epoch. */
export interface StepRecord {
  runId: string;
  series: Series;
  epoch: number;
  /** Batch number within the epoch, 0-based. */
  step: number;
  loss: number;
}

export type SeedEvent =
  | { kind: "stage"; seedId: string; slot: string; blueprint: string; from: SeedStage; to: SeedStage; reason: string }
  | {
      kind: "gate";
      seedId: string;
      gate: GateName;
      passed: boolean;
      /** The measured values the check compared, by name. */
      values: Record<string, number>;
      /** The thresholds from the config, by name. */
      thresholds: Record<string, number>;
      detail: string;
    }
  | { kind: "command"; command: PolicyCommand; reason: string }
  | { kind: "breaker"; seedId: string; cause: string; values: Record<string, number> }
  | { kind: "isolation"; seedId: string; ok: boolean; values: Record<string, number> }
  | { kind: "refused"; seedId: string; from: SeedStage; to: string; reason: string }
  | { kind: "checkpoint"; epoch: number }
  | { kind: "run"; status: RunStatus; detail: string };

export interface EventRecord {
  runId: string;
  /** 0-based position in the run's event chain. */
  seq: number;
  series: Series;
  epoch: number;
  event: SeedEvent;
  /** Unix milliseconds. */
  at: number;
}

export interface RunSummary {
  runId: string;
  status: RunStatus;
  epochs: number;
  finalTestAccuracy: number;
  /** The bare host's final test accuracy when --baseline ran, else null. */
  baselineTestAccuracy: number | null;
  seeds: SeedSnapshot[];
}

/**
 * Where a run's records go. The trainer calls these in order: startRun, then per
 * epoch any number of steps/events and one epoch, then finish. Implementations
 * batch as they like; `flush` makes everything so far durable (the trainer calls it
 * before a checkpoint is relied on and at the end). A sink never blocks on readers.
 */
export interface TelemetrySink {
  startRun(header: RunHeader): void;
  steps(records: StepRecord[]): void;
  event(record: EventRecord): void;
  epoch(record: EpochRecord): void;
  /** The trainer's whole state after `epoch` (trainer-defined bytes), for --resume. */
  checkpoint(runId: string, epoch: number, state: Uint8Array): void;
  /** The newest checkpoint of a run, or null. */
  lastCheckpoint(runId: string): { epoch: number; state: Uint8Array } | null;
  finish(summary: RunSummary): void;
  flush(): void;
  close(): void;
}
