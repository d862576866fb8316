import { compareValues, type DiffEntry } from "../../exec/comparator.js";
import type { Effect, RunResult, StepEvent } from "../../runtime/protocol.js";
import { formatValue, keyOf, type Value } from "../../values/values.js";
import { showPair, valueAt } from "../value-path.js";

// The difference between a recorded run and its fork, step by step (bindings,
// calls, transitions, failures) and in the outcome (status, state, outputs).
// Exact: a fork is compared with its own original, not across runtimes.

export interface StepChange {
  index: number;
  step: string;
  /** What differs: a binding name, `call tool`, `transition`, `error`, `step` (a different step ran) or `missing`. */
  what: string;
  original: string;
  fork: string;
}

/** A difference in the outcome, with both sides as people read them (the value formatter's rendering). */
export interface OutcomeChange extends DiffEntry {
  shown: { original: string; fork: string };
}

export interface RunDiff {
  steps: StepChange[];
  outcome: OutcomeChange[];
}

const effectText = (e: Effect | undefined): string =>
  !e
    ? "no call"
    : `${e.ok ? `ok ${formatValue(e.result ?? null)}` : `${e.error?.code}: ${e.error?.message}`} after ${e.attempts} attempt${e.attempts === 1 ? "" : "s"}, ${e.elapsedMs} ms`;

function stepChanges(o: StepEvent | undefined, f: StepEvent | undefined, index: number): StepChange[] {
  const step = f?.step ?? o?.step ?? "?";
  if (!o || !f)
    return [
      {
        index,
        step,
        what: "missing",
        original: o ? `ran ${o.step}` : "ended before this step",
        fork: f ? `ran ${f.step}` : "ended before this step",
      },
    ];
  if (o.step !== f.step) return [{ index, step, what: "step", original: o.step, fork: f.step }];
  const out: StepChange[] = [];
  const ob = new Map(o.changed);
  const fb = new Map(f.changed);
  for (const name of new Set([...ob.keys(), ...fb.keys()])) {
    const a = ob.get(name);
    const b = fb.get(name);
    if (a === undefined || b === undefined || keyOf(a) !== keyOf(b)) {
      out.push({
        index,
        step,
        what: name,
        original: a === undefined ? "unbound" : formatValue(a as Value),
        fork: b === undefined ? "unbound" : formatValue(b as Value),
      });
    }
  }
  for (let i = 0; i < Math.max(o.effects.length, f.effects.length); i++) {
    const a = effectText(o.effects[i]);
    const b = effectText(f.effects[i]);
    if (a !== b)
      out.push({ index, step, what: `call ${f.effects[i]?.tool ?? o.effects[i]?.tool}`, original: a, fork: b });
  }
  const t = (e: StepEvent) =>
    e.transition ? `${e.transition.from} → ${e.transition.to}` : e.skipped ? "skipped" : "none";
  if (t(o) !== t(f)) out.push({ index, step, what: "transition", original: t(o), fork: t(f) });
  const err = (e: StepEvent) =>
    e.error ? `${e.error.code}: ${e.error.message}${e.recovered ? ` (recovered: ${e.recovered})` : ""}` : "none";
  if (err(o) !== err(f)) out.push({ index, step, what: "error", original: err(o), fork: err(f) });
  return out;
}

function outcome(o: RunResult | undefined, f: RunResult): OutcomeChange[] {
  const out: OutcomeChange[] = [];
  // Statuses, failures and states are words, shown as they are.
  const word = (d: DiffEntry): OutcomeChange => ({
    ...d,
    shown: { original: String(d.expected ?? "none"), fork: String(d.actual ?? "none") },
  });
  const status = o?.status ?? "incomplete";
  if (status !== f.status)
    out.push(word({ path: "status", expected: status, actual: f.status, reason: "the runs ended differently" }));
  if ((o?.failure?.code ?? null) !== (f.failure?.code ?? null)) {
    out.push(
      word({
        path: "failure",
        expected: o?.failure ? `${o.failure.code}: ${o.failure.message}` : null,
        actual: f.failure ? `${f.failure.code}: ${f.failure.message}` : null,
        reason: "different failures",
      }),
    );
  }
  if ((o?.state ?? null) !== (f.state ?? null))
    out.push(
      word({ path: "state", expected: o?.state ?? null, actual: f.state ?? null, reason: "different final states" }),
    );
  if (o?.output || f.output) {
    const found: DiffEntry[] = [];
    compareValues(o?.output ?? null, f.output ?? null, "output", { tolerance: 0, noisy: [] }, found);
    for (const d of found) {
      // Values are shown by the value formatter, at the part that differs.
      const suffix = d.path.slice("output".length);
      const a = valueAt(o?.output ?? null, suffix);
      const b = valueAt(f.output ?? null, suffix);
      const [original, fork] = showPair(a === undefined ? null : a, b === undefined ? null : b);
      out.push({
        ...d,
        shown: { original: a === undefined ? "absent" : original, fork: b === undefined ? "absent" : fork },
      });
    }
  }
  return out;
}

export function diffRuns(
  original: readonly StepEvent[],
  originalResult: RunResult | undefined,
  fork: readonly StepEvent[],
  forkResult: RunResult,
): RunDiff {
  const steps: StepChange[] = [];
  for (let i = 0; i < Math.max(original.length, fork.length); i++) steps.push(...stepChanges(original[i], fork[i], i));
  return { steps, outcome: outcome(originalResult, forkResult) };
}
