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
  outputRecord,
  toolResult,
} from "../outcomes.js";
import { exprOf, type PreparedNode } from "../prepared.js";
import {
  pointOf,
  type ContractKind,
  type Execution,
  type RunResult,
  type Snapshot,
  type StepEvent,
} from "../protocol.js";
import type { Runtime } from "../runtime.js";
import { VMap, VRecord, VSet, type Value } from "../../values/values.js";
import type { Expr } from "../../expr/ast.js";
import { evaluate, type EvalEnv } from "../../expr/evaluate.js";
import type { Assignment, FieldDecl, RecordTypeDecl, SourceExpr, Step } from "../../ir/ast.js";
import { INPUTS_RECORD } from "../../ir/validate.js";
import type { VType } from "../../values/types.js";

// The reference runtime: a tree-walking interpreter over the node's AST, written
// to be obviously correct rather than fast. It is the oracle the direct runtime is
// compared against. Every expression goes through src/expr/evaluate.ts; the flow
// is walked with an explicit stack of step lists so a run can pause between steps.
// Speed never changes an answer here: what depends only on the node (each record
// type's field names and constraint names) is read once per node, and a whole run
// goes from step to step without a turn of the event loop except at tool calls.

export class ReferenceRuntime implements Runtime {
  readonly name = "reference";

  start(node: PreparedNode, inputs: Map<string, Value>, ctx: ExecutionContext): Execution {
    return new ReferenceExecution(node, inputs, ctx);
  }

  run(node: PreparedNode, inputs: Map<string, Value>, ctx: ExecutionContext): Promise<RunResult> {
    return this.start(node, inputs, ctx).finish();
  }
}

interface Frame {
  steps: Step[];
  next: number;
}

interface ReferenceSnapshot extends Snapshot {
  frames: Frame[];
  bindings: Map<string, Value>;
  state?: string;
  old: Map<Expr, Value>;
  steps: number;
  entered: boolean;
  result?: RunResult;
  ctx: ReturnType<ExecutionContext["snapshot"]>;
}

/** Raised inside a step to end the run with a contract violation. */
class ContractBroken extends Error {
  constructor(
    readonly kind: ContractKind,
    readonly contract: { name: string; source: SourceExpr },
  ) {
    super(contract.source.text);
  }
}

/** An input constraint as a contract check names it: the constraint's own text. */
type NamedConstraint = { name: string; source: SourceExpr };

/** What checking a record value needs, read once per node and record type. */
interface RecordCheck {
  decl: RecordTypeDecl;
  fieldNames: ReadonlySet<string>;
  /** The record's own constraints, named `<type>: <text>`. */
  constraints: NamedConstraint[];
}

const recordChecks = new WeakMap<PreparedNode, Map<string, RecordCheck | undefined>>();
const fieldConstraints = new WeakMap<FieldDecl, NamedConstraint[]>();

function recordCheck(p: PreparedNode, name: string): RecordCheck | undefined {
  let byName = recordChecks.get(p);
  if (!byName) {
    byName = new Map();
    recordChecks.set(p, byName);
  }
  if (!byName.has(name)) {
    const decl = p.node.types.find((d) => d.name === name);
    byName.set(
      name,
      decl && {
        decl,
        fieldNames: new Set(decl.fields.map((f) => f.name)),
        constraints: decl.constraints.map((c) => ({ name: `${decl.name}: ${c.text}`, source: c })),
      },
    );
  }
  return byName.get(name);
}

function fieldContracts(f: FieldDecl): NamedConstraint[] {
  let named = fieldConstraints.get(f);
  if (!named) {
    named = f.constraints.map((c) => ({ name: c.text, source: c }));
    fieldConstraints.set(f, named);
  }
  return named;
}

class ReferenceExecution implements Execution {
  readonly runtime = "reference";
  result: RunResult | undefined;
  private frames: Frame[];
  private bindings = new Map<string, Value>();
  private state: string | undefined;
  private old = new Map<Expr, Value>();
  private index = 0;
  private steps = 0;
  private entered = false;
  /** The expression being evaluated, so an error points at its exact column. */
  private current: SourceExpr | undefined;
  private readonly inputRecord: VRecord;

  private readonly inputs: Map<string, Value>;

  constructor(
    private readonly p: PreparedNode,
    given: Map<string, Value>,
    private readonly ctx: ExecutionContext,
  ) {
    // An input the caller left out is null (resolveInputs does the same with defaults first).
    this.inputs = new Map(p.node.inputs.map((f) => [f.name, given.get(f.name) ?? null]));
    this.frames = [{ steps: p.node.flow, next: 0 }];
    this.state = p.node.states?.initial.value;
    this.inputRecord = new VRecord(INPUTS_RECORD, this.inputs);
  }

  get done(): boolean {
    return this.result !== undefined;
  }

  async finish(): Promise<RunResult> {
    // Steps without a tool call run one after another without a turn of the event loop between them.
    while (!this.result) {
      const event = this.step();
      if (event instanceof Promise) await event;
    }
    return this.result;
  }

  async next(): Promise<StepEvent> {
    return this.step();
  }

  /** The next step: its event at once, or a promise of it when the step waits on a tool call. */
  private step(): StepEvent | Promise<StepEvent> {
    if (this.result) throw new Error("the run has already finished");
    if (!this.entered) return this.enter();
    const step = this.nextStep()!;
    const event: StepEvent = {
      index: ++this.index,
      step: step.name,
      op: step.op,
      location: pointOf(step.loc),
      changed: [],
      effects: [],
      contracts: [],
    };
    this.steps++;
    let called: Promise<void> | undefined;
    try {
      if (step.guards.every((g) => this.condition(g))) called = this.execute(step, event);
      else event.skipped = true;
    } catch (err) {
      this.failed(step, event, err);
    }
    if (called)
      return called.then(
        () => this.after(step, event),
        (err: unknown) => {
          this.failed(step, event, err);
          return this.after(step, event);
        },
      );
    return this.after(step, event);
  }

  /** A step threw: a broken contract ends the run, anything else goes to the step's error handling. */
  private failed(step: Step, event: StepEvent, err: unknown): void {
    if (err instanceof ContractBroken) this.violate(err, step.name);
    else this.recover(step, event, err);
  }

  /** After a step's own work: invariants and postconditions, the end of the flow, the event's result. */
  private after(step: Step, event: StepEvent): StepEvent {
    const ended = this.result as RunResult | undefined;
    if (!ended || ended.status === "success" || ended.status === "error") this.checkAfter(step, event);
    if (!this.result && !this.hasNextStep()) this.result = flowEnded(this.p, step, this.steps, this.state);
    if (this.result) event.result = this.result;
    return event;
  }

  // ---- entry: inputs, preconditions, old() ----------------------------------------

  private enter(): StepEvent {
    this.entered = true;
    const node = this.p.node;
    const event: StepEvent = {
      index: 0,
      step: "enter",
      op: "enter",
      location: pointOf(node.nodeId.loc),
      changed: [],
      effects: [],
      contracts: [],
    };
    try {
      for (const f of node.inputs) this.checkValue(this.inputs.get(f.name) ?? null, f, event, this.runEnv);
      for (const c of this.p.preconditions) this.checkContract("precondition", c, event, this.runEnv);
      this.p.oldExprs.forEach((e, i) => {
        this.current = this.p.oldSources[i];
        this.old.set(e, evaluate(e, this.runEnv));
      });
    } catch (err) {
      if (err instanceof ContractBroken) this.violate(err);
      else
        this.result = failed(
          "runtime_error",
          failureOf(err, { name: "enter", loc: node.nodeId.loc } as Step, this.current),
          0,
          this.state,
        );
    }
    if (!this.result && node.flow.length === 0) this.result = flowEnded(this.p, undefined, 0, this.state);
    if (this.result) event.result = this.result;
    return event;
  }

  /** Input constraints, and the constraints of every record value inside the input. */
  private checkValue(v: Value, f: FieldDecl | null, event: StepEvent, env: EvalEnv, type?: VType): void {
    if (v === null) return;
    if (f) for (const c of fieldContracts(f)) this.checkContract("input constraint", c, event, env);
    const t = type ?? f?.type;
    if (!t) return;
    if (t.kind === "record" && v instanceof VRecord) {
      const record = recordCheck(this.p, t.name);
      if (!record) return;
      // A declared field the value leaves out is null, as a member access would read it.
      const inRecord = this.env((name) => (record.fieldNames.has(name) ? (v.fields.get(name) ?? null) : undefined));
      for (const field of record.decl.fields) this.checkValue(v.fields.get(field.name) ?? null, field, event, inRecord);
      for (const c of record.constraints) this.checkContract("input constraint", c, event, inRecord);
    } else if ((t.kind === "array" || t.kind === "set") && (Array.isArray(v) || v instanceof VSet)) {
      for (const item of Array.isArray(v) ? v : v.values()) this.checkValue(item, null, event, env, t.element);
    } else if (t.kind === "map" && v instanceof VMap) {
      for (const [, item] of v.entries.values()) this.checkValue(item, null, event, env, t.value);
    }
  }

  private checkContract(
    kind: ContractKind,
    c: { name: string; source: SourceExpr },
    event: StepEvent,
    env: EvalEnv,
  ): void {
    const passed = this.condition(c.source, env);
    event.contracts.push(checkOf(kind, c, passed));
    if (!passed) throw new ContractBroken(kind, c);
  }

  private violate(err: ContractBroken, step?: string): void {
    this.result = failed("contract_violation", contractFailure(err.kind, err.contract, step), this.steps, this.state);
  }

  // ---- evaluation -----------------------------------------------------------------

  private readonly lookup = (name: string): Value | undefined => {
    if (name === "state") return this.state ?? null;
    if (name === "input") return this.inputRecord;
    return this.bindings.has(name) ? this.bindings.get(name) : this.inputs.get(name);
  };

  /** The environment of the run's own names, made once (postconditions and record constraints make their own). */
  private readonly runEnv = this.env(this.lookup);

  private env(lookup: (name: string) => Value | undefined): EvalEnv {
    return {
      lookup,
      old: (e) => this.old.get(e) ?? null,
      now: () => this.ctx.now(),
      random: () => this.ctx.random(),
    };
  }

  private value(src: SourceExpr, env = this.runEnv): Value {
    this.current = src;
    return evaluate(exprOf(src), env);
  }

  private condition(src: SourceExpr, env = this.runEnv): boolean {
    return this.value(src, env) === true;
  }

  private bind(name: string, v: Value, event: StepEvent): void {
    this.bindings.set(name, v);
    event.changed.push([name, v]);
  }

  private assign(assignments: Assignment[], event: StepEvent): void {
    for (const a of assignments) this.bind(a.name, this.value(a.value), event);
  }

  // ---- steps ----------------------------------------------------------------------

  /** A step's own work; a promise only for a tool call, which waits on the tool. */
  private execute(step: Step, event: StepEvent): Promise<void> | undefined {
    switch (step.op) {
      case "validate":
        if (!this.condition(step.check))
          this.result = {
            status: "error",
            output: errorOutput(this.p, step.error),
            steps: this.steps,
            state: this.state,
          };
        return;
      case "compute":
      case "tensor":
        this.assign(step.assignments, event);
        return;
      case "transition": {
        const from = this.state ?? "";
        const sm = this.p.node.states!;
        if (
          sm.transitions.length > 0 &&
          !sm.transitions.some((t) => t.from.value === from && t.to.value === step.to.value)
        ) {
          throw new RuntimeFault(
            "R204",
            `illegal transition from '${from}' to '${step.to.value}' at step '${step.name}'`,
            false,
          );
        }
        this.state = step.to.value;
        event.transition = { from, to: step.to.value };
        return;
      }
      case "call":
        return this.call(step, event);
      case "branch": {
        const arm = this.condition(step.condition) ? "then" : "else";
        event.branch = arm;
        this.frames.push({ steps: step[arm], next: 0 });
        return;
      }
      case "return": {
        const values = new Map<string, Value>();
        for (const v of step.values) values.set(v.name, this.value(v.value));
        const output = outputRecord(this.p, step.output.value, values);
        this.result = { status: step.output.value, output, steps: this.steps, state: this.state };
        return;
      }
    }
  }

  private async call(step: Step & { op: "call" }, event: StepEvent): Promise<void> {
    const args = new Map<string, Value>();
    for (const a of step.args) args.set(a.name, this.value(a.value));
    this.current = undefined;
    const effect = await this.ctx.call({
      step: step.name,
      tool: step.tool.value,
      args: new VRecord("args", args),
      timeoutMs: step.timeoutMs ?? step.errorHandling?.timeoutMs,
      retry: step.errorHandling?.retry,
    });
    event.effects.push(effect);
    if (!effect.ok) throw callFailure(effect);
    if (step.bind) this.bind(step.bind.value, toolResult(this.p, step, effect.result), event);
  }

  /** error_handling: a fallback binds and goes on; on_error ends with the declared error; else the run fails. */
  private recover(step: Step, event: StepEvent, err: unknown): void {
    const failure = failureOf(err, step, this.current);
    const eh = step.errorHandling;
    event.error = failure;
    if (!isRecoverable(err) || !(eh?.fallback || eh?.onError)) {
      this.result = failed("runtime_error", failure, this.steps, this.state);
      return;
    }
    if (eh.fallback) {
      event.recovered = "fallback";
      try {
        this.assign(eh.fallback, event);
      } catch (again) {
        this.result = failed("runtime_error", failureOf(again, step, this.current), this.steps, this.state);
      }
      return;
    }
    event.recovered = "on_error";
    this.result = { status: "error", output: errorOutput(this.p, eh.onError!), steps: this.steps, state: this.state };
  }

  /** After every step: invariants; after a successful return: postconditions. */
  private checkAfter(step: Step, event: StepEvent): void {
    try {
      for (const c of this.p.invariants) this.checkContract("invariant", c, event, this.runEnv);
      if (this.result?.status === "success") {
        const output = this.result.output!;
        const withOutput = this.env((name) => (name === "output" ? output : this.lookup(name)));
        for (const c of this.p.postconditions) this.checkContract("postcondition", c, event, withOutput);
      }
    } catch (err) {
      if (err instanceof ContractBroken) this.violate(err, step.name);
      else this.result = failed("runtime_error", failureOf(err, step, this.current), this.steps, this.state);
    }
  }

  // ---- position -------------------------------------------------------------------

  private nextStep(): Step | undefined {
    while (this.frames.length > 0) {
      const top = this.frames[this.frames.length - 1]!;
      if (top.next < top.steps.length) return top.steps[top.next++];
      this.frames.pop();
    }
    return undefined;
  }

  private hasNextStep(): boolean {
    return this.frames.some((f) => f.next < f.steps.length);
  }

  snapshot(): ReferenceSnapshot {
    return {
      runtime: "reference",
      index: this.index,
      frames: this.frames.map((f) => ({ ...f })),
      bindings: new Map(this.bindings),
      state: this.state,
      old: new Map(this.old),
      steps: this.steps,
      entered: this.entered,
      result: this.result,
      ctx: this.ctx.snapshot(),
    };
  }

  restore(snapshot: Snapshot): void {
    const s = snapshot as ReferenceSnapshot;
    if (s.runtime !== "reference")
      throw new Error("a direct-runtime snapshot cannot be restored into the reference runtime");
    this.index = s.index;
    this.frames = s.frames.map((f) => ({ ...f }));
    this.bindings = new Map(s.bindings);
    this.state = s.state;
    this.old = new Map(s.old);
    this.steps = s.steps;
    this.entered = s.entered;
    this.result = s.result;
    this.ctx.restore(s.ctx);
  }
}
