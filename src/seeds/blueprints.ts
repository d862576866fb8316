import type { RiskTier } from "./records.js";

// The blueprint catalog: what a seed can be grown from. Each entry names the Vesper
// node that defines its forward pass (examples/blueprints/<name>.vsp, whose tensor
// step the workbench turns into a KernelPlan), the weights that node takes (shapes in
// terms of the slot's input width `in`, output width `out` and the blueprint's
// `hidden` width), a risk tier, the bounds its parameters must stay within (G0
// checks them) and a quarantine flag (a quarantined blueprint is never germinated).

export type Dim = "in" | "out" | "hidden" | number;

export interface WeightSpec {
  name: string;
  shape: Dim[];
  /** he: normal·sqrt(2/fan-in); small: normal·0.1·sqrt(1/fan-in); zero. */
  init: "he" | "small" | "zero";
}

export interface BlueprintSpec {
  name: string;
  summary: string;
  risk: RiskTier;
  quarantined: boolean;
  /** The activations' input name in the node. */
  activations: string;
  weights: WeightSpec[];
  /** The hidden width used unless the config sets one, and its bounds. */
  hidden: { default: number; min: number; max: number };
  /** G0: the most parameters a seed of this blueprint may have. */
  maxParameters: number;
}

export const BLUEPRINTS: readonly BlueprintSpec[] = [
  {
    name: "bottleneck_adapter",
    summary: "down-project, ReLU, up-project: relu(x·down)·up",
    risk: "safe",
    quarantined: false,
    activations: "x",
    weights: [
      { name: "down", shape: ["in", "hidden"], init: "he" },
      { name: "up", shape: ["hidden", "out"], init: "small" },
    ],
    hidden: { default: 16, min: 2, max: 128 },
    maxParameters: 200_000,
  },
  {
    name: "low_rank_linear",
    summary: "a linear map of low rank: (x·u)·v",
    risk: "safe",
    quarantined: false,
    activations: "x",
    weights: [
      { name: "u", shape: ["in", "hidden"], init: "he" },
      { name: "v", shape: ["hidden", "out"], init: "small" },
    ],
    hidden: { default: 8, min: 1, max: 64 },
    maxParameters: 100_000,
  },
  {
    name: "wider_block",
    summary: "a wider hidden block with a bias: relu(x·w1 + b1)·w2",
    risk: "experimental",
    quarantined: false,
    activations: "x",
    weights: [
      { name: "w1", shape: ["in", "hidden"], init: "he" },
      { name: "b1", shape: ["hidden"], init: "zero" },
      { name: "w2", shape: ["hidden", "out"], init: "small" },
    ],
    hidden: { default: 64, min: 8, max: 512 },
    maxParameters: 500_000,
  },
  {
    name: "gated_unit",
    summary: "a gated unit: (relu(x·wa) * sigmoid(x·wg))·wo, the sigmoid as 1/(1+exp(-z))",
    risk: "high_risk",
    quarantined: false,
    activations: "x",
    weights: [
      { name: "wa", shape: ["in", "hidden"], init: "he" },
      { name: "wg", shape: ["in", "hidden"], init: "he" },
      { name: "wo", shape: ["hidden", "out"], init: "small" },
    ],
    hidden: { default: 32, min: 4, max: 256 },
    maxParameters: 300_000,
  },
];

const RISK_ORDER: readonly RiskTier[] = ["safe", "experimental", "high_risk"];

export function riskRank(tier: RiskTier): number {
  return RISK_ORDER.indexOf(tier);
}

export function findBlueprint(name: string, catalog: readonly BlueprintSpec[] = BLUEPRINTS): BlueprintSpec | undefined {
  return catalog.find((b) => b.name === name);
}

/** A weight's concrete shape in a slot of the given widths. */
export function weightShape(spec: WeightSpec, dims: { in: number; out: number; hidden: number }): number[] {
  return spec.shape.map((d) => (typeof d === "number" ? d : dims[d]));
}

export function parameterCount(bp: BlueprintSpec, dims: { in: number; out: number; hidden: number }): number {
  return bp.weights.reduce((n, w) => n + weightShape(w, dims).reduce((a, b) => a * b, 1), 0);
}
