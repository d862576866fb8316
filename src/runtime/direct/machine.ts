import { DONE, type Instr, type LoweredExpr, type LoweredNode } from "./layout.js";
import type { ExecutionContext } from "../context.js";
import { RuntimeFault } from "../faults.js";
import {
  callFailure,
  checkOf,
  contractFailure,
  errorOutput,
  failed,
  failureOf,
  flowEnded,
  isRecoverable,
} from "../outcomes.js";
import { ConformError, fromPlain } from "../../values/conform.js";
import type { PreparedNode } from "../prepared.js";
import { pointOf, type ContractKind, type Effect, type RunResult, type StepEvent } from "../protocol.js";
import type { RunObserver } from "../observed-run.js";
import { VMap, VRecord, VSet, recordOf, type Value } from "../../values/values.js";
import { conformer, type Conformer } from "./conformer.js";
import { readsSlot } from "./step-local.js";
import { ERROR_RECORD, SUCCESS_RECORD } from "../../ir/validate.js";
import type { SourceExpr, Step } from "../../ir/ast.js";
import type { VType } from "../../values/types.js";

// The direct runtime's run state: one flat array of slots, a program counter, and
// the few operations compiled steps call back into (bind, return, call a tool).
// The same Machine drives both tiers and both ways of running: stepped (an event
// per step, for the debugger) or straight through (no events at all). Everything
// that depends only on the node (compiled contracts, the walks through input
// records, output and tool-result conformers) is built once per tier, by the first
// Machine that runs it; a run does only the run's own work.

export type ExprFn = (s: Value[], m: Machine) => Value;
export type StepFn = (m: Machine) => number | Promise<number>;

export interface CompiledTier {
  tier: "closures" | "generated";
  steps: StepFn[];
  fallbacks: (StepFn | undefined)[];
  expr: (e: LoweredExpr) => ExprFn;
  /** The whole node as one function (generated tier only); synchronous when no step calls a tool. */
  fused?: (m: Machine) => Promise<RunResult> | RunResult;
  /** The compiled contracts, built by the first Machine that runs this tier. */
  contracts?: ContractFns;
  /** Slots a run needs, when more than the node's own: the plain run's input shadows (shadows.ts). */
  width?: number;
}

/** One compiled contract, described once so checking it allocates nothing. */
interface Check {
  kind: ContractKind;
  fn: ExprFn;
  /** Index of its source expression, for error positions. */
  src: number;
  contract: { name: string; source: SourceExpr };
}

/** Checks the constraints of the records inside a value (undefined: a type with none to check). */
type Walker = (v: Value, m: Machine) => void;

export interface ContractFns {
  /** The lowered node and the tier these were compiled for (a Machine reads both through here). */
  L: LoweredNode;
  code: CompiledTier;
  /** The node's inputs by name, and the slot of each. */
  inputNames: readonly string[];
  inputSlots: readonly number[];
  /** The state a run starts in, or null for a node without states. */
  initialState: string | null;
  /** Whether an expression of the node reads `input` (the record of every input). */
  readsInput: boolean;
  pre: Check[];
  post: Check[];
  inv: Check[];
  old: ExprFn[];
  inputs: Check[][];
  /** For each input, the walk through the records its value holds. */
  walkers: (Walker | undefined)[];
  /** For each return instruction, its output built and conformed (by pc). */
  outputs: (((values: Value[]) => VRecord) | undefined)[];
  /** For each call instruction that declares `returns`, its result conformed (by pc). */
  results: (Conformer | undefined)[];
  /** For each call instruction, its arguments' names (by pc). */
  argNames: (readonly string[] | undefined)[];
  /** For each transition instruction, the states it may leave (by pc); null when the node lists no transitions. */
  from: (ReadonlySet<string> | null | undefined)[];
}

function contractFns(p: PreparedNode, L: LoweredNode, code: CompiledTier): ContractFns {
  const check = (kind: ContractKind, expr: LoweredExpr, source: SourceExpr, name = source.text): Check => ({
    kind,
    fn: code.expr(expr),
    src: expr.src,
    contract: { name, source },
  });
  const named = (kind: ContractKind, exprs: LoweredExpr[], contracts: PreparedNode["preconditions"]) =>
    exprs.map((e, i) => check(kind, e, contracts[i]!.source, contracts[i]!.name));
  return {
    L,
    code,
    inputNames: p.node.inputs.map((f) => f.name),
    inputSlots: L.inputSlots,
    initialState: p.node.states?.initial.value ?? null,
    readsInput: readsSlot(L, L.inputSlot),
    pre: named("precondition", L.preconditions, p.preconditions),
    post: named("postcondition", L.postconditions, p.postconditions),
    inv: named("invariant", L.invariants, p.invariants),
    old: L.old.map(code.expr),
    inputs: L.inputConstraints.map((i) => i.constraints.map((c) => check("input constraint", c.expr, c.source))),
    walkers: p.node.inputs.map((f) => walkers(p, L, check).of(f.type)),
    outputs: L.instrs.map((instr) =>
      instr.body.op === "return" ? outputBuilder(p, instr.body.output, instr.body.fields) : undefined,
    ),
    argNames: L.instrs.map((instr) => (instr.body.op === "call" ? instr.body.args.map((a) => a.name) : undefined)),
    from: L.instrs.map((instr) => {
      if (instr.body.op !== "transition") return undefined;
      const to = instr.body.to;
      const sm = p.node.states!;
      if (sm.transitions.length === 0) return null;
      return new Set(sm.transitions.filter((t) => t.to.value === to).map((t) => t.from.value));
    }),
    results: L.instrs.map((instr) => {
      const step = instr.step;
      if (step.op !== "call" || !step.returns) return undefined;
      return conformer({ kind: "record", name: `result of ${step.name}` }, p.types, `the result of ${step.tool.value}`);
    }),
  };
}

/**
 * The record-constraint walks of a node's types, built once: a record's field
 * constraints and nested records in field order, then its own constraints; the
 * elements of arrays and sets and the values of maps. The same order, and the same
 * checks, as the reference's walk.
 */
function walkers(
  p: PreparedNode,
  L: LoweredNode,
  check: (kind: ContractKind, expr: LoweredExpr, source: SourceExpr, name?: string) => Check,
) {
  const records = new Map<string, Walker | undefined>();
  const record = (name: string): Walker | undefined => {
    if (records.has(name)) return records.get(name);
    const lowered = L.records.get(name);
    const decl = p.node.types.find((d) => d.name === name);
    if (!lowered || !decl) {
      records.set(name, undefined);
      return undefined;
    }
    let built: Walker | undefined;
    // Placed before its fields are built: a record type may contain itself.
    const walk: Walker = (v, m) => built!(v, m);
    records.set(name, walk);
    const fieldChecks = lowered.fields.map((f) =>
      f.constraints.map((c) => check("input constraint", c.expr, c.source)),
    );
    const own = lowered.constraints.map((c) =>
      check("input constraint", c.expr, c.source, `${name}: ${c.source.text}`),
    );
    const size = lowered.slots.names.length;
    const fields = lowered.fields.map((f, i) => ({
      name: f.name,
      slot: f.slot,
      checks: fieldChecks[i]!,
      inner: of(decl.fields[i]!.type),
    }));
    built = (v, m) => {
      if (!(v instanceof VRecord)) return;
      const rs = new Array<Value>(size);
      for (const f of fields) rs[f.slot] = v.fields.get(f.name) ?? null;
      for (const f of fields) {
        const fv = rs[f.slot]!;
        if (fv === null) continue;
        for (const c of f.checks) m.check(c, rs);
        if (f.inner) f.inner(fv, m);
      }
      for (const c of own) m.check(c, rs);
    };
    return walk;
  };
  const of = (t: VType): Walker | undefined => {
    if (t.kind === "record") return record(t.name);
    if (t.kind === "array" || t.kind === "set") {
      const inner = of(t.element);
      if (!inner) return undefined;
      return (v, m) => {
        if (Array.isArray(v)) for (const item of v) inner(item, m);
        else if (v instanceof VSet) for (const item of v.values()) inner(item, m);
      };
    }
    if (t.kind === "map") {
      const inner = of(t.value);
      if (!inner) return undefined;
      return (v, m) => {
        if (v instanceof VMap) for (const [, item] of v.entries.values()) inner(item, m);
      };
    }
    return undefined;
  };
  return { of };
}

/** A return's output, conformed to its declared record as outputRecord (outcomes.ts) does, compiled once. */
function outputBuilder(p: PreparedNode, which: "success" | "error", names: string[]): (values: Value[]) => VRecord {
  const record = which === "success" ? SUCCESS_RECORD : ERROR_RECORD;
  const conform = conformer({ kind: "record", name: record }, p.types, `outputs.${which}`);
  return (values) => {
    const fields = new Map<string, Value>();
    for (let i = 0; i < names.length; i++) fields.set(names[i]!, values[i]!);
    return conform(new VRecord(record, fields)) as VRecord;
  };
}

/** A contract a run broke: what the failure names. */
export interface ContractRef {
  kind: ContractKind;
  contract: { name: string; source: SourceExpr };
}

const NO_OLD: Value[] = [];

class Broken {
  constructor(
    readonly kind: ContractKind,
    readonly source: { name: string; source: SourceExpr },
  ) {}
}

export class Machine {
  s: Value[];
  pc = 0;
  steps = 0;
  /** The index of the last event opened: 0 for enter, then one per step. */
  index = 0;
  /** The source expression being evaluated, for error positions; -1 when none. */
  src = -1;
  entered = false;
  result: RunResult | undefined;
  /** The run's old() values; one shared empty list until the entry sets them (never written in place). */
  old: Value[] = NO_OLD;
  /** The event being filled while stepping; null on the fast path. */
  ev: StepEvent | null = null;
  /** Told of each event as its step ends, on an observed run straight through (observed-run.ts). */
  obs: RunObserver | null = null;
  /** Set by a generated output (R<pc>) that needed its conformer: the postconditions then read the record (after()). */
  slowOut = false;
  /** When the open event began (read only on an observed run). */
  private lastMs = 0;
  /** The node's compiled contracts, walks and conformers, shared by every run of the tier (and its L and code). */
  readonly fns: ContractFns;

  /**
   * One per run, so it holds only the run's own state: the lowered node and the tier are
   * read through `fns`, which every run of the tier shares (`L`, `code`).
   */
  constructor(
    readonly p: PreparedNode,
    L: LoweredNode,
    code: CompiledTier,
    readonly ctx: ExecutionContext,
    inputs: Map<string, Value>,
  ) {
    this.fns = code.contracts ??= contractFns(p, L, code);
    const s = new Array<Value | undefined>(code.width ?? L.slots.names.length) as Value[];
    const { inputNames, inputSlots } = this.fns;
    for (let i = 0; i < inputNames.length; i++) s[inputSlots[i]!] = inputs.get(inputNames[i]!) ?? null;
    // The `input` record, only for a node that reads it (step-local.ts readsSlot): nothing else looks at that slot.
    if (this.fns.readsInput) s[L.inputSlot] = new VRecord("input", inputs);
    s[L.stateSlot] = this.fns.initialState;
    this.s = s;
  }

  /** The lowered node (slots, instructions, sources). */
  get L(): LoweredNode {
    return this.fns.L;
  }

  /** The compiled tier this run runs on. */
  get code(): CompiledTier {
    return this.fns.code;
  }

  // ---- events: the debugger steps one at a time; an observed run emits them as it goes ----

  /** Opens the event of the instruction at `at`, or of `enter` when there is none; steps fill it. */
  open(at: Instr | undefined): StepEvent {
    if (!at && this.obs) this.lastMs = performance.now();
    const ev: StepEvent = at
      ? {
          index: ++this.index,
          step: at.step.name,
          op: at.step.op,
          location: pointOf(at.step.loc),
          changed: [],
          effects: [],
          contracts: [],
        }
      : {
          index: 0,
          step: "enter",
          op: "enter",
          location: pointOf(this.p.node.nodeId.loc),
          changed: [],
          effects: [],
          contracts: [],
        };
    this.ev = ev;
    return ev;
  }

  /** Closes the open event (the run's result goes on the last one) and tells the observer, if any. */
  close(): StepEvent {
    const ev = this.ev!;
    this.ev = null;
    if (this.result) ev.result = this.result;
    if (this.obs) {
      const now = performance.now();
      this.obs.step(ev, (now - this.lastMs) * 1000);
      this.lastMs = now;
    }
    return ev;
  }

  get state(): string | undefined {
    return (this.s[this.L.stateSlot] as string | null) ?? undefined;
  }

  // ---- called by compiled steps ----------------------------------------------------

  set(slot: number, v: Value): void {
    this.s[slot] = v;
    if (this.ev) this.ev.changed.push([this.L.slots.names[slot]!, v]);
  }

  skip(): void {
    if (this.ev) this.ev.skipped = true;
  }

  arm(which: "then" | "else"): void {
    if (this.ev) this.ev.branch = which;
  }

  /** A validate step whose check failed: the node ends with the step's error. */
  fail(pc: number): number {
    const body = this.L.instrs[pc]!.body;
    if (body.op === "validate")
      this.result = { status: "error", output: errorOutput(this.p, body.error), steps: this.steps, state: this.state };
    return DONE;
  }

  go(pc: number): void {
    const to = (this.L.instrs[pc]!.body as { to: string }).to;
    const from = this.state ?? "";
    const allowed = this.fns.from[pc];
    if (allowed && !allowed.has(from)) {
      throw new RuntimeFault(
        "R204",
        `illegal transition from '${from}' to '${to}' at step '${this.L.instrs[pc]!.step.name}'`,
        false,
      );
    }
    this.s[this.L.stateSlot] = to;
    if (this.ev) this.ev.transition = { from, to };
  }

  call(pc: number, args: Value[]): void | Promise<void> {
    const step = this.L.instrs[pc]!.step as Extract<Step, { op: "call" }>;
    // A name-list record: a tool reads the few arguments it needs with `get`, and the Map (which must
    // grow past four entries) is built only if something reads `fields` (a recording, a replay's compare).
    const record = recordOf("args", this.fns.argNames[pc]!, args);
    this.src = -1;
    const eh = step.errorHandling;
    const effect = this.ctx.call({
      step: step.name,
      tool: step.tool.value,
      args: record,
      timeoutMs: step.timeoutMs ?? eh?.timeoutMs,
      retry: eh?.retry,
    });
    // An effect answered at once is settled here: no closure is made for it.
    if (effect instanceof Promise) return effect.then((e) => this.settle(pc, e));
    this.settle(pc, effect);
  }

  /** A call's effect taken in: onto the open event, a failure thrown, the result bound as declared. */
  private settle(pc: number, e: Effect): void {
    if (this.ev) this.ev.effects.push(e);
    if (!e.ok) throw callFailure(e);
    const slot = (this.L.instrs[pc]!.body as Extract<Instr["body"], { op: "call" }>).bindSlot;
    if (slot !== undefined) this.set(slot, this.result_(pc, e.result));
  }

  /** A call's result as the step declared it (`returns`), or R206 when the tool answered something else (toolResult in outcomes.ts). */
  private result_(pc: number, result: Value | undefined): Value {
    const conform = this.fns.results[pc];
    if (!conform) return fromPlain(result);
    try {
      return conform(result);
    } catch (err) {
      if (err instanceof ConformError) throw new RuntimeFault("R206", err.message);
      throw err;
    }
  }

  ret(pc: number, values: Value[]): number {
    return this.returned(pc, this.fns.outputs[pc]!(values));
  }

  // ---- the driver ---------------------------------------------------------------------

  /** Input constraints, preconditions and old() values; false when the run ended here. */
  enter(): boolean {
    this.entered = true;
    try {
      const { inputs, walkers } = this.fns;
      const ics = this.L.inputConstraints;
      for (let i = 0; i < ics.length; i++) {
        const v = this.s[ics[i]!.slot]!;
        if (v === null) continue;
        for (const c of inputs[i]!) this.check(c, this.s);
        walkers[i]?.(v, this);
      }
      for (const c of this.fns.pre) this.check(c, this.s);
      this.old = this.fns.old.map((f, i) => {
        this.src = this.L.old[i]!.src;
        return f(this.s, this);
      });
    } catch (err) {
      return this.entryFailed(err);
    }
    return this.entered_();
  }

  /** The run ends at its entry: a broken contract, or an error evaluating one (generated entries call this too). */
  entryFailed(err: unknown): false {
    this.result =
      err instanceof Broken
        ? failed("contract_violation", contractFailure(err.kind, err.source), 0, this.state)
        : failed(
            "runtime_error",
            failureOf(err, { name: "enter", loc: this.p.node.nodeId.loc } as Step, this.L.sources[this.src]),
            0,
            this.state,
          );
    return false;
  }

  /** After a passed entry: false (with the result) when the flow has no steps. */
  entered_(): boolean {
    if (this.p.node.flow.length === 0) {
      this.result = flowEnded(this.p, undefined, 0, this.state);
      return false;
    }
    return true;
  }

  /** An invariant or postcondition broken, or failing, after `instr` (generated postconditions call this too). */
  postFailed(instr: Instr, err: unknown): number {
    this.result =
      err instanceof Broken
        ? failed("contract_violation", contractFailure(err.kind, err.source, instr.step.name), this.steps, this.state)
        : failed("runtime_error", failureOf(err, instr.step, this.L.sources[this.src]), this.steps, this.state);
    return DONE;
  }

  /** A contract the generated code found broken: thrown as check() throws it. */
  broken(c: ContractRef): never {
    throw new Broken(c.kind, c.contract);
  }

  /** Ends the run with an output a return step built (generated code builds its own). */
  returned(pc: number, output: VRecord): number {
    const body = this.L.instrs[pc]!.body as Extract<Instr["body"], { op: "return" }>;
    this.result = { status: body.output, output, steps: this.steps, state: this.state };
    return DONE;
  }

  check(c: Check, s: Value[]): void {
    this.src = c.src;
    const passed = c.fn(s, this) === true;
    if (this.ev) this.ev.contracts.push(checkOf(c.kind, c.contract, passed));
    if (!passed) throw new Broken(c.kind, c.contract);
  }

  /** Runs the instruction at pc with recovery and contracts; the pc that follows. */
  async step(): Promise<void> {
    const instr = this.L.instrs[this.pc]!;
    this.steps++;
    let next: number;
    try {
      const r = this.code.steps[instr.pc]!(this);
      next = r instanceof Promise ? await r : r;
    } catch (err) {
      next = this.recover(instr, err);
    }
    this.pc = this.after(instr, next);
  }

  /** error_handling: a fallback binds and goes on; on_error ends with the declared error; else the run fails. */
  recover(instr: Instr, err: unknown): number {
    const step = instr.step;
    const failure = failureOf(err, step, this.L.sources[this.src]);
    const eh = step.errorHandling;
    if (this.ev) this.ev.error = failure;
    if (!isRecoverable(err) || !(eh?.fallback || eh?.onError)) {
      this.result = failed("runtime_error", failure, this.steps, this.state);
      return DONE;
    }
    if (eh.fallback) {
      if (this.ev) this.ev.recovered = "fallback";
      try {
        this.code.fallbacks[instr.pc]!(this);
        return instr.next;
      } catch (again) {
        this.result = failed("runtime_error", failureOf(again, step, this.L.sources[this.src]), this.steps, this.state);
        return DONE;
      }
    }
    if (this.ev) this.ev.recovered = "on_error";
    this.result = { status: "error", output: errorOutput(this.p, eh.onError!), steps: this.steps, state: this.state };
    return DONE;
  }

  /** After every step: invariants, postconditions after a successful return, the end of the flow. */
  after(instr: Instr, next: number): number {
    const r = this.result;
    if (r && r.status !== "success" && r.status !== "error") return DONE;
    try {
      for (const c of this.fns.inv) this.check(c, this.s);
      if (r?.status === "success") {
        this.s[this.L.outputSlot] = r.output!;
        for (const c of this.fns.post) this.check(c, this.s);
      }
    } catch (err) {
      return this.postFailed(instr, err);
    }
    if (this.result) return DONE;
    if (next === this.L.end) {
      this.result = flowEnded(this.p, instr.step, this.steps, this.state);
      return DONE;
    }
    return next;
  }
}
