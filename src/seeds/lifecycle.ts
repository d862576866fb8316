import { SEED_STAGES, type SeedStage } from "./records.js";

// The seed lifecycle's one transition table. Everything that moves a seed goes
// through here: the typed API (`Transition`) only admits pairs in the table, so an
// illegal move cannot be written in code; a stage name arriving from outside (a
// resumed checkpoint, a command line) is checked by `checkTransition`, and a refusal
// is the caller's to record (the seed manager records it as a `refused` event).
//
//   DORMANT ─G0─▶ GERMINATED ─▶ TRAINING ─G2,G3─▶ GRAFTING ─▶ STABILIZATION ─▶ EVALUATING ─▶ FINE_TUNING ─▶ FOSSILIZED
//      │              │             │ (G1)            │ (G4)         │ (G4)            │                │
//      ▼              ▼             ▼                 ▼              ▼                 ▼                ▼
//   CANCELLED  CULLED / CANCELLED  CULLED / ROLLED_BACK / CANCELLED  CULLED / ROLLED_BACK  ROLLED_BACK  CULLED / ROLLED_BACK  CULLED / ROLLED_BACK
//
// FOSSILIZED, CULLED, CANCELLED and ROLLED_BACK are terminal.

export const TRANSITIONS = {
  DORMANT: ["GERMINATED", "CANCELLED"],
  GERMINATED: ["TRAINING", "CULLED", "CANCELLED"],
  TRAINING: ["GRAFTING", "CULLED", "CANCELLED", "ROLLED_BACK"],
  GRAFTING: ["STABILIZATION", "CULLED", "ROLLED_BACK"],
  STABILIZATION: ["EVALUATING", "ROLLED_BACK"],
  EVALUATING: ["FINE_TUNING", "CULLED", "ROLLED_BACK"],
  FINE_TUNING: ["FOSSILIZED", "CULLED", "ROLLED_BACK"],
  FOSSILIZED: [],
  CULLED: [],
  CANCELLED: [],
  ROLLED_BACK: [],
} as const satisfies Record<SeedStage, readonly SeedStage[]>;

/** The stages a seed in stage S may move to. */
export type NextStage<S extends SeedStage> = (typeof TRANSITIONS)[S][number];

/** Every legal move as a pair: the only thing the typed API accepts. */
export type Transition = { [F in SeedStage]: { from: F; to: NextStage<F> } }[SeedStage];

export const TERMINAL_STAGES: readonly SeedStage[] = SEED_STAGES.filter((s) => TRANSITIONS[s].length === 0);

/** Stages in which the seed's output is blended into the host (a snapshot of the host exists). */
export const GRAFTED_STAGES: readonly SeedStage[] = ["GRAFTING", "STABILIZATION", "EVALUATING", "FINE_TUNING"];

export function isTerminal(stage: SeedStage): boolean {
  return TRANSITIONS[stage].length === 0;
}

/** Live: not yet in a terminal stage. */
export function isActive(stage: SeedStage): boolean {
  return !isTerminal(stage);
}

export function isGrafted(stage: SeedStage): boolean {
  return GRAFTED_STAGES.includes(stage);
}

export function isStage(name: string): name is SeedStage {
  return (SEED_STAGES as readonly string[]).includes(name);
}

export function legalNext(from: SeedStage): readonly SeedStage[] {
  return TRANSITIONS[from];
}

export type TransitionCheck = { ok: true; transition: Transition } | { ok: false; reason: string };

/** Checks a move that arrived as data (any string): legal moves come back typed, others with the reason. */
export function checkTransition(from: string, to: string): TransitionCheck {
  if (!isStage(from)) return { ok: false, reason: `'${from}' is not a lifecycle stage` };
  if (!isStage(to))
    return { ok: false, reason: `'${to}' is not a lifecycle stage (stages: ${SEED_STAGES.join(", ")})` };
  const next = legalNext(from);
  if (!next.includes(to)) {
    const allowed = next.length === 0 ? `${from} is terminal` : `from ${from} a seed may go to ${next.join(", ")}`;
    return { ok: false, reason: `${from} → ${to} is not a lifecycle transition: ${allowed}` };
  }
  return { ok: true, transition: { from, to } as Transition };
}
