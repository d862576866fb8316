import { compileClosures } from "./closures.js";
import { generate } from "./codegen.js";
import { lowerNode, type LoweredNode } from "./layout.js";
import { Machine, type CompiledTier } from "./machine.js";
import type { ExecutionContext } from "../context.js";
import type { PreparedNode } from "../prepared.js";
import type { Execution, RunResult, Snapshot, StepEvent } from "../protocol.js";
import type { RunObserver } from "../observed-run.js";
import type { Runtime } from "../runtime.js";
import type { Value } from "../../values/values.js";
import type { Engine } from "../../engine/engine.js";
import { Float32Engine } from "../../engine/float32-engine.js";

// The direct runtime: a compiler, not a second interpreter. A node is lowered once
// (slots, typed operation trees, a flat program), runs as closures from its first
// use, and after `hotThreshold` runs is regenerated as JavaScript with one fused
// function for the fast path. Compiled code is cached by the node's file and content hash,
// so an edited file compiles afresh and an unchanged one never recompiles.

export interface DirectOptions {
  /** Where tensor operations run; a float32 loop engine when none is given. */
  engine?: Engine;
  /** Runs after which a node's code is generated (default 100; 0 generates at once). */
  hotThreshold?: number;
}

export interface CompiledNode {
  hash: string;
  lowered: LoweredNode;
  runs: number;
  tier: CompiledTier;
  /** The generated JavaScript, once the node is hot. */
  source?: string;
}

/** The file is part of the key: locations in compiled code name it. */
function cacheKey(p: PreparedNode): string {
  return `${p.node.file}\0${p.node.contentHash}`;
}

export class DirectRuntime implements Runtime {
  readonly name = "direct";
  readonly engine: Engine;
  readonly hotThreshold: number;
  private readonly cache = new Map<string, CompiledNode>();
  /** The same cache by the prepared node itself, so a hot call builds no key. */
  private readonly byNode = new WeakMap<PreparedNode, CompiledNode>();
  /** The node compiled last and its compiled form: a node run again and again skips even the WeakMap. */
  private lastNode: PreparedNode | undefined;
  private lastCompiled: CompiledNode | undefined;

  constructor(options: DirectOptions = {}) {
    this.engine = options.engine ?? new Float32Engine();
    this.hotThreshold = options.hotThreshold ?? 100;
  }

  /** The compiled form of a node, counting this use toward the hot threshold. */
  compile(p: PreparedNode): CompiledNode {
    let c = p === this.lastNode ? this.lastCompiled : this.byNode.get(p);
    if (!c) {
      const hash = cacheKey(p);
      c = this.cache.get(hash);
      if (!c) {
        const lowered = lowerNode(p);
        c = { hash, lowered, runs: 0, tier: compileClosures(lowered, this.engine) };
        this.cache.set(hash, c);
      }
      this.byNode.set(p, c);
    }
    this.lastNode = p;
    this.lastCompiled = c;
    c.runs++;
    if (c.tier.tier === "closures" && c.runs > this.hotThreshold) {
      const generated = generate(c.lowered, this.engine, p);
      c.tier = generated.tier;
      c.source = generated.source;
    }
    return c;
  }

  cached(p: PreparedNode): CompiledNode | undefined {
    return this.byNode.get(p) ?? this.cache.get(cacheKey(p));
  }

  start(p: PreparedNode, inputs: Map<string, Value>, ctx: ExecutionContext): Execution {
    const c = this.compile(p);
    return new DirectExecution(new Machine(p, c.lowered, c.tier, ctx, inputs));
  }

  /**
   * The result itself when the run finished without waiting (the generated tier's plain
   * function, every call answered at once); a promise of it otherwise (a call answered
   * later, the closures tier). Never throws: a failure is a rejected promise (runtime.ts).
   */
  run(p: PreparedNode, inputs: Map<string, Value>, ctx: ExecutionContext): RunResult | Promise<RunResult> {
    let m: Machine;
    try {
      const c = this.compile(p);
      m = new Machine(p, c.lowered, c.tier, ctx, inputs);
      if (c.tier.fused) return c.tier.fused(m);
    } catch (err) {
      return Promise.reject(err);
    }
    return stepThrough(m);
  }

  /**
   * A run straight through that tells `observer` of each step's event as the step
   * ends (the recorder: observed-run.ts). On the generated tier the fused function
   * emits them itself; nothing single-steps.
   */
  async observe(
    p: PreparedNode,
    inputs: Map<string, Value>,
    ctx: ExecutionContext,
    observer: RunObserver,
  ): Promise<RunResult> {
    const c = this.compile(p);
    const m = new Machine(p, c.lowered, c.tier, ctx, inputs);
    m.obs = observer;
    if (c.tier.fused) return c.tier.fused(m);
    m.open(undefined);
    const go = m.enter();
    m.close();
    if (go) {
      while (!m.result) {
        m.open(m.L.instrs[m.pc]);
        await m.step();
        m.close();
      }
    }
    return m.result!;
  }
}

/** A run on the closures tier, straight through: each step may wait for a call. */
async function stepThrough(m: Machine): Promise<RunResult> {
  if (m.enter()) while (!m.result) await m.step();
  return m.result!;
}

interface DirectSnapshot extends Snapshot {
  slots: Value[];
  pc: number;
  steps: number;
  entered: boolean;
  result?: RunResult;
  old: Value[];
  ctx: ReturnType<ExecutionContext["snapshot"]>;
}

class DirectExecution implements Execution {
  readonly runtime = "direct";

  constructor(private readonly m: Machine) {}

  get done(): boolean {
    return this.m.result !== undefined;
  }

  get result(): RunResult | undefined {
    return this.m.result;
  }

  async finish(): Promise<RunResult> {
    while (!this.m.result) await this.next();
    return this.m.result;
  }

  async next(): Promise<StepEvent> {
    const m = this.m;
    if (m.result) throw new Error("the run has already finished");
    const entering = !m.entered;
    m.open(entering ? undefined : m.L.instrs[m.pc]);
    try {
      if (entering) m.enter();
      else await m.step();
    } catch (err) {
      m.ev = null;
      throw err;
    }
    return m.close();
  }

  snapshot(): DirectSnapshot {
    const m = this.m;
    return {
      runtime: "direct",
      index: m.index,
      slots: m.s.slice(),
      pc: m.pc,
      steps: m.steps,
      entered: m.entered,
      result: m.result,
      old: m.old.slice(),
      ctx: m.ctx.snapshot(),
    };
  }

  restore(snapshot: Snapshot): void {
    const s = snapshot as DirectSnapshot;
    if (s.runtime !== "direct")
      throw new Error("a reference-runtime snapshot cannot be restored into the direct runtime");
    const m = this.m;
    m.index = s.index;
    m.s.splice(0, m.s.length, ...s.slots);
    m.pc = s.pc;
    m.steps = s.steps;
    m.entered = s.entered;
    m.result = s.result;
    m.old = s.old.slice();
    m.ctx.restore(s.ctx);
  }
}
