import { Decimal } from "../../src/values/decimal.js";
import { ENGINE, type Constant, type Op } from "../../src/runtime/direct/op-tree.js";
import { fromS, Sc } from "../../src/runtime/direct/scaled.js";
import { lowerNode, type Instr, type LoweredNode } from "../../src/runtime/direct/layout.js";
import { InvalidNodeError, prepareSource, resolveInputs, type PreparedNode } from "../../src/runtime/prepared.js";
import { Machine, type CompiledTier } from "../../src/runtime/direct/machine.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import type { Value } from "../../src/values/values.js";
import { context } from "./runtimes.js";

// Helpers for the tests of the direct runtime's compiler passes: tiny nodes from a
// few YAML blocks, and a compact text form of an operation tree so a test can state
// the exact tree a pass produced ("addI(x@0, 1n)") rather than walk objects.

export interface NodeParts {
  inputs?: string;
  types?: string;
  states?: string;
  contracts?: string;
  /** The success output's fields; one integer `y` by default. */
  outputs?: string;
  /** The error output's fields, when the node declares one. */
  errors?: string;
  /** The flow's steps; blocks given in a list are dedented one by one, then joined. */
  flow: string | string[];
}

/** A final step returning `y: x`, for flows that only need to be valid. */
export const RETURN_X = `
- step: done
  op: return
  output: success
  values:
    y: "x"`;

/** Removes the common indentation of a block and indents it by `by` spaces. */
function block(text: string, by: number): string {
  const lines = text.replace(/^\n+|\s+$/g, "").split("\n");
  const common = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => (l.trim() ? " ".repeat(by) + l.slice(common) : "")).join("\n");
}

export function nodeYaml(parts: NodeParts): string {
  const section = (name: string, text: string | undefined) => (text ? `${name}:\n${block(text, 2)}\n` : "");
  return [
    "node_id: t.passes@1.0.0\ntype: function\n",
    section("types", parts.types),
    section("inputs", parts.inputs ?? "x: integer"),
    `outputs:\n  success:\n${block(parts.outputs ?? "y: integer", 4)}\n`,
    parts.errors ? `  error:\n${block(parts.errors, 4)}\n` : "",
    section("states", parts.states),
    section("contracts", parts.contracts),
    section("flow", typeof parts.flow === "string" ? parts.flow : parts.flow.map((b) => block(b, 0)).join("\n")),
  ].join("");
}

/** A validated node from parts; a node that does not validate fails the test with its diagnostics. */
export function prepared(parts: NodeParts): PreparedNode {
  const text = nodeYaml(parts);
  try {
    return prepareSource("passes.vsp", text);
  } catch (err) {
    if (!(err instanceof InvalidNodeError)) throw err;
    const lines = err.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);
    throw new Error(`the test's node is invalid:\n${lines.join("\n")}\n---\n${text}`);
  }
}

export function lowered(parts: NodeParts): { p: PreparedNode; L: LoweredNode } {
  const p = prepared(parts);
  return { p, L: lowerNode(p) };
}

export function instr(L: LoweredNode, step: string): Instr {
  const found = L.instrs.find((i) => i.step.name === step);
  if (!found) throw new Error(`no step '${step}' (steps: ${L.instrs.map((i) => i.step.name).join(", ")})`);
  return found;
}

/** The operation tree of assignment `name` in compute/tensor step `step`. */
export function assigned(L: LoweredNode, step: string, name: string): Op {
  const i = instr(L, step);
  if (i.body.op !== "compute" && i.body.op !== "tensor") throw new Error(`step '${step}' assigns nothing`);
  const slot = L.slots.names.lastIndexOf(name);
  const a = i.body.assignments.find((x) => L.slots.names[x.slot] === name);
  if (!a) throw new Error(`step '${step}' does not assign '${name}' (slot ${slot})`);
  return a.value.op;
}

const isSpan = (v: unknown): boolean =>
  typeof v === "object" && v !== null && "start" in v && "end" in v && Object.keys(v).length === 2;

function constant(v: Constant): string {
  if (v === ENGINE) return "E";
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "number") return `f${v}`;
  if (Decimal.isDecimal(v)) return `d${(v as Decimal).toString()}`;
  if (v instanceof Sc) return `s${fromS(v).toString()}`;
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/**
 * An operation tree as text. Spans (error positions) are left out; a slot reads as
 * name@index, wrapped in bound(…) when the read checks that the name is bound.
 */
export function show(op: Op): string {
  const args = (list: Op[]) =>
    list
      .filter((a) => !(a.k === "const" && isSpan(a.value)))
      .map(show)
      .join(", ");
  switch (op.k) {
    case "const":
      return constant(op.value);
    case "slot":
      return op.alwaysBound ? `${op.name}@${op.index}` : `bound(${op.name}@${op.index})`;
    case "call":
      return `${op.fn}(${args(op.args)})`;
    case "inline":
      if (op.op === "neg") return `-${show(op.args[0]!)}`;
      if (op.op === "!") return `!${show(op.args[0]!)}`;
      return `(${show(op.args[0]!)} ${op.op} ${show(op.args[1]!)})`;
    case "method":
      return `${show(op.target)}.${op.method}(${args(op.args)})`;
    case "and":
      return `(${show(op.left)} && ${show(op.right)})`;
    case "or":
      return `(${show(op.left)} || ${show(op.right)})`;
    case "list":
      return `[${args(op.items)}]`;
    case "loop":
      return `${op.kind} @${op.slot} IN ${show(op.collection)}: ${show(op.body)} :${op.bodyKind}`;
    case "context":
      return `${op.fn}()`;
    case "old":
      return `old[${op.index}]`;
    case "guard":
      return `numbers(${op.slots.join(", ")}) ? ${show(op.fast)} : ${show(op.slow)}`;
  }
}

/** A Machine (the direct runtime's run state) over a compiled tier, in a fresh context. */
export function machine(p: PreparedNode, L: LoweredNode, tier: CompiledTier, given: Record<string, Value>): Machine {
  return new Machine(p, L, tier, context(p), resolveInputs(p, new Map(Object.entries(given))));
}

/** Runs a Machine step by step, as the debugger does: enter, then one instruction at a time. */
export async function stepThrough(m: Machine): Promise<RunResult> {
  if (m.enter()) while (!m.result) await m.step();
  return m.result!;
}
