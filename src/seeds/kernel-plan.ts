import type * as TF from "@tensorflow/tfjs";

// A small tensor-op program: the form a blueprint's forward pass takes inside the
// trainer. The workbench translates a blueprint node's `tensor` step into one
// (src/workbench/seed-blueprints.ts); here it is lowered onto TensorFlow.js
// operations, inside whatever gradient function calls `runPlan`, so gradients flow
// through it like any hand-written layer. The plan is the whole definition: no
// operation is added or left out on the way to the engine.

export type PlanExpr =
  | { op: "name"; name: string }
  | { op: "const"; value: number }
  | { op: "matmul"; a: PlanExpr; b: PlanExpr }
  | { op: "add" | "sub" | "mul" | "div"; a: PlanExpr; b: PlanExpr }
  | { op: "neg" | "relu" | "exp" | "sqrt" | "transpose"; a: PlanExpr };

export interface KernelPlan {
  /** The inputs the plan reads: the activations and each weight, by name. */
  inputs: string[];
  /** Named intermediate values, in order; each may read the inputs and earlier names. */
  steps: { name: string; expr: PlanExpr }[];
  /** The name holding the slot's output. */
  output: string;
}

type Tf = typeof TF;

export type MatMul = (a: TF.Tensor, b: TF.Tensor) => TF.Tensor;

/**
 * Runs the plan on TensorFlow.js tensors. `matmul` defaults to tf.matMul; the
 * trainer passes its dense op with transposed gradients (faster on wasm).
 */
export function runPlan(tf: Tf, plan: KernelPlan, bindings: Record<string, TF.Tensor>, matmul?: MatMul): TF.Tensor {
  const env = new Map<string, TF.Tensor>(Object.entries(bindings));
  const mm: MatMul = matmul ?? ((a, b) => tf.matMul(a as TF.Tensor2D, b as TF.Tensor2D));
  const lower = (e: PlanExpr): TF.Tensor => {
    switch (e.op) {
      case "name": {
        const t = env.get(e.name);
        if (!t) throw new Error(`kernel plan reads '${e.name}', which is not bound`);
        return t;
      }
      case "const":
        return tf.scalar(e.value);
      case "matmul":
        return mm(lower(e.a), lower(e.b));
      case "add":
        return tf.add(lower(e.a), lower(e.b));
      case "sub":
        return tf.sub(lower(e.a), lower(e.b));
      case "mul":
        return tf.mul(lower(e.a), lower(e.b));
      case "div":
        return tf.div(lower(e.a), lower(e.b));
      case "neg":
        return tf.neg(lower(e.a));
      case "relu":
        return tf.relu(lower(e.a));
      case "exp":
        return tf.exp(lower(e.a));
      case "sqrt":
        return tf.sqrt(lower(e.a));
      case "transpose":
        return tf.transpose(lower(e.a));
    }
  };
  for (const step of plan.steps) env.set(step.name, lower(step.expr));
  const out = env.get(plan.output);
  if (!out) throw new Error(`kernel plan has no value named '${plan.output}'`);
  return out;
}

/** The plan as text, one step a line (for messages and `veyra seeds blueprints`). */
export function printPlan(plan: KernelPlan): string {
  const show = (e: PlanExpr): string => {
    switch (e.op) {
      case "name":
        return e.name;
      case "const":
        return String(e.value);
      case "matmul":
        return `matmul(${show(e.a)}, ${show(e.b)})`;
      case "add":
      case "sub":
      case "mul":
      case "div":
        return `(${show(e.a)} ${{ add: "+", sub: "-", mul: "*", div: "/" }[e.op]} ${show(e.b)})`;
      default:
        return `${e.op}(${show(e.a)})`;
    }
  };
  return plan.steps.map((s) => `${s.name} = ${show(s.expr)}`).join("\n");
}
