import { jsString } from "./js-literal.js";
import type { Instr, LoweredExpr, LoweredNode, RecordConstraints } from "./layout.js";
import type { ContractRef } from "./machine.js";
import type { Op } from "./op-tree.js";
import { fromU } from "./scaled-units.js";
import { fromS, Sc } from "./scaled.js";
import type { RecordShadow, ShadowPlan } from "./shadows.js";
import type { PreparedNode } from "../prepared.js";
import type { ContractKind } from "../protocol.js";
import { ERROR_RECORD, SUCCESS_RECORD } from "../../ir/validate.js";
import type { RecordTypeDecl, SourceExpr } from "../../ir/ast.js";
import { Decimal } from "../../values/decimal.js";
import { withDisplayScale } from "../../values/display-scale.js";
import type { FieldDef, VType } from "../../values/types.js";
import { INT64_MAX, INT64_MIN, recordOf, Tensor, VMap, VRecord, VSet } from "../../values/values.js";

// The generated tier's entry and exit, for runs straight through (no events): the
// input-constraint walk, the preconditions and old() values as straight-line code,
// and each return's output record built and conformed in place. They do what
// Machine.enter, the record walkers and the compiled output conformers do, in the
// same order and with the same failures; anything off the common path (a value
// that needs converting, a missing field) goes to those same compiled conformers,
// so the answers and the messages stay theirs. The entry also makes the run's input
// shadows (shadows.ts) before anything reads them, and its checks read them; a
// return's postconditions read the values it returned (Q<pc>), where after() would
// read the output record.

export interface EntryGenerator {
  /** How generated code names a constant: a literal, or K[i] for an object. */
  constant(v: unknown): string;
  /** A call of the generated function of a contract expression, on the slots named `slots`. */
  call(e: LoweredExpr, slots: string): string;
  /** Functions placed at the top of the module. */
  hoisted: string[];
  /** What the plain run reads once at entry. */
  plan: ShadowPlan;
  /** A contract expression as plain code on the node's slots `s` (shadows read); `out` names a return's variables. */
  plain(e: LoweredExpr, out?: Map<string, { v: string; decimal: boolean; k?: number; sc?: string }>): string;
  /** The scale of the units a returned value may be (a slot held as units, static-scales.ts), or undefined. */
  unitScale(op: Op): number | undefined;
  /** Where a returned binding's scaled form is kept (a MIN or MAX binding's companion, codegen-extreme.ts), or undefined. */
  companion(op: Op): string | undefined;
  /** A record constraint as plain code on the record's shadow `s` (shadows.ts). */
  ofRecord(e: LoweredExpr, record: RecordShadow): string;
}

/** `function N(m, s)`: Machine.enter for the plain run; true when the flow goes on. */
export function entryFunction(p: PreparedNode, L: LoweredNode, g: EntryGenerator): string {
  const walks = new RecordWalks(p, L, g);
  const lines: string[] = [];
  // Shadows first (making one has no effect and never fails), so every check can read them.
  for (const [slot, h] of g.plan.inputs) lines.push(`s[${h}] = O.sh(s[${slot}]);`);
  L.inputConstraints.forEach((ic, i) => {
    const type = p.node.inputs[i]!.type;
    const checks = ic.constraints.map((c) => plainCheck(g, c.expr, ref("input constraint", c.source)));
    const shadow = g.plan.records.get(ic.slot);
    const single = g.plan.singles.get(ic.slot);
    const walk = shadow ? walks.shadowing(shadow, type) : single ? walks.shadowingOne(single) : walks.of(type, "v", 1);
    if (checks.length === 0 && !walk) return;
    lines.push(`v = s[${ic.slot}];`, "if (v !== null) {", ...checks.map((c) => `  ${c}`));
    if (walk) lines.push(`  ${walk}`);
    lines.push("}");
  });
  L.preconditions.forEach((e, i) => {
    const c = p.preconditions[i]!;
    lines.push(plainCheck(g, e, ref("precondition", c.source, c.name)));
  });
  if (L.old.length > 0)
    lines.push(`m.old = [${L.old.map((e) => `(m.src = ${e.src}, ${g.call(e, "s")})`).join(", ")}];`);
  return [
    "function N(m, s) {",
    "  m.entered = true;",
    "  try {",
    "    let v;",
    ...lines.map((l) => `    ${l}`),
    "  } catch (err) {",
    "    return m.entryFailed(err);",
    "  }",
    "  return m.entered_();",
    "}",
  ].join("\n");
}

/** One contract check: throws as Machine.check does when it does not hold. */
function check(g: EntryGenerator, e: LoweredExpr, slots: string, c: ContractRef): string {
  return `m.src = ${e.src}; if (${g.call(e, slots)} !== true) m.broken(${g.constant(c)});`;
}

/** check() on plain code: the expression written out, reading the run's shadows. */
function plainCheck(g: EntryGenerator, e: LoweredExpr, c: ContractRef, text = g.plain(e)): string {
  return `m.src = ${e.src}; if (${text} !== true) m.broken(${g.constant(c)});`;
}

function ref(kind: ContractKind, source: SourceExpr, name = source.text): ContractRef {
  return { kind, contract: { name, source } };
}

/**
 * The record-constraint walks (machine.ts `walkers`) as hoisted functions, one per
 * record type that has something to check: its fields' constraints and nested
 * records in field order, then its own constraints.
 */
class RecordWalks {
  private readonly names = new Map<string, string | null>();

  constructor(
    private readonly p: PreparedNode,
    private readonly L: LoweredNode,
    private readonly g: EntryGenerator,
  ) {}

  /** A statement walking the value in variable `v` of type `t`, or "" when there is nothing to check. */
  of(t: VType, v: string, depth: number): string {
    if (t.kind === "record") {
      const fn = this.record(t.name);
      return fn ? `${fn}(${v}, m);` : "";
    }
    if (t.kind === "array" || t.kind === "set") {
      const x = `x${depth}`;
      const inner = this.of(t.element, x, depth + 1);
      if (!inner) return "";
      const set = this.g.constant(VSet);
      return `if (Array.isArray(${v})) { for (const ${x} of ${v}) { ${inner} } } else if (${v} instanceof ${set}) { for (const ${x} of ${v}.values()) { ${inner} } }`;
    }
    if (t.kind === "map") {
      const x = `x${depth}`;
      const inner = this.of(t.value, x, depth + 1);
      if (!inner) return "";
      return `if (${v} instanceof ${this.g.constant(VMap)}) { for (const [, ${x}] of ${v}.entries.values()) { ${inner} } }`;
    }
    return "";
  }

  /**
   * A statement walking the array-of-records input in `v` as `of` would, which also
   * makes each element's shadow (V<n>, one per record) and keeps them in its slot.
   */
  shadowing(shadow: RecordShadow, t: VType): string {
    const fn = this.shadowWalk(shadow);
    const rest = this.of(t, "v", 1);
    return `if (Array.isArray(v)) { const H = new Array(v.length); for (let i = 0; i < v.length; i++) H[i] = ${fn}(v[i], m); s[${shadow.shadow}] = H; }${rest ? ` else { ${rest} }` : ""}`;
  }

  /** A statement walking the record input in `v` as `of` would, which also makes its shadow (V<n>) in its slot. */
  shadowingOne(shadow: RecordShadow): string {
    return `s[${shadow.shadow}] = ${this.shadowWalk(shadow)}(v, m);`;
  }

  /** V<n>(v, m): the walk of one record (as W<n>), on its shadow, which it returns (null for a non-record). */
  private shadowWalk(shadow: RecordShadow): string {
    const lowered = this.L.records.get(shadow.record)!;
    const decl = this.p.node.types.find((d) => d.name === shadow.record)!;
    const fn = `V${shadow.shadow}`;
    const { size } = shadow;
    const lines = this.fieldWalk(lowered, decl, "s", (c) =>
      plainCheck(this.g, c.expr, ref("input constraint", c.source), this.g.ofRecord(c.expr, shadow)),
    );
    for (const c of lowered.constraints)
      lines.push(
        plainCheck(
          this.g,
          c.expr,
          ref("input constraint", c.source, `${shadow.record}: ${c.source.text}`),
          this.g.ofRecord(c.expr, shadow),
        ),
      );
    // One array literal (packed, made in one go): the fields read, then their scaled forms, null elsewhere.
    const items: string[] = new Array(2 * size).fill("null");
    for (const slot of shadow.fields.values()) items[slot] = `f${slot}`;
    for (const slot of shadow.scaled) items[size + slot] = `O.${shadow.ints.has(slot) ? "shI" : "sh"}(f${slot})`;
    this.g.hoisted.push(
      [
        `function ${fn}(v, m) {`,
        `  if (!(v instanceof ${this.g.constant(VRecord)})) return null;`,
        "  const f = v.fields;",
        ...[...shadow.fields].map(([name, slot]) => `  const f${slot} = f.get(${jsString(name)}) ?? null;`),
        `  const s = [${items.join(", ")}];`,
        "  let fv;",
        ...lines.map((l) => `  ${l}`),
        "  return s;",
        "}",
      ].join("\n"),
    );
    return fn;
  }

  /**
   * The per-field part of a record's walk (V<n> and W<n>): each field with constraints or an inner walk, read
   * from `arr`, checked by `checkOf` when it is not null; the record's own constraints are the caller's.
   */
  private fieldWalk(
    lowered: RecordConstraints,
    decl: RecordTypeDecl,
    arr: string,
    checkOf: (c: RecordConstraints["constraints"][number]) => string,
  ): string[] {
    const lines: string[] = [];
    lowered.fields.forEach((f, i) => {
      const checks = f.constraints.map(checkOf);
      const inner = this.of(decl.fields[i]!.type, "fv", 2);
      if (checks.length === 0 && !inner) return;
      lines.push(`fv = ${arr}[${f.slot}];`, "if (fv !== null) {", ...checks.map((c) => `  ${c}`));
      if (inner) lines.push(`  ${inner}`);
      lines.push("}");
    });
    return lines;
  }

  private record(name: string): string | null {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    const lowered = this.L.records.get(name);
    const decl = this.p.node.types.find((d) => d.name === name);
    if (!lowered || !decl) {
      this.names.set(name, null);
      return null;
    }
    const fn = `W${this.names.size}`;
    // Named before its fields are walked: a record type may contain itself.
    this.names.set(name, fn);
    const lines = this.fieldWalk(lowered, decl, "rs", (c) =>
      check(this.g, c.expr, "rs", ref("input constraint", c.source)),
    );
    for (const c of lowered.constraints)
      lines.push(check(this.g, c.expr, "rs", ref("input constraint", c.source, `${name}: ${c.source.text}`)));
    if (lines.length === 0) {
      // Nothing to check, here or below: no walk at all (unless a cycle already named it).
      this.names.set(name, null);
      return null;
    }
    const size = lowered.slots.names.length;
    const reads = lowered.fields.map((f) => `  rs[${f.slot}] = f.get(${jsString(f.name)}) ?? null;`);
    this.g.hoisted.push(
      [
        `function ${fn}(v, m) {`,
        `  if (!(v instanceof ${this.g.constant(VRecord)})) return;`,
        "  const f = v.fields;",
        `  const rs = new Array(${size});`,
        ...reads,
        "  let fv;",
        ...lines.map((l) => `  ${l}`),
        "}",
      ].join("\n"),
    );
    return fn;
  }
}

/**
 * `function R<pc>(m, v0, ...)`: a return's output record, conformed as the compiled
 * conformer (conformer.ts) would when every value already has its declared type; any
 * other case goes to that conformer. A value may come scaled (only the plain run calls it). Undefined when the record has a field the fast
 * path does not cover (the conformer then always runs).
 */
export function outputFunction(p: PreparedNode, instr: Instr, g: EntryGenerator): string | undefined {
  const body = instr.body;
  if (body.op !== "return") return undefined;
  const record = body.output === "success" ? SUCCESS_RECORD : ERROR_RECORD;
  const def = p.types.get(record);
  if (!def) return undefined;
  const params = body.values.map((_, i) => `v${i}`);
  const tests: string[] = [];
  const entries: string[] = [];
  // A scaled value (the plain run keeps decimals scaled, scaled-slots.ts) becomes its Decimal first, made at
  // its field's display scale at once; `c<i>` says it was, so the entry makes no second copy.
  const sc = g.constant(Sc);
  const made = new Set<number>();
  const unscale = body.fields.map((name, i) => {
    const f = def.fields.get(name);
    const k = g.unitScale(body.values[i]!.op);
    if (k !== undefined) {
      // A number of units (scaled-units.ts), or an Sc: its Decimal, at the field's display scale when it has one.
      const is = `(typeof v${i} === "number" || v${i} instanceof ${sc})`;
      const to = `${g.constant(fromU)}(v${i}, ${k}${f?.type.kind === "decimal" && f.scale !== undefined ? `, ${f.scale}` : ""})`;
      if (f?.type.kind !== "decimal" || f.scale === undefined) return `  if ${is} v${i} = ${to};`;
      made.add(i);
      return `  const c${i} = ${is}; if (c${i}) v${i} = ${to};`;
    }
    if (f?.type.kind === "decimal" && f.scale !== undefined) {
      made.add(i);
      return `  const c${i} = v${i} instanceof ${sc}; if (c${i}) v${i} = ${g.constant(fromS)}(v${i}, ${f.scale});`;
    }
    return `  if (v${i} instanceof ${sc}) v${i} = ${g.constant(fromS)}(v${i});`;
  });
  // The record's fields in the order the conformer writes them: one name list for every run (recordOf).
  const names: string[] = [];
  for (const f of def.fields.values()) {
    names.push(f.name);
    const i = body.fields.indexOf(f.name);
    if (i < 0) {
      if (f.required) return undefined;
      entries.push("null");
      continue;
    }
    const test = typeTest(f.type, `v${i}`, g);
    if (test === undefined) return undefined;
    // A value fromS just made at the field's scale is a Decimal: only the others are tested.
    tests.push(made.has(i) ? `(c${i} || ${test})` : test);
    const v = value(f, `v${i}`, g);
    entries.push(made.has(i) ? `c${i} ? v${i} : ${v}` : v);
  }
  const slow = `m.fns.outputs[${instr.pc}]([${params.join(", ")}])`;
  return [
    `function R${instr.pc}(m${params.map((x) => `, ${x}`).join("")}) {`,
    ...unscale,
    tests.length > 0 ? `  if (!(${tests.join(" && ")})) { m.slowOut = true; return ${slow}; }` : "",
    `  return ${g.constant(recordOf)}(${jsString(record)}, ${g.constant(names)}, [`,
    ...entries.map((e) => `    ${e},`),
    "  ]);",
    "}",
  ].join("\n");
}

/**
 * `function Q<pc>(m, s, at, v0, ...)`: after a success return whose output R<pc> built
 * on its fast path, what Machine.after does: each invariant in order (on the slots, the
 * output slot not yet set), the output slot set, then each postcondition in order,
 * reading the returned values (v<i>, scaled or not) where it reads the output's fields.
 * A failure ends the run as after() ends it. Undefined for a return of the error output.
 */
export function postFunction(p: PreparedNode, L: LoweredNode, instr: Instr, g: EntryGenerator): string | undefined {
  const body = instr.body;
  if (body.op !== "return" || body.output !== "success") return undefined;
  const def = p.types.get(SUCCESS_RECORD)!;
  const out = new Map(
    body.fields.map((name, i) => [
      name,
      {
        v: `v${i}`,
        decimal: def.fields.get(name)?.type.kind === "decimal",
        k: g.unitScale(body.values[i]!.op),
        sc: g.companion(body.values[i]!.op),
      },
    ]),
  );
  const checks = L.postconditions.map((e, i) => {
    const c = p.postconditions[i]!;
    return plainCheck(g, e, ref("postcondition", c.source, c.name), g.plain(e, out));
  });
  return [
    `function Q${instr.pc}(m, s, at${body.values.map((_, i) => `, v${i}`).join("")}) {`,
    "  try {",
    ...invariantChecks(p, L, g).map((c) => `    ${c}`),
    `    s[${L.outputSlot}] = m.result.output;`,
    ...checks.map((c) => `    ${c}`),
    "  } catch (err) {",
    "    m.postFailed(at, err);",
    "  }",
    "}",
  ].join("\n");
}

/**
 * `function I(m, s, at)`: what Machine.after does after a step that neither ended the
 * run nor ran off the end of the flow: each invariant in order, as plain code; false
 * (the run ended as after() ends it) when one is broken or fails.
 */
export function invariantFunction(p: PreparedNode, L: LoweredNode, g: EntryGenerator): string {
  return [
    "function I(m, s, at) {",
    "  try {",
    ...invariantChecks(p, L, g).map((c) => `    ${c}`),
    "  } catch (err) {",
    "    m.postFailed(at, err);",
    "    return false;",
    "  }",
    "  return true;",
    "}",
  ].join("\n");
}

/** The invariants as plain checks, in order (Machine.check's failure for each). */
function invariantChecks(p: PreparedNode, L: LoweredNode, g: EntryGenerator): string[] {
  return L.invariants.map((e, i) => {
    const c = p.invariants[i]!;
    return plainCheck(g, e, ref("invariant", c.source, c.name));
  });
}

/** A test that `v` is already in the representation `t` declares, or undefined when there is none. */
function typeTest(t: VType, v: string, g: EntryGenerator): string | undefined {
  switch (t.kind) {
    case "decimal":
      return `${v} instanceof ${g.constant(Decimal)}`;
    case "integer":
      return `(typeof ${v} === "bigint" && ${v} >= ${g.constant(INT64_MIN)} && ${v} <= ${g.constant(INT64_MAX)})`;
    case "string":
      return `typeof ${v} === "string"`;
    case "boolean":
      return `typeof ${v} === "boolean"`;
    case "enum":
      return `(${t.values.map((x) => `${v} === ${jsString(x)}`).join(" || ") || "false"})`;
    // A float and a tensor pass the compiled conformer on these tests alone (conformer.ts): neither the
    // conformer nor conform() checks a tensor's dtype or shape, so neither does the fast path.
    case "float":
      return `typeof ${v} === "number"`;
    case "tensor":
      return `${v} instanceof ${g.constant(Tensor)}`;
    default:
      return undefined;
  }
}

function value(f: FieldDef, v: string, g: EntryGenerator): string {
  return f.scale === undefined || f.type.kind !== "decimal" ? v : `${g.constant(withDisplayScale)}(${v}, ${f.scale})`;
}
