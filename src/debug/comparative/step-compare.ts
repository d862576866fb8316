import { compareResults, compareValues, floatError, type DiffEntry } from "../../exec/comparator.js";
import type { Effect, RunResult, StepEvent } from "../../runtime/protocol.js";
import { formatValue, Tensor, type Value } from "../../values/values.js";
import { valueAt } from "../value-path.js";
import type { SideView } from "./side-view.js";
import { locateInTensor, type TensorLocation } from "./tensor-locate.js";

// Compares what the two runtimes did in one lockstep step, with the divergence
// comparator's rules (exact for integers, decimals, strings; relative error against
// the node's tolerance for floats and tensors; noisy fields ignored). Only this
// step's work is compared (the bindings it changed, its calls, its transition, its
// contract checks, its failure, its result), so a difference is reported at the step
// that made it and not again at every step after; `diff` shows the whole state.

export interface CompareRules {
  tolerance: number;
  noisy: readonly string[];
}

export type DiffKind = "step" | "binding" | "call" | "state" | "contract" | "error" | "result";

export interface StepDiff extends DiffEntry {
  kind: DiffKind;
  /** Both values at the path as the value formatter shows them (absent for words: steps, states, codes). */
  shown?: { expected: string; actual: string };
  /** For two floats: |a − b| / |b|. */
  relativeError?: number;
  /** For two tensors of one shape: where they differ most. */
  tensor?: TensorLocation;
}

export interface StepComparison {
  diffs: StepDiff[];
  /** The first binding (in the order the step assigns them) that differs. */
  firstBinding?: string;
}

export function compareStep(
  ref: SideView,
  dir: SideView,
  refEv: StepEvent | undefined,
  dirEv: StepEvent | undefined,
  rules: CompareRules,
): StepComparison {
  const diffs: StepDiff[] = [];
  const add = (kind: DiffKind, entries: DiffEntry[]) => diffs.push(...entries.map((d) => ({ ...d, kind })));
  // One run ended at an earlier step: that was the divergence, reported where it ended.
  if (!refEv || !dirEv) return { diffs };
  if (refEv.step !== dirEv.step) {
    diffs.push({
      kind: "step",
      path: "step",
      expected: refEv.step,
      actual: dirEv.step,
      reason: "the runtimes ran different steps",
    });
    return { diffs };
  }
  if (!!refEv.skipped !== !!dirEv.skipped) {
    diffs.push({
      kind: "step",
      path: `${refEv.step}.guards`,
      expected: !refEv.skipped,
      actual: !dirEv.skipped,
      reason: "the step's guards disagree",
    });
  }
  if (refEv.branch !== dirEv.branch) {
    diffs.push({
      kind: "step",
      path: `${refEv.step}.branch`,
      expected: refEv.branch ?? null,
      actual: dirEv.branch ?? null,
      reason: "the branch took different arms",
    });
  }
  let firstBinding: string | undefined;
  const names = [...new Set([...refEv.changed.map(([k]) => k), ...dirEv.changed.map(([k]) => k)])];
  for (const name of names) {
    const found = bindingDiffs(name, ref.bindings.get(name) ?? null, dir.bindings.get(name) ?? null, rules);
    if (found.length > 0) firstBinding ??= name;
    diffs.push(...found);
  }
  add("call", effectDiffs(refEv.effects, dirEv.effects, rules));
  if (refEv.transition?.to !== dirEv.transition?.to) {
    diffs.push({
      kind: "state",
      path: "state",
      expected: refEv.transition?.to ?? ref.state ?? null,
      actual: dirEv.transition?.to ?? dir.state ?? null,
      reason: "the runtimes moved to different states",
    });
  }
  const failedRef = failedContracts(refEv);
  const failedDir = failedContracts(dirEv);
  if (failedRef !== failedDir)
    diffs.push({
      kind: "contract",
      path: "contracts",
      expected: failedRef || null,
      actual: failedDir || null,
      reason: "different contracts failed",
    });
  if (refEv.error?.code !== dirEv.error?.code) {
    diffs.push({
      kind: "error",
      path: "error",
      expected: refEv.error?.code ?? null,
      actual: dirEv.error?.code ?? null,
      reason: errorReason(refEv, dirEv),
    });
  }
  if (refEv.result && dirEv.result) diffs.push(...resultDiffs(refEv.result, dirEv.result, rules));
  else if (refEv.result || dirEv.result) {
    const [ended, goes] = refEv.result ? ["reference", "direct"] : ["direct", "reference"];
    const r = (refEv.result ?? dirEv.result)!;
    diffs.push({
      kind: "result",
      path: "result.status",
      expected: refEv.result?.status ?? null,
      actual: dirEv.result?.status ?? null,
      reason: `the ${ended} run ended here (${r.status}), the ${goes} run goes on`,
    });
  }
  return { diffs, firstBinding };
}

/** The differences inside one binding, with the relative error or the worst tensor element. */
export function bindingDiffs(name: string, e: Value, a: Value, rules: CompareRules): StepDiff[] {
  const found: DiffEntry[] = [];
  compareValues(e, a, name, rules, found);
  return found.map((d) => {
    const diff: StepDiff = { ...d, kind: "binding", ...shownAt(e, a, d.path.slice(name.length)) };
    if (d.path === name && typeof e === "number" && typeof a === "number") diff.relativeError = floatError(e, a);
    if (d.path === name && e instanceof Tensor && a instanceof Tensor) {
      const at = locateInTensor(e, a, rules.tolerance);
      if (at) {
        diff.tensor = at;
        diff.relativeError = at.relativeNorm;
      }
    }
    return diff;
  });
}

/** The comparator's differences between two values under `path`, each with both values as shown. */
function shownValues(e: Value, a: Value, path: string, rules: CompareRules, out: DiffEntry[]): void {
  const found: DiffEntry[] = [];
  compareValues(e, a, path, rules, found);
  for (const d of found) out.push({ ...d, ...shownAt(e, a, d.path.slice(path.length)) });
}

/** The values at `suffix` under both roots, formatted; nothing when either cannot be found. */
function shownAt(e: Value, a: Value, suffix: string): { shown?: StepDiff["shown"] } {
  const x = valueAt(e, suffix);
  const y = valueAt(a, suffix);
  return x === undefined || y === undefined ? {} : { shown: { expected: formatValue(x), actual: formatValue(y) } };
}

/** A result's differences (paths under `result.`), output values shown. */
function resultDiffs(ref: RunResult, dir: RunResult, rules: CompareRules): StepDiff[] {
  return compareResults(ref, dir, rules).map((d) => ({
    ...d,
    kind: "result" as const,
    path: `result.${d.path}`,
    ...(d.path === "output" || d.path.startsWith("output.") || d.path.startsWith("output[")
      ? shownAt(ref.output ?? null, dir.output ?? null, d.path.slice("output".length))
      : {}),
  }));
}

function effectDiffs(ref: Effect[], dir: Effect[], rules: CompareRules): DiffEntry[] {
  const out: DiffEntry[] = [];
  const n = Math.max(ref.length, dir.length);
  for (let i = 0; i < n; i++) {
    const e = ref[i];
    const a = dir[i];
    const path = `call ${e?.tool ?? a?.tool}`;
    if (!e || !a) {
      out.push({
        path,
        expected: e ? e.tool : null,
        actual: a ? a.tool : null,
        reason: `only the ${e ? "reference" : "direct"} runtime made this call`,
      });
      continue;
    }
    if (e.tool !== a.tool) {
      out.push({ path, expected: e.tool, actual: a.tool, reason: "the runtimes called different tools" });
      continue;
    }
    shownValues(e.args, a.args, `${path} args`, rules, out);
    if (e.ok !== a.ok || e.error?.code !== a.error?.code) {
      out.push({
        path: `${path} outcome`,
        expected: e.ok ? "ok" : (e.error?.code ?? "failed"),
        actual: a.ok ? "ok" : (a.error?.code ?? "failed"),
        reason: "the call ended differently",
      });
    } else if (e.ok) {
      shownValues(e.result ?? null, a.result ?? null, `${path} result`, rules, out);
    }
  }
  return out;
}

function failedContracts(ev: StepEvent): string {
  return ev.contracts
    .filter((c) => !c.passed)
    .map((c) => `${c.kind} ${c.name}`)
    .join("; ");
}

function errorReason(r: StepEvent, d: StepEvent): string {
  const which = r.error
    ? d.error
      ? "the steps failed differently"
      : "only the reference runtime's step failed"
    : "only the direct runtime's step failed";
  const msg = d.error?.message ?? r.error?.message;
  return msg ? `${which}: ${msg}` : which;
}

/** A whole-state comparison at a pause: every binding, the state, and the results. */
export function compareState(ref: SideView, dir: SideView, rules: CompareRules): StepDiff[] {
  const diffs: StepDiff[] = [];
  for (const name of new Set([...ref.bindings.keys(), ...dir.bindings.keys()])) {
    diffs.push(...bindingDiffs(name, ref.bindings.get(name) ?? null, dir.bindings.get(name) ?? null, rules));
  }
  if (ref.state !== dir.state)
    diffs.push({
      kind: "state",
      path: "state",
      expected: ref.state ?? null,
      actual: dir.state ?? null,
      reason: "different states",
    });
  if (ref.result && dir.result) diffs.push(...resultDiffs(ref.result, dir.result, rules));
  else if (ref.result || dir.result) {
    diffs.push({
      kind: "result",
      path: "result.status",
      expected: ref.result?.status ?? null,
      actual: dir.result?.status ?? null,
      reason: "only one run has ended",
    });
  }
  return diffs;
}
