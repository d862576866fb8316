import type { NodeDef, Step } from "../../ir/ast.js";
import type { StepEvent } from "../../runtime/protocol.js";

// Where each step sits in the node's flow: its parent branch, its depth, and which
// step follows it. The step protocol says what a runtime did, not what it will do
// next; the debugger works that out from the flow itself, the same for both
// runtimes, so it can show (and stop before) the step about to run.

interface Placed {
  step: Step;
  /** The list the step is in and its index there. */
  list: Step[];
  at: number;
  /** The branch whose arm holds this step, if any. */
  parent?: Placed;
  depth: number;
}

export class FlowMap {
  private readonly placed = new Map<string, Placed>();

  constructor(readonly node: NodeDef) {
    this.walk(node.flow, undefined, 0);
  }

  private walk(list: Step[], parent: Placed | undefined, depth: number): void {
    list.forEach((step, at) => {
      const p: Placed = { step, list, at, parent, depth };
      this.placed.set(step.name, p);
      if (step.op === "branch") {
        this.walk(step.then, p, depth + 1);
        this.walk(step.else, p, depth + 1);
      }
    });
  }

  get names(): string[] {
    return [...this.placed.keys()];
  }

  step(name: string): Step | undefined {
    return this.placed.get(name)?.step;
  }

  depth(name: string): number {
    return this.placed.get(name)?.depth ?? 0;
  }

  /** Branches enclosing a step, outermost first. */
  enclosing(name: string): Step[] {
    const out: Step[] = [];
    for (let p = this.placed.get(name)?.parent; p; p = p.parent) out.unshift(p.step);
    return out;
  }

  /** Whether `name` is `ancestor` or sits inside one of its arms. */
  within(name: string, ancestor: string): boolean {
    for (let p = this.placed.get(name); p; p = p.parent) if (p.step.name === ancestor) return true;
    return false;
  }

  /**
   * The step a run will execute after this event: "enter" before anything ran,
   * undefined once the run has a result. A branch continues into the arm it took.
   */
  upcoming(last: StepEvent | undefined): Step | "enter" | undefined {
    if (!last) return "enter";
    if (last.result) return undefined;
    if (last.op === "enter") return this.node.flow[0];
    let p = this.placed.get(last.step);
    if (!p) return undefined;
    if (p.step.op === "branch" && last.branch && !last.skipped) {
      const arm = p.step[last.branch];
      if (arm.length > 0) return arm[0];
    }
    while (p) {
      if (p.at + 1 < p.list.length) return p.list[p.at + 1];
      p = p.parent;
    }
    return undefined;
  }

  /** Every call step's tool, for checking call:TOOL breakpoints. */
  tools(): string[] {
    const tools = new Set<string>();
    for (const { step } of this.placed.values()) if (step.op === "call") tools.add(step.tool.value);
    return [...tools];
  }
}
