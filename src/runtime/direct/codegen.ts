import { entryFunction, invariantFunction, outputFunction, postFunction } from "./codegen-entry.js";
import { extremeBindings, extremeItems } from "./codegen-extreme.js";
import { jsIdentifier, jsNumber, jsString } from "./js-literal.js";
import type { Instr, LoweredExpr, LoweredNode } from "./layout.js";
import type { CompiledTier, ExprFn, Machine, StepFn } from "./machine.js";
import { ENGINE, type Constant, type Op } from "./op-tree.js";
import { directOps } from "./op-table.js";
import { intS, Sc, toS, up } from "./scaled.js";
import { scaledSlots } from "./scaled-slots.js";
import { numberConstant, staticScale, unitSlots } from "./static-scales.js";
import { stepLocalTensors } from "./step-local.js";
import { getProperty, shadowPlan, type RecordShadow, type ShadowPlan } from "./shadows.js";
import { elementAt, fuse, FUSION_RUNTIME, type FusionHost } from "./tensor-fusion.js";
import { Float32Engine } from "../../engine/float32-engine.js";
import { Decimal } from "../../values/decimal.js";
import { INT64_MAX, INT64_MIN } from "../../values/values.js";
import type { Engine } from "../../engine/engine.js";
import type { PreparedNode } from "../prepared.js";
import type { RunResult } from "../protocol.js";

// Tier 2 of the direct runtime, for hot nodes: JavaScript source generated from the
// operation trees, compiled once with `new Function`. One function per step (for
// stepping), one per contract expression, and one fused function that runs the
// whole node in a single loop with every step inlined (and, given the prepared node,
// a plain one for runs nobody observes: the entry walk and the outputs generated in
// codegen-entry.ts, no event bookkeeping). Generated text contains
// only what this file writes: numbers, operation names from ops.ts, validated
// identifiers and escaped string literals; every other value is a constant K[i].

export interface GeneratedModule {
  source: string;
  tier: CompiledTier;
}

/**
 * The module for a lowered node. With the prepared node `p`, it also has a plain
 * fused function for runs nobody observes: the entry walk and the outputs generated
 * (codegen-entry.ts), slots written directly, no event bookkeeping at all.
 */
export function generate(L: LoweredNode, engine: Engine, p?: PreparedNode): GeneratedModule {
  const g = new Generator();
  // Tensor expressions as fused loops only where the engine is the Float32Engine (tensor-fusion.ts gives its bits).
  if (engine instanceof Float32Engine) g.fusion = g.fusionHost();
  const exprIds = new Map<LoweredExpr, number>();
  const contractExprs = [
    ...L.preconditions,
    ...L.postconditions,
    ...L.invariants,
    ...L.old,
    ...L.inputConstraints.flatMap((i) => i.constraints.map((c) => c.expr)),
    ...[...L.records.values()].flatMap((r) => [
      ...r.fields.flatMap((f) => f.constraints.map((c) => c.expr)),
      ...r.constraints.map((c) => c.expr),
    ]),
  ];
  const parts: string[] = [];
  contractExprs.forEach((e, i) => {
    exprIds.set(e, i);
    parts.push(`function X${i}(s, m) { return ${g.expr(e.op)}; }`);
  });
  const hasCalls = L.instrs.some((i) => i.body.op === "call");
  for (const instr of L.instrs) {
    const async = instr.body.op === "call" ? "async " : "";
    parts.push(
      `${async}function S${instr.pc}(m) {${stepComment(instr)}\n  const s = m.s;\n${g.step(instr, (x) => `return ${x};`)}\n}`,
    );
    if (instr.fallback) {
      const body = instr.fallback
        .map((a) => `  m.src = ${a.value.src};\n  m.set(${a.slot}, ${g.expr(a.value.op)});`)
        .join("\n");
      parts.push(`function B${instr.pc}(m) {\n  const s = m.s;\n${body}\n  return 0;\n}`);
    }
  }
  parts.push(
    stepLoop({
      name: "fused",
      hasCalls,
      entry: [
        "  const obs = m.obs !== null;",
        "  if (obs) m.open(undefined);",
        "  const go = m.enter();",
        "  if (obs) m.close();",
        "  if (!go) return m.result;",
      ],
      at: "m.L.instrs[pc]",
      stepStart: ["    if (obs) m.open(at);"],
      cases: stepCases(L, (instr) => g.step(instr, (x) => `pc = ${x}; break;`)),
      beforeAfter: [],
      afterAfter: ["    if (obs) m.close();"],
    }),
  );
  let width: number | undefined;
  if (p) {
    const plan = shadowPlan(p, L);
    // A record input's shadow, read in one expression (singleRead).
    if (plan.singles.size > 0) g.hoisted.push("let hr;");
    const scaled = scaledSlots(L);
    g.units = unitSlots(L, scaled);
    // MIN and MAX bindings picked on scaled forms keep the winner's beside the Value (codegen-extreme.ts).
    for (const slot of extremeBindings(L, plan, scaled)) plan.bindings.set(slot, plan.width++);
    width = plan.width;
    g.oldOps = L.old.map((e) => e.op);
    const entry = {
      constant: (v: unknown) => g.constant(v as Constant),
      call: (e: LoweredExpr, slots: string) => `X${exprIds.get(e)!}(${slots}, m)`,
      hoisted: g.hoisted,
      plan,
      unitScale: (op: Op) => (op.k === "slot" ? g.units.get(op.index) : undefined),
      companion: (op: Op) =>
        op.k === "slot" && plan.bindings.has(op.index) ? `s[${plan.bindings.get(op.index)}]` : undefined,
      plain: (e: LoweredExpr, out?: Map<string, OutVar>) =>
        g.within(scaled, { plan, node: true, out, outputSlot: L.outputSlot }, () => g.expr(e.op)),
      ofRecord: (e: LoweredExpr, record: RecordShadow) =>
        g.within(null, { plan, node: false, record, outputSlot: L.outputSlot }, () => g.expr(e.op)),
    };
    parts.push(entryFunction(p, L, entry));
    const outputs = new Set<number>();
    const posts = new Set<number>();
    for (const instr of L.instrs) {
      const r = outputFunction(p, instr, entry);
      if (r) {
        parts.push(r);
        outputs.add(instr.pc);
        // A run's end is its invariants then its postconditions: checked on the values the return has.
        const q = postFunction(p, L, instr, entry);
        if (q) {
          parts.push(q);
          posts.add(instr.pc);
        }
      }
    }
    if (L.invariants.length > 0) parts.push(invariantFunction(p, L, entry));
    parts.push(plainFunction(L, g, hasCalls, outputs, posts, { plan, node: true, outputSlot: L.outputSlot }));
  }
  const steps = L.instrs.map((i) => `S${i.pc}`).join(", ");
  const fallbacks = L.instrs.map((i) => (i.fallback ? `B${i.pc}` : "undefined")).join(", ");
  const exprs = contractExprs.map((_, i) => `X${i}`).join(", ");
  const source = `"use strict";\n${g.hoisted.join("\n")}\n${parts.join("\n")}\nreturn { steps: [${steps}], fallbacks: [${fallbacks}], exprs: [${exprs}], fused${p ? ", plain" : ""} };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point of this tier; see the header comment.
  const made = new Function("O", "K", "E", source)(directOps, g.constants, engine) as {
    steps: StepFn[];
    fallbacks: (StepFn | undefined)[];
    exprs: ExprFn[];
    fused: (m: Machine) => Promise<RunResult> | RunResult;
    plain?: (m: Machine) => Promise<RunResult> | RunResult;
  };
  const { fused, plain } = made;
  return {
    source,
    tier: {
      tier: "generated",
      width,
      steps: made.steps,
      fallbacks: made.fallbacks,
      expr: (e) => {
        const id = exprIds.get(e);
        if (id === undefined) throw new Error("an expression the generator did not see");
        return made.exprs[id]!;
      },
      fused: plain ? (m) => (m.obs === null ? plain(m) : fused(m)) : fused,
    },
  };
}

/**
 * The node as one function for a run nobody observes: the generated entry, then the
 * steps in a loop; invariants, postconditions and the end of the flow (Machine.after)
 * only where they can apply.
 */
function plainFunction(
  L: LoweredNode,
  g: Generator,
  hasCalls: boolean,
  outputs: Set<number>,
  posts: Set<number>,
  reads: PlainReads,
): string {
  const jump = (x: string | number) => `pc = ${x}; break;`;
  // A call answered at once (every simulated tool) goes straight on; one answered with a promise hands the
  // run to the async copy of the loop (A), which waits for it and goes on from the step after the call.
  g.scratchSlots = stepLocalTensors(L);
  const cases = g.within(scaledSlots(L), reads, () =>
    stepCases(L, (instr) => g.step(instr, jump, outputs, posts, (next) => `if (r) return A(m, ${next}, at, r);`)),
  );
  // For a step that neither ended the run nor ran out of flow, after() checks the invariants alone (I, generated).
  const skipAfter =
    L.invariants.length === 0
      ? [`    if (m.result === undefined && pc !== ${L.end}) continue;`]
      : [`    if (m.result === undefined && pc !== ${L.end}) { if (I(m, s, at)) continue; return m.result; }`];
  const plain = stepLoop({
    name: "plain",
    hasCalls: false,
    entry: ["  if (!N(m, s)) return m.result;", "  const instrs = m.L.instrs;"],
    at: "instrs[pc]",
    stepStart: [],
    cases,
    beforeAfter: skipAfter,
    afterAfter: [],
  });
  if (!hasCalls) {
    g.scratchSlots = null;
    return plain;
  }
  const waiting = g.within(scaledSlots(L), reads, () => stepCases(L, (instr) => g.step(instr, jump, outputs, posts)));
  // A(m, pc, at, r): the call at `at` is waiting for r; once it settles (or fails into m.recover), the run goes on at pc.
  const resumed = stepLoop({
    name: "A",
    params: "m, pc, call, r",
    hasCalls: true,
    entry: ["  const instrs = m.L.instrs;"],
    at: "r === undefined ? instrs[pc] : call",
    stepStart: [],
    cases: waiting,
    beforeAfter: skipAfter,
    afterAfter: [],
    resume: true,
  });
  g.scratchSlots = null;
  return `${plain}\n${resumed}`;
}

/** Each instruction as a `case` of the step loop's switch, its code from `code`. */
function stepCases(L: LoweredNode, code: (instr: Instr) => string): string[] {
  return L.instrs.map((instr) => `      case ${instr.pc}: {${stepComment(instr)}\n${indent(code(instr), 4)}\n      }`);
}

/**
 * A fused function's source: the run's entry, then one loop that runs the step at pc
 * (a switch of `cases`), recovers a failure through m.recover, and moves on through
 * m.after until the run ends. The observed and the plain function differ only in the
 * lines around that skeleton.
 */
function stepLoop(o: {
  name: string;
  /** The parameters, when not just the machine; with `resume`, a call waiting on a promise (below). */
  params?: string;
  /** The loop starts with a call's promise r for the instruction `call`, then goes on at pc. */
  resume?: boolean;
  hasCalls: boolean;
  entry: string[];
  /** The expression for the instruction at pc. */
  at: string;
  stepStart: string[];
  cases: string[];
  beforeAfter: string[];
  afterAfter: string[];
}): string {
  return [
    `${o.hasCalls ? "async " : ""}function ${o.name}(${o.params ?? "m"}) {`,
    "  const s = m.s;",
    ...o.entry,
    ...(o.resume ? [] : ["  let pc = 0;"]),
    "  for (;;) {",
    `    const at = ${o.at};`,
    ...(o.resume
      ? [
          "    if (r !== undefined) {",
          "      const waited = r;",
          "      r = undefined;",
          "      try {",
          "        await waited;",
          "      } catch (err) {",
          "        pc = m.recover(at, err);",
          "      }",
          "    } else {",
        ]
      : []),
    ...o.stepStart,
    "    m.steps++;",
    "    try {",
    "      switch (pc) {",
    ...o.cases,
    "      }",
    "    } catch (err) {",
    "      pc = m.recover(at, err);",
    "    }",
    ...(o.resume ? ["    }"] : []),
    ...o.beforeAfter,
    "    pc = m.after(at, pc);",
    ...o.afterAfter,
    "    if (pc < 0) return m.result;",
    "  }",
    "}",
  ].join("\n");
}

/** A step's name as a comment, only when it is a plain identifier (the validator requires that anyway). */
function stepComment(instr: Instr): string {
  try {
    return ` // step ${jsIdentifier(instr.step.name)}`;
  } catch {
    return "";
  }
}

function indent(text: string, levels: number): string {
  return text
    .split("\n")
    .map((l) => "  ".repeat(levels) + l)
    .join("\n");
}

const SCALED_ZERO = intS(0n);

/** A constant scaled zero (of any scale or sign), against which a comparison is a sign test. */
function isScaledZero(op: Op): boolean {
  return op.k === "const" && op.value instanceof Sc && op.value.w === null && (op.value.m === 0 || op.value.m === 0n);
}

const ORDER = new Set(["<", "<=", ">", ">="]);
const FLIPPED: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/**
 * `LEN(x) op c` or `c op LEN(x)` with c an integer constant in [0, 2^31): the LEN, c as a
 * number and the operator with LEN on the left; undefined for any other operation.
 */
function lengthCompared(
  op: Extract<Op, { k: "inline" }>,
): { len: Extract<Op, { k: "call" }>; n: number; op: string } | undefined {
  if (!ORDER.has(op.op)) return undefined;
  const [a, b] = op.args as [Op, Op];
  const small = (o: Op) => o.k === "const" && typeof o.value === "bigint" && o.value >= 0n && o.value < 2n ** 31n;
  if (a.k === "call" && a.fn === "len" && small(b))
    return { len: a, n: Number((b as { value: bigint }).value), op: op.op };
  if (b.k === "call" && b.fn === "len" && small(a))
    return { len: b, n: Number((a as { value: bigint }).value), op: FLIPPED[op.op]! };
  return undefined;
}

/** Where plain code finds what it read once at entry (shadows.ts). */
export interface PlainReads {
  plan: ShadowPlan;
  /** Slots are the node's (steps, contracts); false in a record's constraints, whose slots are the record's. */
  node: boolean;
  outputSlot: number;
  /** In a record's constraints inside its shadow walk: the scaled forms sit at s[size + field slot]. */
  record?: RecordShadow;
  /** Inside a loop over a shadowed input: its variable's slot, whose element's shadow is `hx`. */
  loop?: { slot: number; shadow: RecordShadow };
  /** In a return's postconditions: each returned field's variable, and whether the field is a decimal. */
  out?: Map<string, OutVar>;
}

/** A returned value in a return's postconditions: its variable, whether its field is a decimal, and the scale of its units when it may be a number of units (scaled-units.ts). */
export interface OutVar {
  v: string;
  decimal: boolean;
  k?: number;
  /** Where the returned value's scaled form already is (a MIN or MAX binding's companion, codegen-extreme.ts). */
  sc?: string;
}

/** In plain code, a scaled operation's code: with `fixed`, it may give a number of units at scale k (scaled-units.ts); else an Sc. */
interface Units {
  code: string;
  k: number;
  fixed: boolean;
  /** A constant's own K[i] (an Sc), for an operation that takes only scaled values. */
  konst?: string;
}

/** The operations that give a scaled value, which plain code lowers through Generator.num. */
const SCALED_OPS = new Set(["S", "addS", "subS", "mulS", "negS", "roundS"]);

class Generator {
  readonly constants: unknown[] = [];
  readonly hoisted: string[] = [];
  private readonly constantIds = new Map<unknown, number>();
  /**
   * While writing the plain function: the slots that may hold a scaled value (an Sc)
   * between its steps (scaledSlots); null for everything else, which sees only Values.
   */
  scaled: ReadonlySet<number> | null = null;
  /** While writing plain code: where values read once at entry are (shadows.ts); null for everything else. */
  reads: PlainReads | null = null;
  /** Fuses tensor expressions (tensor-fusion.ts); null where the engine is not the Float32Engine. */
  fusion: FusionHost | null = null;
  /** The scaled slots held as numbers of units, with their scales (static-scales.ts); read only where `scaled` has the slot. */
  units: Map<number, number> = new Map();
  /** The node's old() expressions, by index (an old() of an input with a shadow reads the shadow). */
  oldOps: readonly Op[] = [];
  /** While writing the plain function: the bindings whose tensor may be kept in reused storage (step-local.ts). */
  scratchSlots: ReadonlySet<number> | null = null;
  /** Set while writing the value of such a binding, until the fusion host is asked (FusionHost.scratch). */
  private scratchPending = false;
  /** The last function written with a specialised loop its caller may try first (FusionHost.specialised). */
  private lastSpecialised: { call: string; plan: string; args: string } | null = null;

  fusionHost(): FusionHost {
    return {
      expr: (op) => this.expr(op),
      unfused: (op) => {
        const before = this.fusion;
        this.fusion = null;
        try {
          return this.expr(op);
        } finally {
          this.fusion = before;
        }
      },
      // The fused loops' kernels, passed like any other constant (by index, once).
      runtime: () => this.constant(FUSION_RUNTIME as unknown as Constant),
      constant: (v) => this.constant(v as unknown as Constant),
      specialised: (call, plan, args) => {
        this.lastSpecialised = { call, plan, args };
      },
      scratch: () => {
        const pending = this.scratchPending;
        this.scratchPending = false;
        return pending;
      },
      hoist: (make) => {
        const name = `T${this.hoisted.length}`;
        this.hoisted.push(""); // reserve the name, as loops do
        this.hoisted[Number(name.slice(1))] = make(name);
        return `${name}(s, m)`;
      },
    };
  }

  /** `f` with the plain function's view of the slots in force (restored afterwards). */
  within<T>(scaled: ReadonlySet<number> | null, reads: PlainReads | null, f: () => T): T {
    const before = [this.scaled, this.reads] as const;
    this.scaled = scaled;
    this.reads = reads;
    try {
      return f();
    } finally {
      [this.scaled, this.reads] = before;
    }
  }

  /** The read of `get(slot, name)` with no shadow: what expr() writes for it elsewhere. */
  private plainGet(op: Extract<Op, { k: "call" }>): string {
    return `O.get(${op.args.map((a) => this.expr(a)).join(", ")})`;
  }

  /**
   * Where an operand of S already has its scaled form (a shadow), or undefined; `int`
   * when that form is an integer field's (a number of units at scale 0, read through O.SI).
   */
  private scaledRead(a: Op): { code: string; int: boolean } | undefined {
    const r = this.reads!;
    // old(e) of an input read: inputs with shadows are never written, so the shadow is still e's at entry.
    if (a.k === "old") {
      const e = this.oldOps[a.index];
      return e && r.node && this.readsInputOnly(e) ? this.scaledRead(e) : undefined;
    }
    if (a.k === "slot") {
      if (r.node) {
        const h = r.plan.inputs.get(a.index);
        if (h !== undefined) return { code: `s[${h}]`, int: false };
        const c = r.plan.bindings.get(a.index);
        if (c === undefined) return undefined;
        const companion = { ...a, index: c };
        return { code: this.slot(companion), int: false };
      }
      if (!r.record?.scaled.has(a.index)) return undefined;
      return { code: `s[${r.record.size + a.index}]`, int: r.record.ints.has(a.index) };
    }
    const name = getProperty(a);
    const target = name === undefined ? undefined : (a as Extract<Op, { k: "call" }>).args[0]!;
    if (!r.node || target?.k !== "slot") return undefined;
    if (r.loop && target.index === r.loop.slot) {
      const field = r.loop.shadow.fields.get(name!);
      if (field === undefined || !r.loop.shadow.scaled.has(field)) return undefined;
      return {
        code: `(hx === null ? ${this.plainGet(a as Extract<Op, { k: "call" }>)} : hx[${r.loop.shadow.size + field}])`,
        int: r.loop.shadow.ints.has(field),
      };
    }
    const single = r.plan.singles.get(target.index);
    if (single) {
      const field = single.fields.get(name!);
      if (field !== undefined && single.scaled.has(field))
        return {
          code: this.singleRead(single, a as Extract<Op, { k: "call" }>, single.size + field),
          int: single.ints.has(field),
        };
    }
    const out = r.out && target.index === r.outputSlot ? r.out.get(name!) : undefined;
    return out === undefined ? undefined : { code: out.sc ?? out.v, int: false };
  }

  /** Whether `e` is a read of an input's shadow (an input, or a field of a record input's): what old() may read. */
  private readsInputOnly(e: Op): boolean {
    const plan = this.reads!.plan;
    if (e.k === "slot") return plan.inputs.has(e.index);
    const name = getProperty(e);
    const target = name === undefined ? undefined : (e as Extract<Op, { k: "call" }>).args[0]!;
    return target?.k === "slot" && plan.singles.has(target.index);
  }

  /**
   * An operand of a MIN or MAX binding (codegen-extreme.ts hasScaledForm) as its scaled form in plain code: the
   * code, and the scale of its units where it may be a number of units (cmpU's operand), else -1 (an Sc, or a
   * Value that is not one, for which the pick falls back to extreme()).
   */
  private scaledForm(op: Op): { code: string; k: number } {
    if (op.k === "const")
      return { code: this.constant(op.value instanceof Decimal ? toS(op.value) : intS(op.value as bigint)), k: -1 };
    if (op.k === "slot" && this.scaled?.has(op.index))
      return { code: this.slot(op), k: this.units.get(op.index) ?? -1 };
    const r = this.scaledRead(op)!;
    return { code: r.code, k: r.int ? 0 : -1 };
  }

  /**
   * A MIN or MAX binding's assignment (codegen-extreme.ts): the operands' scaled forms compared in order as the
   * reference compares them (a later one wins only when strictly better; NaN never wins), then the winner's own
   * Value into the slot and its scaled form into the companion. An operand whose form is not scaled (a null, a
   * scaled slot holding a Value) sends the whole pick to extreme() on the Values, as before.
   */
  private pick(slot: number, companion: number, x: NonNullable<ReturnType<typeof extremeItems>>): string {
    const forms = x.items.map((i) => this.scaledForm(i));
    const better = x.fn === "MIN" ? "< 0" : "> 0";
    const lines = [`{ let w = -1; let b; let bk;`];
    forms.forEach((f, i) => lines.push(`  const x${i} = ${f.code};`));
    lines.push(
      `  if (${forms.map((f, i) => `O.isU(x${i}, ${f.k})`).join(" && ")}) {`,
      `    w = 0; b = x0; bk = ${forms[0]!.k};`,
    );
    for (let i = 1; i < forms.length; i++)
      lines.push(
        `    if (O.cmpU(x${i}, ${forms[i]!.k}, b, bk) ${better}) { w = ${i}; b = x${i}; bk = ${forms[i]!.k}; }`,
      );
    lines.push("  }");
    x.items.forEach((item, i) => {
      const sc = forms[i]!.k >= 0 ? `O.kU(x${i}, ${forms[i]!.k})` : `x${i}`;
      lines.push(
        `  ${i === 0 ? "if" : "else if"} (w === ${i}) { s[${slot}] = ${this.expr(item)}; s[${companion}] = ${sc}; }`,
      );
    });
    const list = `[${x.items.map((i) => this.expr(i)).join(", ")}]`;
    lines.push(
      `  else { s[${slot}] = O.extreme(${jsString(x.fn)}, ${list}, ${this.expr(x.span)}); s[${companion}] = O.sh(s[${slot}]); }`,
      "}",
    );
    return lines.join("\n");
  }

  /**
   * A read of a record input's shadow at `index`, or of the record as before while the
   * shadow is not made (undefined: before the input's entry walk; null: not a record).
   */
  private singleRead(single: RecordShadow, op: Extract<Op, { k: "call" }>, index: number): string {
    return `((hr = s[${single.shadow}]) == null ? ${this.plainGet(op)} : hr[${index}])`;
  }

  /** Where `get(slot, name)` was already read (a shadow), or undefined. */
  private fieldRead(op: Extract<Op, { k: "call" }>): string | undefined {
    const r = this.reads!;
    const name = getProperty(op);
    const target = op.args[0]!;
    if (!r.node || name === undefined || target.k !== "slot") return undefined;
    if (r.loop && target.index === r.loop.slot) {
      const field = r.loop.shadow.fields.get(name);
      return field === undefined ? undefined : `(hx === null ? ${this.plainGet(op)} : hx[${field}])`;
    }
    const single = r.plan.singles.get(target.index);
    const field = single?.fields.get(name);
    if (single && field !== undefined) return this.singleRead(single, op, field);
    // A returned field that is not a decimal is in the output record as it is.
    const out = r.out?.get(name);
    return target.index === r.outputSlot && out && !out.decimal ? out.v : undefined;
  }

  private slot(op: Extract<Op, { k: "slot" }>): string {
    return op.alwaysBound
      ? `s[${op.index}]`
      : `O.bound(s[${op.index}], ${jsString(op.name)}, ${this.constant(op.span)})`;
  }

  /**
   * In the plain function, an operation as either a scaled value or the Value it
   * would give (where the reader takes both: O.S, a scaled slot, a generated output):
   * decimal arithmetic skips its final fromS, a SUM of scaled decimals stays scaled,
   * a decimal constant is scaled once here, a scaled slot is read as it is.
   */
  raw(op: Op): string {
    if (this.scaled) {
      if (op.k === "slot" && this.scaled.has(op.index)) {
        // A number of units is never copied as it is: only its own slot's readers know its scale.
        const k = this.units.get(op.index);
        return k === undefined ? this.slot(op) : `O.scU(${this.slot(op)}, ${k})`;
      }
      if (op.k === "call" && op.fn === "fromS") return this.expr(op.args[0]!);
      if (op.k === "const" && op.value instanceof Decimal) return this.constant(toS(op.value));
      if (op.k === "loop" && op.kind === "SUMS") return this.loop(op, true);
    }
    return this.expr(op);
  }

  /** The scale slot i's units are held at in this plain code, or undefined where it holds no number of units. */
  private unitScale(i: number): number | undefined {
    return this.scaled?.has(i) ? this.units.get(i) : undefined;
  }

  /** The scale `op` (giving a scaled value) is known at in this plain code (static-scales.ts), or undefined. */
  private known(op: Op): number | undefined {
    return staticScale(
      op,
      (i) => this.unitScale(i),
      (a) => this.outUnits(a)?.k,
    );
  }

  /** In a return's postconditions, a returned field that may be a number of units: its variable and scale. */
  private outUnits(a: Op): { v: string; k: number } | undefined {
    const r = this.reads;
    const name = getProperty(a);
    if (!r?.out || name === undefined) return undefined;
    const target = (a as Extract<Op, { k: "call" }>).args[0]!;
    const out = r.out.get(name);
    return target.k === "slot" && target.index === r.outputSlot && out?.k !== undefined
      ? { v: out.v, k: out.k }
      : undefined;
  }

  /**
   * In plain code, an operation giving a scaled value, on numbers of units wherever its
   * scale is known (scaled-units.ts); undefined for an S that reads no number of units
   * (expr() writes it as before).
   */
  private num(op: Op): Units | undefined {
    const c = numberConstant(op);
    if (c && op.k === "const" && op.value instanceof Sc)
      return { code: jsNumber(c.m as number), k: c.k, fixed: true, konst: this.constant(op.value) };
    if (op.k !== "call") return undefined;
    const [a, b] = op.args;
    switch (op.fn) {
      case "S": {
        if (a!.k === "slot") {
          const k = this.unitScale(a!.index);
          if (k !== undefined) return { code: this.slot(a!), k, fixed: true };
        }
        const out = this.outUnits(a!);
        if (out) return { code: out.v, k: out.k, fixed: true };
        // An integer field's shadow: a number of units at scale 0 while it is a safe integer.
        const r = this.scaledRead(a!);
        return r?.int ? { code: `O.SI(${r.code}, ${this.expr(b!)})`, k: 0, fixed: true } : undefined;
      }
      case "addS":
      case "subS": {
        const x = this.part(a!);
        const y = this.part(b!);
        if (!x.fixed && !y.fixed) return { code: `O.${op.fn}(${x.code}, ${y.code})`, k: 0, fixed: false };
        // Beside a computed operand of unknown scale (a product of inputs: its scale is a sum), an Sc at their
        // own larger scale; beside a value read (an input, most often money), the known scale, a number of
        // units while the read value's scale fits it.
        const computed = (u: Units, o: Op) => !u.fixed && !(o.k === "call" && o.fn === "S");
        if (computed(x, a!) || computed(y, b!))
          return { code: `O.addUS(${x.code}, ${x.k}, ${y.code}, ${y.k}, ${op.fn === "subS"})`, k: 0, fixed: false };
        const k = !x.fixed ? y.k : !y.fixed || y.k < x.k ? x.k : y.k;
        const fn = op.fn === "addS" ? "addU" : "subU";
        return { code: `O.${fn}(${x.code}, ${x.k}, ${y.code}, ${y.k}, ${k})`, k, fixed: true };
      }
      case "mulS": {
        const x = this.part(a!);
        const y = this.part(b!);
        if (x.fixed && y.fixed)
          return { code: `O.mulU(${x.code}, ${x.k}, ${y.code}, ${y.k}, ${x.k + y.k})`, k: x.k + y.k, fixed: true };
        return { code: `O.mulS(${this.sc(x)}, ${this.sc(y)})`, k: 0, fixed: false };
      }
      case "negS": {
        const x = this.part(a!);
        return x.fixed
          ? { code: `O.negU(${x.code}, ${x.k})`, k: x.k, fixed: true }
          : { code: `O.negS(${x.code})`, k: 0, fixed: false };
      }
      case "roundS": {
        if (b!.k !== "const" || typeof b!.value !== "number") return undefined;
        const places = b!.value;
        // ROUND's result has a known scale whatever its operand's: its places.
        if (a!.k === "call" && a!.fn === "mulS")
          return { code: `O.mulRoundU(${this.mulRoundArgs(op)})`, k: places, fixed: true };
        const x = this.part(a!);
        return { code: `O.roundU(${x.code}, ${x.k}, ${places}, ${this.expr(op.args[2]!)})`, k: places, fixed: true };
      }
      default:
        return undefined;
    }
  }

  /** mulRoundU's arguments for roundS(mulS(a, b), places, mode): a and its scale, b and its scale, places, mode. */
  private mulRoundArgs(op: Extract<Op, { k: "call" }>): string {
    const product = op.args[0] as Extract<Op, { k: "call" }>;
    const x = this.part(product.args[0]!);
    const y = this.part(product.args[1]!);
    return `${x.code}, ${x.k}, ${y.code}, ${y.k}, ${this.expr(op.args[1]!)}, ${this.expr(op.args[2]!)}`;
  }

  /** An operand of scaled arithmetic in plain code: num's lowering, else expr's scaled value. */
  private part(op: Op): Units {
    return this.num(op) ?? { code: this.expr(op), k: 0, fixed: false };
  }

  /** A lowered operand as a scaled value (an Sc) for an operation that takes only those. */
  private sc(u: Units): string {
    return u.konst ?? (u.fixed ? `O.kU(${u.code}, ${u.k})` : u.code);
  }

  /**
   * In plain code, cmpS or eqS with an operand of known scale, on numbers of units (a
   * sign test against zero, a product compared in one operation); undefined when no
   * operand's scale is known (expr() writes it as before).
   */
  private compareUnits(op: Extract<Op, { k: "call" }>): string | undefined {
    const [a, b] = op.args as [Op, Op];
    const eq = op.fn === "eqS";
    if (isScaledZero(b) || (eq && isScaledZero(a))) {
      const x = isScaledZero(b) ? a : b;
      if (this.known(x) === undefined) return undefined;
      const u = this.num(x)!;
      return eq ? `(O.sgnU(${u.code}, ${u.k}) === 0)` : `O.sgnU(${u.code}, ${u.k})`;
    }
    if (!eq && a.k === "call" && a.fn === "mulS") {
      const [p, q] = a.args as [Op, Op];
      if (this.known(p) === undefined && this.known(q) === undefined && this.known(b) === undefined) return undefined;
      const x = this.part(p);
      const y = this.part(q);
      const z = this.part(b);
      return `O.mulCmpU(${x.code}, ${x.k}, ${y.code}, ${y.k}, ${z.code}, ${z.k})`;
    }
    if (this.known(a) === undefined && this.known(b) === undefined) return undefined;
    const x = this.part(a);
    const y = this.part(b);
    const cmp = `O.cmpU(${x.code}, ${x.k}, ${y.code}, ${y.k})`;
    return eq ? `(${cmp} === 0)` : cmp;
  }

  /** A value assigned to a slot held as units at scale `k` (static-scales.ts): units at k when it fits, else its Sc. */
  private rawUnits(op: Op, k: number): string {
    if (op.k === "const" && op.value instanceof Decimal) {
      const c = toS(op.value);
      const r = c.w === null && typeof c.m === "number" && c.k <= k ? up(c.m, k - c.k) : undefined;
      return r === undefined ? this.constant(c) : jsNumber(r);
    }
    let u: Units | undefined;
    if (op.k === "call" && op.fn === "fromS") u = this.num(op.args[0]!);
    else if (op.k === "loop" && op.kind === "SUMS") {
      const code = this.loop(op, true, true);
      u = this.sumScale === undefined ? { code, k: 0, fixed: false } : { code, k: this.sumScale, fixed: true };
    }
    if (!u) return this.raw(op);
    // Anything but a number (an Sc, an empty SUM's 0n) is stored as it is.
    if (!u.fixed) return u.code;
    if (u.k > k) return `O.scU(${u.code}, ${u.k})`;
    return u.k === k ? u.code : `O.upU(${u.code}, ${u.k}, ${k})`;
  }

  constant(v: Constant): string {
    if (v === ENGINE) return "E";
    if (v === undefined) return "undefined";
    if (v === null || typeof v === "boolean") return String(v);
    if (typeof v === "string") return jsString(v);
    if (typeof v === "number" && Number.isFinite(v)) return jsNumber(v);
    let id = this.constantIds.get(v);
    if (id === undefined) {
      id = this.constants.push(v) - 1;
      this.constantIds.set(v, id);
    }
    return `K[${id}]`;
  }

  expr(op: Op): string {
    switch (op.k) {
      case "const":
        return this.constant(op.value);
      case "slot":
        // A slot that may hold a scaled value is read as the value it stands for, except where raw() reads it.
        if (!this.scaled?.has(op.index)) return this.slot(op);
        return this.units.has(op.index)
          ? `O.unU(${this.slot(op)}, ${this.units.get(op.index)})`
          : `O.unS(${this.slot(op)})`;
      case "call":
        if (this.fusion && (op.fn === "tensorArith" || op.fn === "tensorFn")) {
          const fused = fuse(op, this.fusion);
          if (fused !== undefined) return fused;
        }
        if (this.reads && SCALED_OPS.has(op.fn)) {
          const n = this.num(op);
          if (n) return n.fixed ? `O.kU(${n.code}, ${n.k})` : n.code;
        }
        if (this.reads && (op.fn === "cmpS" || op.fn === "eqS")) {
          const c = this.compareUnits(op);
          if (c !== undefined) return c;
        }
        if (this.fusion && op.fn === "at2") {
          const read = elementAt(op, this.fusion);
          if (read !== undefined) return read;
        }
        if (this.reads && (op.fn === "S" || op.fn === "get")) {
          if (op.fn === "get") {
            const r = this.fieldRead(op);
            if (r !== undefined) return r;
          } else {
            const r = this.scaledRead(op.args[0]!);
            const span = r && this.expr(op.args[1]!);
            if (r !== undefined) return r.int ? `O.kU(O.SI(${r.code}, ${span}), 0)` : `O.S(${r.code}, ${span})`;
          }
        }
        if (op.fn === "S" && this.scaled) return `O.S(${this.raw(op.args[0]!)}, ${this.expr(op.args[1]!)})`;
        if (op.fn === "cmpS" && isScaledZero(op.args[1]!)) return `O.sgnS(${this.expr(op.args[0]!)})`;
        // Equality with zero is a zero sign (either side; a negative zero equals zero, as decimal.js compares).
        if (op.fn === "eqS" && isScaledZero(op.args[1]!)) return `(O.sgnS(${this.expr(op.args[0]!)}) === 0)`;
        if (op.fn === "eqS" && isScaledZero(op.args[0]!)) return `(O.sgnS(${this.expr(op.args[1]!)}) === 0)`;
        if (op.fn === "cmpS" && op.args[0]!.k === "call" && op.args[0]!.fn === "mulS") {
          // A product compared: one operation, with no scaled value made for the product itself.
          const [x, y] = op.args[0]!.args.map((a) => this.expr(a));
          return `O.mulCmpS(${x}, ${y}, ${this.expr(op.args[1]!)})`;
        }
        if (op.fn === "roundS" && op.args[0]!.k === "call" && op.args[0]!.fn === "mulS") {
          // ROUND of a product: one operation, with no scaled value made for the product itself.
          const [x, y] = op.args[0]!.args.map((a) => this.expr(a));
          return `O.mulRoundS(${x}, ${y}, ${this.expr(op.args[1]!)}, ${this.expr(op.args[2]!)})`;
        }
        return `O.${jsIdentifier(op.fn)}(${op.args.map((a) => this.expr(a)).join(", ")})`;
      case "inline": {
        const len = lengthCompared(op);
        if (len) {
          // LEN compared with a small constant: a count of code points only where the string's length leaves it open.
          const [v, span] = len.len.args.map((x) => this.expr(x));
          return `(O.lenCmp(${v}, ${span}, ${len.n}) ${len.op} 0)`;
        }
        const [a, b] = op.args.map((x) => this.expr(x));
        if (op.op === "neg") return `(-${a})`;
        if (op.op === "!") return `(!${a})`;
        return `(${a} ${op.op} ${b})`;
      }
      case "method":
        return `${this.expr(op.target)}.${jsIdentifier(op.method)}(${op.args.map((a) => this.expr(a)).join(", ")})`;
      case "and":
        return `(${this.expr(op.left)} && ${this.expr(op.right)})`;
      case "or":
        return `(${this.expr(op.left)} || ${this.expr(op.right)})`;
      case "list":
        return `[${op.items.map((i) => this.expr(i)).join(", ")}]`;
      case "context":
        return op.fn === "now" ? "m.ctx.now()" : "m.ctx.random()";
      case "old":
        return `m.old[${op.index}]`;
      case "loop":
        return this.loop(op);
      case "guard": {
        // A slot that may hold a scaled value is never a number: such a guard always takes the slow path.
        if (op.slots.some((i) => this.scaled?.has(i))) return this.expr(op.slow);
        const test = op.slots.map((i) => `typeof s[${i}] === "number"`).join(" && ");
        return `(${test} ? ${this.expr(op.fast)} : ${this.expr(op.slow)})`;
      }
    }
  }

  /** The constant index of scaled zero, where a SUM of scaled decimals starts. */
  private zero(): number {
    this.constant(SCALED_ZERO);
    return this.constantIds.get(SCALED_ZERO)!;
  }

  /** Loops become functions of their own, hoisted to the top of the module. */
  /** The scale of the units the last SUMS loop written with `units` adds up; undefined when it adds Sc values. */
  private sumScale: number | undefined;

  private loop(op: Extract<Op, { k: "loop" }>, scaled = false, units = false): string {
    const name = `L${this.hoisted.length}`;
    this.hoisted.push(""); // reserve the name before generating nested loops
    // A function of its own: the enclosing loop's element and a return's variables are not in scope here.
    const outer = this.reads;
    const reads = outer && { ...outer, loop: undefined, out: undefined };
    const shadow = reads?.node && op.collection.k === "slot" ? reads.plan.records.get(op.collection.index) : undefined;
    let items = "";
    let body = "";
    /** For a SUMS, the next partial sum from `acc` in one operation, when the body allows it. */
    let term = "";
    /** For a SUMS into a slot of units, the scale of its units (its terms' known scale). */
    let sumK: number | undefined;
    this.reads = reads;
    try {
      // An array is its own items (O.items' first case), with no call.
      const collection = this.expr(op.collection);
      const span = this.constant(op.collectionSpan);
      items =
        op.collection.k === "slot" && reads
          ? `(Array.isArray(${collection}) ? ${collection} : O.items(${collection}, ${span}))`
          : `O.items(${collection}, ${span})`;
      if (reads && shadow) this.reads = { ...reads, loop: { slot: op.slot, shadow } };
      const b = op.body;
      const round =
        b.k === "call" &&
        b.fn === "roundS" &&
        b.args[1]!.k === "const" &&
        typeof b.args[1]!.value === "number" &&
        b.args[0]!.k === "call" &&
        b.args[0]!.fn === "mulS";
      if (units && op.kind === "SUMS" && round) {
        // Added up as numbers of units at the terms' scale while they fit (scaled-units.ts): a rounded product is
        // added as it is rounded, in one operation.
        sumK = (b.args[1] as { value: number }).value;
        term = `O.addMulRoundU(acc, ${sumK}, ${this.mulRoundArgs(b)})`;
      } else {
        const bu = units && op.kind === "SUMS" && this.known(b) !== undefined ? this.num(b) : undefined;
        if (bu?.fixed) {
          sumK = bu.k;
          term = `O.addU(acc, ${sumK}, ${bu.code}, ${bu.k}, ${sumK})`;
        } else body = this.expr(op.body);
      }
      if (
        sumK === undefined &&
        op.kind === "SUMS" &&
        b.k === "call" &&
        b.fn === "roundS" &&
        b.args[0]!.k === "call" &&
        b.args[0]!.fn === "mulS"
      ) {
        // A sum of rounded products: each term added as it is rounded, with no scaled value made for it.
        const [x, y] = b.args[0]!.args.map((a) => this.expr(a));
        term = `O.addMulRoundS(acc, ${x}, ${y}, ${this.expr(b.args[1]!)}, ${this.expr(b.args[2]!)})`;
      }
    } finally {
      this.reads = outer;
    }
    // Over a shadowed input, each element comes with its shadow (null until the entry walk built them).
    const head = shadow
      ? `const c = ${items};\n  const H = s[${shadow.shadow}];\n  for (let i = 0; i < c.length; i++) {\n    const x = c[i];\n    const hx = H === undefined ? null : H[i];`
      : `for (const x of ${items}) {`;
    let text: string;
    if (op.kind === "SUMS") {
      // Folded as it goes (sumSS's fold, in order from 0), with no list of the terms; 0n for none.
      const finish = scaled ? "acc" : "O.unS(acc)";
      const start = sumK === undefined ? `K[${this.zero()}]` : "0";
      text = `function ${name}(s, m) {\n  let n = 0;\n  let acc = ${start};\n  ${head}\n    s[${op.slot}] = x;\n    acc = ${term || `O.addS(acc, ${body})`};\n    n++;\n  }\n  return n === 0 ? 0n : ${finish};\n}`;
    } else if (op.kind === "FORALL" || op.kind === "EXISTS") {
      const want = op.kind === "EXISTS";
      text = `function ${name}(s, m) {\n  ${head}\n    s[${op.slot}] = x;\n    if (O.bool(${body}, ${this.constant(op.bodySpan)}) === ${want}) return ${want};\n  }\n  return ${!want};\n}`;
    } else if (op.kind === "COUNT") {
      // Counted as it goes; the first body that is not a boolean fails after every body ran, as the filter
      // over the list of them failed.
      text = `function ${name}(s, m) {\n  let n = 0;\n  let bad = false;\n  let bv = null;\n  ${head}\n    s[${op.slot}] = x;\n    const b = ${body};\n    if (b === true) n++;\n    else if (b !== false && !bad) { bad = true; bv = b; }\n  }\n  if (bad) O.bool(bv, ${this.constant(op.bodySpan)});\n  return O.nat(n);\n}`;
    } else if (op.kind === "SUM" && op.bodyKind === "integer") {
      // Folded as it goes; the first partial sum out of the 64-bit range fails after every body ran, as
      // sumTyped's fold over the list of them failed (the bodies are proven integers).
      const lo = this.constant(INT64_MIN);
      const hi = this.constant(INT64_MAX);
      text = `function ${name}(s, m) {\n  let acc = 0n;\n  let over = null;\n  ${head}\n    s[${op.slot}] = x;\n    const b = ${body};\n    if (over === null) { acc += b; if (acc > ${hi} || acc < ${lo}) over = acc; }\n  }\n  if (over !== null) O.ck(over, ${this.constant(op.span)});\n  return acc;\n}`;
    } else {
      const finish =
        op.kind === "SUM"
          ? `O.sumTyped(v, ${jsString(op.bodyKind)}, ${this.constant(op.span)}, E)`
          : op.kind === "LIST"
            ? "v"
            : `O.extreme(${jsString(op.kind)}, v, ${this.constant(op.span)})`;
      text = `function ${name}(s, m) {\n  const v = [];\n  ${head}\n    s[${op.slot}] = x;\n    v.push(${body});\n  }\n  return ${finish};\n}`;
    }
    this.hoisted[Number(name.slice(1))] = text;
    this.sumScale = sumK;
    return `${name}(s, m)`;
  }

  /** A returned value for a generated output (R<pc>): a slot of units as it is (R and Q know its scale), else raw(). */
  private returned(op: Op): string {
    return op.k === "slot" && this.scaled?.has(op.index) && this.units.has(op.index) ? this.slot(op) : this.raw(op);
  }

  /**
   * One step's statements; `jump(x)` is how this context continues at pc x. With
   * `plain` (the returns that have a generated output function), for a run with no
   * events: slots are written directly and nothing notes a skip or an arm.
   */
  step(
    instr: Instr,
    jump: (target: string | number) => string,
    plain?: Set<number>,
    posts?: Set<number>,
    /** How a call that answered with a promise goes on (the default waits for it here). */
    pending: (next: number) => string = () => "if (r) await r;",
  ): string {
    const lines: string[] = [];
    const set = (slot: number, op: Op) => {
      if (!plain) return `m.set(${slot}, ${this.expr(op)});`;
      // An element read in place is a statement of its own here: no function to call.
      if (this.fusion && op.k === "call" && op.fn === "at2" && !this.scaled?.has(slot)) {
        const read = elementAt(op, this.fusion, `s[${slot}]`);
        if (read !== undefined) return read;
      }
      const companion = this.reads?.plan.bindings.get(slot);
      const x = companion === undefined ? undefined : extremeItems(op);
      if (x) return this.pick(slot, companion!, x);
      const tensorCall = op.k === "call" && (op.fn === "tensorArith" || op.fn === "tensorFn");
      this.scratchPending = tensorCall && this.scratchSlots?.has(slot) === true;
      this.lastSpecialised = null;
      try {
        const k = this.units.get(slot);
        const value = !this.scaled?.has(slot) ? this.expr(op) : k === undefined ? this.raw(op) : this.rawUnits(op, k);
        // A tensor expression's specialised loop, tried here first: one call where there were two.
        const sp = this.lastSpecialised as { call: string; plan: string; args: string } | null;
        if (tensorCall && sp?.call === value)
          return `{ const f = ${sp.plan}.fn; let r; s[${slot}] = f !== null && (r = f(${sp.args})) !== undefined ? r : ${value}; }`;
        return `s[${slot}] = ${value};`;
      } finally {
        this.scratchPending = false;
        this.lastSpecialised = null;
      }
    };
    const note = (call: string) => (plain ? "" : `${call} `);
    for (const g of instr.guards) {
      lines.push(`m.src = ${g.src};`, `if (${this.expr(g.op)} !== true) { ${note("m.skip();")}${jump(instr.next)} }`);
    }
    const b = instr.body;
    switch (b.op) {
      case "validate":
        lines.push(
          `m.src = ${b.check.src};`,
          `if (${this.expr(b.check.op)} !== true) { ${jump(`m.fail(${instr.pc})`)} }`,
          jump(instr.next),
        );
        break;
      case "compute":
      case "tensor":
        for (const a of b.assignments) lines.push(`m.src = ${a.value.src};`, set(a.slot, a.value.op));
        lines.push(jump(instr.next));
        break;
      case "transition":
        lines.push(`m.go(${instr.pc});`, jump(instr.next));
        break;
      case "call":
        b.args.forEach((a, i) => lines.push(`m.src = ${a.value.src};`, `const a${i} = ${this.expr(a.value.op)};`));
        lines.push(
          `const r = m.call(${instr.pc}, [${b.args.map((_, i) => `a${i}`).join(", ")}]);`,
          pending(instr.next),
          jump(instr.next),
        );
        break;
      case "branch":
        lines.push(
          `m.src = ${b.condition.src};`,
          `if (${this.expr(b.condition.op)} === true) { ${note('m.arm("then");')}${jump(b.then)} }`,
          ...(plain ? [] : [`m.arm("else");`]),
          jump(b.else),
        );
        break;
      case "return":
        // A generated output (R<pc>) takes scaled values and makes each Decimal at its field's display scale.
        b.values.forEach((v, i) =>
          lines.push(
            `m.src = ${v.src};`,
            `const v${i} = ${plain?.has(instr.pc) ? this.returned(v.op) : this.expr(v.op)};`,
          ),
        );
        if (posts?.has(instr.pc)) {
          // Q<pc> checks the postconditions on these values and ends the run, unless the output needed its conformer.
          const vs = b.values.map((_, i) => `, v${i}`).join("");
          lines.push(
            `pc = m.returned(${instr.pc}, R${instr.pc}(m${vs}));`,
            `if (!m.slowOut) { Q${instr.pc}(m, s, at${vs}); return m.result; }`,
            "break;",
          );
          break;
        }
        lines.push(
          jump(
            plain?.has(instr.pc)
              ? `m.returned(${instr.pc}, R${instr.pc}(m${b.values.map((_, i) => `, v${i}`).join("")}))`
              : `m.ret(${instr.pc}, [${b.values.map((_, i) => `v${i}`).join(", ")}])`,
          ),
        );
        break;
    }
    return lines.map((l) => `  ${l}`).join("\n");
  }
}
