import { DebugError } from "./debug-error.js";
import { compileExpression, evaluateOn, nodeScope, type DebugExpr } from "./expression.js";
import type { FlowMap } from "./flow-map.js";
import type { SideView } from "./side-view.js";
import type { StepComparison } from "./step-compare.js";
import { didYouMean } from "../../values/suggest.js";
import type { Step } from "../../ir/ast.js";
import type { PreparedNode } from "../../runtime/prepared.js";
import type { RuntimeName, StepEvent } from "../../runtime/protocol.js";

// Semantic breakpoints. Two kinds of moment:
//   before a step runs: step:NAME, call:TOOL (the view then shows the call about
//     to be made, with its arguments on each side);
//   after a step ran: divergence, contract_violation, state_transition:FROM->TO,
//     and expressions (which stop when the condition becomes true on either side).
// A spec is checked against the node when it is given: an unknown step, tool or
// state, or an expression that does not parse or type-check, is refused then.

export type BreakKind = "divergence" | "contract_violation" | "state_transition" | "step" | "call" | "expression";

export interface BreakSpec {
  kind: BreakKind;
  /** The text as the user gave it. */
  spec: string;
  name?: string;
  tool?: string;
  from?: string;
  to?: string;
  expr?: DebugExpr;
}

export interface Breakpoint extends BreakSpec {
  id: number;
  hits: number;
}

export interface Hit {
  breakpoint: Breakpoint;
  /** Which runtimes met the condition. */
  sides: RuntimeName[];
  /** One line saying what happened. */
  message: string;
}

const KINDS = [
  "divergence",
  "contract_violation",
  "state_transition:FROM->TO",
  "step:NAME",
  "call:TOOL",
  "an expression such as 'amount > 100'",
];
const KIND_WORDS = ["divergence", "contract_violation", "state_transition", "step", "call"];

export function parseBreakSpec(p: PreparedNode, flow: FlowMap, raw: string): BreakSpec {
  const spec = raw.trim();
  if (spec === "") throw new DebugError(`a breakpoint needs a spec (breakpoints: ${KINDS.join(", ")})`, "U203");
  if (spec === "divergence" || spec === "contract_violation") return { kind: spec, spec };
  const prefixed = /^(state_transition|step|call):(.*)$/s.exec(spec);
  if (prefixed) {
    const [, kind, rest] = prefixed as unknown as [string, "state_transition" | "step" | "call", string];
    const arg = rest.trim();
    if (kind === "step") return { kind, spec, name: knownStep(flow, arg) };
    if (kind === "call") return { kind, spec, tool: knownTool(flow, arg) };
    return { kind, spec, ...transitionOf(p, arg) };
  }
  // Anything else is an expression; a misspelt keyword would read as an unknown name.
  const bare = /^[A-Za-z_][A-Za-z0-9_]*(:.*)?$/.exec(spec);
  const scope = nodeScope(p);
  if (bare && !scope.has(spec.split(":")[0]!)) {
    const word = spec.split(":")[0]!;
    const hint = didYouMean(word, [...KIND_WORDS, ...scope.keys()]);
    throw new DebugError(`'${spec}' is not a breakpoint${hint} (breakpoints: ${KINDS.join(", ")})`, "U203");
  }
  return { kind: "expression", spec, expr: compileExpression(p, spec, scope, "boolean") };
}

function knownStep(flow: FlowMap, name: string): string {
  if (flow.step(name)) return name;
  if (name === "") throw new DebugError(`step: needs a step name (steps: ${flow.names.join(", ")})`, "U203");
  throw new DebugError(
    `no step named '${name}'${didYouMean(name, flow.names)} (steps: ${flow.names.join(", ")})`,
    "U203",
  );
}

function knownTool(flow: FlowMap, tool: string): string {
  const tools = flow.tools();
  if (tools.includes(tool)) return tool;
  if (tools.length === 0) throw new DebugError(`call:${tool}: this node makes no tool calls`, "U203");
  if (tool === "") throw new DebugError(`call: needs a tool name (this node calls ${tools.join(", ")})`, "U203");
  throw new DebugError(
    `this node never calls '${tool}'${didYouMean(tool, tools)} (it calls ${tools.join(", ")})`,
    "U203",
  );
}

function transitionOf(p: PreparedNode, arg: string): { from: string; to: string } {
  const sm = p.node.states;
  if (!sm) throw new DebugError(`state_transition: ${p.node.nodeId.value} declares no states`, "U203");
  const m = /^([^\s>-]+)\s*->\s*([^\s>-]+)$/.exec(arg);
  const states = sm.states.map((s) => s.value);
  if (!m)
    throw new DebugError(
      `state_transition needs FROM->TO, e.g. state_transition:${states[0] ?? "a"}->${states[1] ?? "b"} ('*' matches any state), not '${arg}'`,
      "U203",
    );
  for (const s of [m[1]!, m[2]!]) {
    if (s !== "*" && !states.includes(s))
      throw new DebugError(
        `'${s}' is not a state of ${p.node.nodeId.value}${didYouMean(s, states)} (states: ${states.join(", ")})`,
        "U203",
      );
  }
  return { from: m[1]!, to: m[2]! };
}

/** What a paused session offers the breakpoints: the step each side is about to run. */
export interface Before {
  upcoming: Record<RuntimeName, Step | "enter" | undefined>;
}

/** What one lockstep step did, for the after-kinds. */
export interface After {
  events: Partial<Record<RuntimeName, StepEvent>>;
  comparison: StepComparison;
  previous: Record<RuntimeName, SideView> | undefined;
  views: Record<RuntimeName, SideView>;
}

const SIDES: RuntimeName[] = ["reference", "direct"];

export class Breakpoints {
  readonly list: Breakpoint[] = [];
  private nextId = 1;

  add(spec: BreakSpec): Breakpoint {
    const bp = { ...spec, id: this.nextId++, hits: 0 };
    this.list.push(bp);
    return bp;
  }

  delete(id: number): Breakpoint {
    const i = this.list.findIndex((b) => b.id === id);
    if (i < 0) {
      const ids = this.list.map((b) => b.id);
      throw new DebugError(
        `no breakpoint ${id} (${ids.length ? `breakpoints: ${ids.join(", ")}` : "there are none"})`,
        "U203",
      );
    }
    return this.list.splice(i, 1)[0]!;
  }

  /** Breakpoints that stop before the upcoming step. */
  before(at: Before): Hit[] {
    const hits: Hit[] = [];
    for (const bp of this.list) {
      const sides = SIDES.filter((s) => {
        const step = at.upcoming[s];
        if (!step || step === "enter") return false;
        return (
          (bp.kind === "step" && step.name === bp.name) ||
          (bp.kind === "call" && step.op === "call" && step.tool.value === bp.tool)
        );
      });
      if (sides.length === 0) continue;
      const step = at.upcoming[sides[0]!] as Step;
      hits.push({
        breakpoint: bp,
        sides,
        message: bp.kind === "step" ? `before step '${step.name}'` : `before step '${step.name}' calls ${bp.tool}`,
      });
    }
    return hits;
  }

  /** Breakpoints met by the step that just ran. */
  after(at: After): Hit[] {
    const hits: Hit[] = [];
    for (const bp of this.list) {
      const hit = afterHit(bp, at);
      if (hit) hits.push(hit);
    }
    return hits;
  }

  count(hits: Hit[]): void {
    for (const h of hits) h.breakpoint.hits++;
  }
}

function afterHit(bp: Breakpoint, at: After): Hit | undefined {
  const ran = SIDES.filter((s) => at.events[s]);
  const step = (at.events.reference ?? at.events.direct)?.step ?? "?";
  switch (bp.kind) {
    case "divergence": {
      const d = at.comparison.diffs[0];
      return d
        ? { breakpoint: bp, sides: ran, message: `the runtimes diverge at step '${step}': ${d.path} (${d.reason})` }
        : undefined;
    }
    case "contract_violation": {
      const sides = ran.filter(
        (s) => at.events[s]!.contracts.some((c) => !c.passed) || at.events[s]!.result?.status === "contract_violation",
      );
      if (sides.length === 0) return undefined;
      const ev = at.events[sides[0]!]!;
      const c = ev.contracts.find((x) => !x.passed) ?? ev.result?.failure?.contract;
      return {
        breakpoint: bp,
        sides,
        message: `${c ? `${c.kind} '${c.name}'` : "a contract"} fails at step '${step}' (${sides.join(" and ")})`,
      };
    }
    case "state_transition": {
      const sides = ran.filter((s) => {
        const t = at.events[s]!.transition;
        return t && (bp.from === "*" || bp.from === t.from) && (bp.to === "*" || bp.to === t.to);
      });
      if (sides.length === 0) return undefined;
      const t = at.events[sides[0]!]!.transition!;
      return { breakpoint: bp, sides, message: `state ${t.from} -> ${t.to} at step '${step}'` };
    }
    case "expression": {
      // Edge-triggered: it stops where the condition becomes true, not at every step after.
      const sides = SIDES.filter((s) => truthy(bp, at.views[s]) && !(at.previous && truthy(bp, at.previous[s])));
      return sides.length
        ? { breakpoint: bp, sides, message: `'${bp.spec}' became true after step '${step}' (${sides.join(" and ")})` }
        : undefined;
    }
    default:
      return undefined;
  }
}

function truthy(bp: Breakpoint, view: SideView): boolean {
  const r = evaluateOn(bp.expr!, view);
  return r.ok && r.value === true;
}
