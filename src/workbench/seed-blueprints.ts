import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Expr } from "../expr/ast.js";
import type { Assignment, SourceExpr } from "../ir/ast.js";
import { compareValues, DEFAULT_TOLERANCE, type DiffEntry, tensorError } from "../exec/comparator.js";
import { ExecutionContext } from "../runtime/context.js";
import type { PreparedNode } from "../runtime/prepared.js";
import { ReferenceRuntime } from "../runtime/reference/reference-runtime.js";
import { BLUEPRINTS, type BlueprintSpec } from "../seeds/blueprints.js";
import { type KernelPlan, type PlanExpr, printPlan } from "../seeds/kernel-plan.js";
import type { InterfaceReport } from "../seeds/gates.js";
import type { BlueprintSource, InterfaceCheck, InterfaceRequest } from "../seeds/trainer.js";
import { defaultTools } from "../tools/index.js";
import { UsageError } from "../values/errors.js";
import { Tensor, VRecord, type Value } from "../values/values.js";
import { loadNode } from "./load-node.js";

// Blueprints are Vesper nodes; src/seeds cannot read nodes, so the joining is done
// here. `loadBlueprints` loads each catalog entry's node (examples/blueprints/<name>.vsp),
// checks that its inputs are the weights the catalog declares, and translates its
// one `tensor` step into a KernelPlan (an unsupported function or operator is an
// error naming file:line:col). `interfaceCheck` is G3's reference side: the blueprint
// node run on the reference runtime (binary64) with real activations and the seed's
// weights, compared with the engine's float32 output by the comparator under the
// node's own tolerance.

export interface LoadedBlueprint extends BlueprintSource {
  file: string;
  node: PreparedNode;
}

/** The bundled blueprints folder, found from this file whether it runs from src/ or dist/src/. */
export function blueprintsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "examples", "blueprints");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error("the blueprint nodes (examples/blueprints/) are missing from the installation");
}

/** Loads one blueprint from a node file; the plan comes from the node's tensor step. */
export function loadBlueprint(spec: BlueprintSpec, file = join(blueprintsDir(), `${spec.name}.vsp`)): LoadedBlueprint {
  const node = loadNode(file);
  const inputs = new Set(node.node.inputs.map((i) => i.name));
  for (const name of [spec.activations, ...spec.weights.map((w) => w.name)])
    if (!inputs.has(name))
      throw new UsageError(
        `${file}: blueprint '${spec.name}' needs an input '${name}' (inputs: ${[...inputs].join(", ")})`,
        "U101",
      );
  return { spec, plan: planOf(node, file), file, node };
}

/** Every catalog blueprint, loaded from its node. */
export function loadBlueprints(specs: readonly BlueprintSpec[] = BLUEPRINTS): LoadedBlueprint[] {
  return specs.map((s) => loadBlueprint(s));
}

/** What `veyra seeds blueprints` lists. */
export interface BlueprintListing {
  name: string;
  summary: string;
  risk: string;
  quarantined: boolean;
  hidden: { default: number; min: number; max: number };
  maxParameters: number;
  file: string;
  nodeId: string;
  tolerance: number;
  plan: KernelPlan;
  /** The plan as text, one step a line. */
  planText: string;
}

export function listBlueprints(): BlueprintListing[] {
  return loadBlueprints().map((b) => ({
    name: b.spec.name,
    summary: b.spec.summary,
    risk: b.spec.risk,
    quarantined: b.spec.quarantined,
    hidden: b.spec.hidden,
    maxParameters: b.spec.maxParameters,
    file: b.file,
    nodeId: b.node.node.nodeId.value,
    tolerance: b.node.node.verification.tolerance ?? DEFAULT_TOLERANCE,
    plan: b.plan,
    planText: printPlan(b.plan),
  }));
}

/** The node's tensor step as a KernelPlan; its output is the name the success return gives. */
function planOf(p: PreparedNode, file: string): KernelPlan {
  const flow = p.node.flow;
  const tensorSteps = flow.filter((s) => s.op === "tensor");
  if (tensorSteps.length !== 1)
    throw new UsageError(`${file}: a blueprint node has exactly one tensor step (found ${tensorSteps.length})`, "U101");
  const step = tensorSteps[0] as { assignments: Assignment[] };
  const ret = flow.find((s) => s.op === "return") as { values: Assignment[] } | undefined;
  const out = ret?.values[0];
  if (!out || ret!.values.length !== 1 || out.value.expr?.kind !== "name")
    throw new UsageError(`${file}: a blueprint node returns one tensor, named by its tensor step`, "U101");
  return {
    inputs: p.node.inputs.map((i) => i.name),
    steps: step.assignments.map((a) => ({ name: a.name, expr: translate(a.value, file) })),
    output: out.value.expr.name,
  };
}

const UNARY = { relu: "relu", exp: "exp", sqrt: "sqrt", transpose: "transpose" } as const;
const BINARY = { "+": "add", "-": "sub", "*": "mul", "/": "div" } as const;

function translate(src: SourceExpr, file: string): PlanExpr {
  const fail = (e: Expr, what: string): never => {
    const loc = src.locOf(e.span.start);
    throw new UsageError(
      `${loc.file || file}:${loc.line}:${loc.col}: ${what} cannot be lowered onto the engine for a seed`,
      "U101",
    );
  };
  const walk = (e: Expr): PlanExpr => {
    switch (e.kind) {
      case "name":
        return { op: "name", name: e.name };
      case "integer":
      case "decimal":
        return { op: "const", value: Number(e.text) };
      case "unary":
        if (e.op === "-") return { op: "neg", a: walk(e.operand) };
        return fail(e, "NOT");
      case "binary": {
        const op = BINARY[e.op as keyof typeof BINARY];
        if (!op) return fail(e, `the operator ${e.op}`);
        return { op, a: walk(e.left), b: walk(e.right) };
      }
      case "call": {
        if (e.callee === "matmul" && e.args.length === 2)
          return { op: "matmul", a: walk(e.args[0]!), b: walk(e.args[1]!) };
        const op = UNARY[e.callee as keyof typeof UNARY];
        if (op && e.args.length === 1) return { op, a: walk(e.args[0]!) };
        return fail(e, `the function ${e.callee}()`);
      }
      default:
        return fail(e, `a ${e.kind} expression`);
    }
  };
  if (!src.expr) throw new UsageError(`${file}: '${src.text}' did not parse`, "U101");
  return walk(src.expr);
}

/**
 * G3's reference side for a set of loaded blueprints: runs the blueprint's node on
 * the reference runtime with the request's activations and weights and compares its
 * output with the engine's through the comparator, under the node's tolerance.
 */
export function interfaceCheck(blueprints: readonly LoadedBlueprint[]): InterfaceCheck {
  const byName = new Map(blueprints.map((b) => [b.spec.name, b]));
  const runtime = new ReferenceRuntime();
  const tools = defaultTools();
  return async (req: InterfaceRequest): Promise<InterfaceReport> => {
    const bp = byName.get(req.blueprint);
    const rows = req.activations.shape[0] ?? 0;
    if (!bp)
      return {
        agrees: false,
        relError: Number.NaN,
        tolerance: 0,
        rows,
        detail: `no node for blueprint '${req.blueprint}'`,
      };
    const tolerance = bp.node.node.verification.tolerance ?? DEFAULT_TOLERANCE;
    const f64 = (shape: readonly number[], data: Float32Array) => new Tensor(shape, Float64Array.from(data));
    const inputs = new Map<string, Value>([
      [bp.spec.activations, f64(req.activations.shape, req.activations.data as Float32Array)],
    ]);
    for (const w of req.weights) inputs.set(w.name, f64(w.shape, w.data));
    const ctx = new ExecutionContext({ seed: 0, grants: bp.node.grants, tools });
    const result = await runtime.run(bp.node, inputs, ctx);
    const outputName = bp.plan.output;
    const expected = result.output instanceof VRecord ? result.output.fields.get(outputName) : undefined;
    if (result.status !== "success" || !(expected instanceof Tensor))
      return {
        agrees: false,
        relError: Number.NaN,
        tolerance,
        rows,
        detail: `the reference run of ${bp.file} ended ${result.status}${result.failure ? `: ${result.failure.message}` : ""}`,
      };
    const diffs: DiffEntry[] = [];
    compareValues(expected, req.engineOutput, `output.${outputName}`, { tolerance, noisy: [] }, diffs);
    const relError =
      expected.shape.join() === req.engineOutput.shape.join()
        ? tensorError(expected, req.engineOutput)
        : Number.POSITIVE_INFINITY;
    return {
      agrees: diffs.length === 0,
      relError,
      tolerance,
      rows,
      detail:
        diffs.length === 0
          ? `the engine agrees with ${bp.node.node.nodeId.value} on the reference runtime (relative error ${relError.toExponential(2)})`
          : `${diffs[0]!.path}: ${diffs[0]!.reason}`,
    };
  };
}
