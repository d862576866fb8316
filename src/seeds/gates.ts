import type { SeedsConfig } from "../config/seeds-config.js";
import type { GateOutcome } from "./seed-manager.js";

// The gates G0–G5: each a function of measured values and thresholds from the config,
// returning whether it passed, both sets of numbers (recorded with the event) and a
// one-line detail. The trainer measures (gate-runner.ts); these decide. Defaults are
// in src/config/seeds-config.ts and docs/seeds.md.

type Gates = SeedsConfig["gates"];

const outcome = (
  passed: boolean,
  values: Record<string, number>,
  thresholds: Record<string, number>,
  detail: string,
): GateOutcome => ({ passed, values, thresholds, detail });

/** G0 sanity: parameters within the blueprint's bounds, output shape fits the slot, outputs finite and bounded at init. */
export function g0Sanity(
  m: {
    hidden: number;
    hiddenMin: number;
    hiddenMax: number;
    parameters: number;
    maxParameters: number;
    shapeFits: boolean;
    finite: boolean;
    maxAbsOutput: number;
  },
  g: Gates,
): GateOutcome {
  const values = {
    hidden: m.hidden,
    parameters: m.parameters,
    shape_fits: m.shapeFits ? 1 : 0,
    finite: m.finite ? 1 : 0,
    max_abs_output: m.maxAbsOutput,
  };
  const thresholds = {
    hidden_min: m.hiddenMin,
    hidden_max: m.hiddenMax,
    max_parameters: m.maxParameters,
    max_init_output: g.g0MaxInitOutput,
  };
  const problems: string[] = [];
  if (m.hidden < m.hiddenMin || m.hidden > m.hiddenMax)
    problems.push(`hidden width ${m.hidden} outside [${m.hiddenMin}, ${m.hiddenMax}]`);
  if (m.parameters > m.maxParameters) problems.push(`${m.parameters} parameters over ${m.maxParameters}`);
  if (!m.shapeFits) problems.push("output shape does not fit the slot");
  if (!m.finite) problems.push("output not finite at init");
  else if (m.maxAbsOutput > g.g0MaxInitOutput) problems.push(`|output| ${m.maxAbsOutput} over ${g.g0MaxInitOutput}`);
  return outcome(problems.length === 0, values, thresholds, problems.join("; ") || "fits the slot, finite at init");
}

/** G1 gradient health: the seed's gradient norms over the epoch finite and at most the threshold. */
export function g1GradientHealth(m: { maxGradNorm: number; steps: number }, g: Gates): GateOutcome {
  const passed = Number.isFinite(m.maxGradNorm) && m.maxGradNorm <= g.g1MaxGradNorm;
  return outcome(
    passed,
    {
      max_grad_norm: finiteOr(m.maxGradNorm),
      grad_norm_finite: Number.isFinite(m.maxGradNorm) ? 1 : 0,
      steps: m.steps,
    },
    { max_grad_norm: g.g1MaxGradNorm },
    passed ? "gradients finite and bounded" : `gradient norm ${m.maxGradNorm} over ${g.g1MaxGradNorm}`,
  );
}

/** G2 stability: the seed's own epoch loss settled (relative change over the last epoch at most the threshold). */
export function g2Stability(m: { losses: readonly number[] }, g: Gates): GateOutcome {
  const n = m.losses.length;
  if (n < 2)
    return outcome(false, { epochs: n }, { max_loss_change: g.g2MaxLossChange }, "needs two epochs of seed loss");
  const [prev, last] = [m.losses[n - 2]!, m.losses[n - 1]!];
  const change = Math.abs(last - prev) / Math.max(Math.abs(prev), 1e-12);
  const passed = Number.isFinite(change) && change <= g.g2MaxLossChange;
  return outcome(
    passed,
    { loss: finiteOr(last), previous_loss: finiteOr(prev), relative_change: finiteOr(change) },
    { max_loss_change: g.g2MaxLossChange },
    passed ? "the seed's loss has settled" : `loss still moving by ${(change * 100).toFixed(1)}% an epoch`,
  );
}

/** What the interface check (the workbench's reference run) reports. */
export interface InterfaceReport {
  agrees: boolean;
  /** The comparator's worst relative error between the reference and the engine. */
  relError: number;
  tolerance: number;
  rows: number;
  detail: string;
}

/** G3 interface: the engine's float32 forward agrees with the blueprint node run on the reference runtime. */
export function g3Interface(r: InterfaceReport): GateOutcome {
  return outcome(r.agrees, { rel_error: finiteOr(r.relError), rows: r.rows }, { tolerance: r.tolerance }, r.detail);
}

/** G4 system impact while grafting: validation accuracy has not dropped more than the threshold since the graft began. */
export function g4NoDrop(m: { atGraft: number; now: number }, g: Gates): GateOutcome {
  const drop = m.atGraft - m.now;
  const passed = drop <= g.g4MaxDrop;
  return outcome(
    passed,
    { accuracy_at_graft: m.atGraft, accuracy: m.now, drop },
    { max_drop: g.g4MaxDrop },
    passed ? "host accuracy held" : `validation accuracy fell ${(drop * 100).toFixed(2)} points`,
  );
}

/** G4 at EVALUATING: validation accuracy rose by at least the threshold since the graft began. */
export function g4Improvement(m: { atGraft: number; now: number }, g: Gates): GateOutcome {
  const gain = m.now - m.atGraft;
  const passed = gain >= g.g4MinImprovement;
  return outcome(
    passed,
    { accuracy_at_graft: m.atGraft, accuracy: m.now, gain },
    { min_improvement: g.g4MinImprovement },
    passed
      ? `validation accuracy up ${(gain * 100).toFixed(2)} points`
      : `gain ${(gain * 100).toFixed(2)} points, below ${(g.g4MinImprovement * 100).toFixed(2)}`,
  );
}

/** G5 reset: after removal the host's weights equal the snapshot taken before the graft, bit for bit. */
export function g5Reset(m: { differing: number; compared: number }): GateOutcome {
  const passed = m.differing === 0;
  return outcome(
    passed,
    { differing_values: finiteOr(m.differing), compared_values: m.compared },
    { max_differing_values: 0 },
    passed ? "host restored bit for bit" : `${m.differing} host values differ from the snapshot`,
  );
}

/** Records are JSON: a non-finite measurement is recorded as -1 (its flag says why). */
function finiteOr(x: number): number {
  return Number.isFinite(x) ? x : -1;
}
