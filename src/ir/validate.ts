import type { Assignment, ErrorSpec, FieldDecl, Located, NodeDef, SourceExpr, Step } from "./ast.js";
import {
  diagnosticAt,
  quoted,
  sortDiagnostics,
  type Diagnostic,
  type DiagnosticCode,
  type Loc,
} from "./diagnostics.js";
import { parseNode } from "./parse-node.js";
import { readRegularFile } from "../config/text-file.js";
import { readValue } from "./read-value.js";
import { resolveType } from "./resolve-type.js";
import { didYouMean, withArticle } from "../values/suggest.js";
import { capabilityPatternProblem, denialCovers } from "../tools/capabilities.js";
import {
  PARAMETERIZED_NAMES,
  PRIMITIVE_NAMES,
  T,
  isAssignable,
  typeToString,
  type FieldDef,
  type RecordDef,
  type TypeTable,
  type VType,
} from "../values/types.js";
import type { Expr } from "../expr/ast.js";
import { children } from "../expr/depth.js";
import { checkExpression } from "../expr/check.js";

// Stage two of reading a .vsp file: meaning. Resolves every declared type, type-checks
// every expression against the names in scope where it appears, and checks the flow,
// the state machine, outputs, capabilities and sample inputs. Every problem is
// collected; nothing stops at the first.

export interface ValidationResult {
  node?: NodeDef;
  diagnostics: Diagnostic[];
  /** The record types the node declares plus those synthesized for inputs, outputs and tool results. */
  types?: TypeTable;
  /** The checked type of every sub-expression in the node, for the direct runtime's compiler. */
  exprTypes?: Map<Expr, VType>;
  ok: boolean;
}

/**
 * Record names Vesper synthesizes. None can collide with a declared type: `input` is a
 * reserved word (V112) and the others contain a dot or a space.
 */
export const INPUTS_RECORD = "input";
export const SUCCESS_RECORD = "outputs.success";
export const ERROR_RECORD = "outputs.error";

const NODE_ID = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*@\d+\.\d+\.\d+$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set([
  "state",
  "input",
  "output",
  "old",
  "now",
  "random",
  "AND",
  "OR",
  "NOT",
  "IN",
  "CONTAINS",
  "FORALL",
  "EXISTS",
  "true",
  "false",
  "null",
]);
const TOOL_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const AUDIT_LEVELS = ["none", "basic", "full"];

export function validateFile(path: string): ValidationResult {
  // Opened non-blocking and checked on the open file: a FIFO or /dev/zero is refused at once, never read forever.
  const read = readRegularFile(path);
  if (!read.ok) return unreadable(path, 1, 1, `cannot read the file: ${read.reason}`);
  const text = textOf(read.bytes);
  if (typeof text !== "string") {
    const { line, col } = text;
    const what =
      text.why === "a NUL byte"
        ? "not a text file (a binary?)"
        : "not UTF-8 text (another encoding? convert it, e.g. with iconv -t utf-8)";
    return unreadable(
      path,
      line,
      col,
      `${what}: ${text.why} at line ${line}, column ${col} (byte ${text.offset}); a .vsp file is YAML text in UTF-8`,
    );
  }
  return validateSource(path, text);
}

function unreadable(file: string, line: number, col: number, message: string): ValidationResult {
  return { ok: false, diagnostics: [{ file, line, col, severity: "error", code: "V001", message }] };
}

/**
 * The file's text, or where it stops being text: the first NUL byte or byte
 * sequence that is not UTF-8 (a binary file, or another encoding). Checked before
 * parsing, so no diagnostic ever quotes a line of binary.
 */
function textOf(bytes: Buffer): string | { why: string; offset: number; line: number; col: number } {
  const nul = bytes.indexOf(0);
  const invalid = firstInvalidUtf8(bytes);
  let bad: { why: string; offset: number } | undefined;
  if (nul >= 0 && (invalid < 0 || nul < invalid)) bad = { why: "a NUL byte", offset: nul };
  else if (invalid >= 0) bad = { why: "bytes that are not UTF-8", offset: invalid };
  if (bad === undefined) return bytes.toString("utf8");
  const before = bytes.subarray(0, bad.offset);
  const line = before.filter((b) => b === 0x0a).length + 1;
  return { ...bad, line, col: bad.offset - before.lastIndexOf(0x0a) };
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 character, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  const cont = (i: number, lo = 0x80, hi = 0xbf) => i < b.length && b[i]! >= lo && b[i]! <= hi;
  for (let i = 0; i < b.length; ) {
    const x = b[i]!;
    let n: number;
    if (x < 0x80) n = 1;
    // Each case excludes overlong forms, UTF-16 surrogates and code points past U+10FFFF (RFC 3629).
    else if (x >= 0xc2 && x <= 0xdf && cont(i + 1)) n = 2;
    else if (x === 0xe0 && cont(i + 1, 0xa0) && cont(i + 2)) n = 3;
    else if (((x >= 0xe1 && x <= 0xec) || x === 0xee || x === 0xef) && cont(i + 1) && cont(i + 2)) n = 3;
    else if (x === 0xed && cont(i + 1, 0x80, 0x9f) && cont(i + 2)) n = 3;
    else if (x === 0xf0 && cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3)) n = 4;
    else if (x >= 0xf1 && x <= 0xf3 && cont(i + 1) && cont(i + 2) && cont(i + 3)) n = 4;
    else if (x === 0xf4 && cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3)) n = 4;
    else return i;
    i += n;
  }
  return -1;
}

export function validateSource(path: string, text: string): ValidationResult {
  const parsed = parseNode(path, text);
  if (!parsed.node) return { ok: false, diagnostics: sortDiagnostics(parsed.diagnostics) };
  const v = new Validator(parsed.node);
  v.run();
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...v.diagnostics]);
  return {
    node: parsed.node,
    types: v.table,
    exprTypes: v.exprTypes,
    diagnostics,
    ok: !diagnostics.some((d) => d.severity === "error"),
  };
}

class Validator {
  readonly diagnostics: Diagnostic[] = [];
  readonly table: TypeTable = new Map();
  readonly exprTypes = new Map<Expr, VType>();
  private readonly inputScope = new Map<string, VType>();
  private stateType: VType = T.null;
  private readonly stepNames = new Map<string, Loc>();
  /** Every binding any step makes, for postconditions and invariants. */
  private readonly allBindings = new Map<string, VType>();
  /** Where each binding was first made ("step 'high'"), to explain a name that is not visible. */
  private readonly boundAt = new Map<string, string>();
  /** Names bound in only some arms of a branch that falls through: why they are not visible after it. */
  private readonly armOnly = new Map<string, string>();

  constructor(private readonly node: NodeDef) {}

  private report(loc: Loc, code: DiagnosticCode, message: string, end?: Loc): void {
    this.diagnostics.push(diagnosticAt(loc, code, message, end));
  }

  run(): void {
    const n = this.node;
    if (n.nodeId.value && !NODE_ID.test(n.nodeId.value)) {
      this.report(
        n.nodeId.loc,
        "V110",
        `node_id ${quoted(quoteAtMost(n.nodeId.value, 80))} must be a dotted lower-case name with a version, e.g. payments.process_payment@1.0.0`,
      );
    }
    this.declareTypes();
    this.resolveFields(n.inputs, "input");
    this.table.set(INPUTS_RECORD, recordOf(INPUTS_RECORD, n.inputs));
    this.resolveFields(n.outputs.success, "success output field");
    this.resolveFields(n.outputs.error, "error output field");
    this.table.set(SUCCESS_RECORD, recordOf(SUCCESS_RECORD, n.outputs.success));
    this.table.set(ERROR_RECORD, recordOf(ERROR_RECORD, n.outputs.error));
    for (const input of n.inputs) this.inputScope.set(input.name, input.type);
    this.checkStates();
    this.checkTypeConstraints();
    this.checkInputs();
    this.checkFlow();
    this.checkContracts();
    this.checkSecurity();
    this.checkVerification();
    this.checkSamples();
  }

  // ---- names and types -------------------------------------------------------------

  private checkName(name: string, loc: Loc, what: string): void {
    if (!IDENTIFIER.test(name)) {
      this.report(
        loc,
        "V111",
        `${what} ${quoted(name)} must be a name of ASCII letters (A-Z, a-z), digits and underscores that does not start with a digit`,
      );
    } else if (RESERVED.has(name)) {
      this.report(loc, "V112", `${what} ${quoted(name)} is a reserved word; choose another name`);
    }
  }

  private declareTypes(): void {
    for (const t of this.node.types) {
      this.checkName(t.name, t.loc, "type name");
      if (([...PRIMITIVE_NAMES, ...PARAMETERIZED_NAMES] as string[]).includes(t.name)) {
        this.report(t.loc, "V112", `type name '${t.name}' is a built-in type; choose another name`);
      }
      this.table.set(t.name, { name: t.name, fields: new Map() });
    }
    for (const t of this.node.types) {
      this.resolveFields(t.fields, `field of ${t.name}`);
      this.table.set(t.name, recordOf(t.name, t.fields));
    }
  }

  private resolveFields(fields: FieldDecl[], what: string): void {
    for (const f of fields) {
      this.checkName(f.name, f.loc, what);
      f.type = this.resolve(f.typeText);
    }
  }

  private resolve(text: Located<string>): VType {
    const locOf = text.locOf ?? ((o: number) => ({ ...text.loc, col: text.loc.col + o, offset: text.loc.offset + o }));
    return resolveType(text, locOf, this.table, (code, message, start, end) => this.report(start, code, message, end));
  }

  // ---- expressions -----------------------------------------------------------------

  /** Type-checks one expression, maps its problems to file positions, and returns its type. */
  private expr(
    src: SourceExpr | undefined,
    scope: ReadonlyMap<string, VType>,
    what: string,
    options: { allowOld?: boolean; expect?: "boolean" } = {},
  ): VType {
    if (!src?.expr) return T.any;
    const result = checkExpression(src.expr, {
      types: this.table,
      scope,
      allowOld: options.allowOld ?? false,
      notVisible: this.armOnly,
    });
    for (const [e, t] of result.typeOf) this.exprTypes.set(e, t);
    for (const p of result.problems) {
      this.report(src.locOf(p.span.start), p.code as DiagnosticCode, `in ${what}: ${p.message}`, src.locOf(p.span.end));
    }
    if (options.expect === "boolean" && result.type.kind !== "boolean" && result.type.kind !== "any") {
      this.report(
        src.locOf(src.expr.span.start),
        "V412",
        `${what} must be a boolean condition, but '${src.text}' is ${typeToString(result.type)}`,
        src.locOf(src.expr.span.end),
      );
    }
    return result.type;
  }

  private baseScope(): Map<string, VType> {
    const scope = new Map<string, VType>(this.inputScope);
    scope.set("input", { kind: "record", name: INPUTS_RECORD });
    if (this.node.states) scope.set("state", this.stateType);
    return scope;
  }

  // ---- sections --------------------------------------------------------------------

  private checkStates(): void {
    const sm = this.node.states;
    if (!sm) return;
    const declared = sm.states.map((s) => s.value);
    this.stateType = { kind: "enum", values: declared };
    const need = (s: Located<string>, role: string) => {
      if (s.value && !declared.includes(s.value)) {
        this.report(
          s.loc,
          "V305",
          `${role} '${s.value}' is not a declared state${didYouMean(s.value, declared)} (states: ${declared.join(", ")})`,
        );
      }
    };
    sm.states.forEach((s, i) => {
      this.checkName(s.value, s.loc, "state");
      if (declared.indexOf(s.value) !== i) this.report(s.loc, "V305", `state '${s.value}' is declared twice`);
    });
    need(sm.initial, "the initial state");
    sm.final.forEach((s) => need(s, "final state"));
    for (const t of sm.transitions) {
      need(t.from, "transition source");
      need(t.to, "transition target");
      if (sm.final.some((f) => f.value === t.from.value)) {
        this.report(t.from.loc, "V305", `final state '${t.from.value}' cannot have outgoing transitions`);
      }
    }
  }

  private checkTypeConstraints(): void {
    for (const t of this.node.types) {
      const scope = new Map([...this.table.get(t.name)!.fields.values()].map((f) => [f.name, f.type] as const));
      for (const c of t.constraints) this.expr(c, scope, `a constraint of type ${t.name}`, { expect: "boolean" });
      for (const f of t.fields) {
        for (const c of f.constraints)
          this.expr(c, scope, `a constraint of ${t.name}.${f.name}`, { expect: "boolean" });
      }
    }
  }

  private checkInputs(): void {
    const scope = this.baseScope();
    for (const input of this.node.inputs) {
      for (const c of input.constraints)
        this.expr(c, scope, `a constraint of input '${input.name}'`, { expect: "boolean" });
      if (input.default !== undefined) {
        readValue(
          input.default as never,
          input.type,
          this.table,
          (loc, message) => this.report(loc, "V202", `invalid default for input '${input.name}': ${message}`),
          input.name,
        );
      }
      if (input.scale !== undefined && input.type.kind !== "decimal") {
        this.report(
          input.loc,
          "V202",
          `'scale' applies only to decimal inputs, and '${input.name}' is ${typeToString(input.type)}`,
        );
      }
    }
    for (const f of [...this.node.outputs.success, ...this.node.outputs.error]) {
      for (const c of f.constraints)
        this.report(c.loc, "V103", `output field '${f.name}' cannot carry constraints; state them as postconditions`);
    }
  }

  private checkFlow(): void {
    const scope = this.baseScope();
    const states = new Set(this.node.states ? [this.node.states.initial.value] : []);
    const flow = this.node.flow;
    const declaresOutputs = this.node.outputs.success.length + this.node.outputs.error.length > 0;
    if (!this.flow(flow, scope, states) && declaresOutputs && flow.length > 0) {
      const last = flow[flow.length - 1]!;
      this.report(
        last.loc,
        "V307",
        `the flow can finish after step '${last.name}' without returning an output; end every path with a 'return' step${skipHint(last)}`,
      );
    }
  }

  /**
   * Checks steps in order, growing the scope with each binding and tracking which
   * states the node can be in; returns whether the steps always return.
   */
  private flow(steps: Step[], scope: Map<string, VType>, states: Set<string>): boolean {
    for (const [i, step] of steps.entries()) {
      this.checkName(step.name, step.loc, "step name");
      const first = this.stepNames.get(step.name);
      if (first) {
        this.report(step.loc, "V301", `duplicate step name '${step.name}' (first defined at line ${first.line})`);
      } else {
        this.stepNames.set(step.name, step.loc);
      }
      const label = `step '${step.name}'`;
      step.guards.forEach((g) => this.expr(g, scope, `a guard of ${label}`, { expect: "boolean" }));
      // A step that may not run (a false guard skips it; a fallback goes on after it fails)
      // leaves the node in a state it was in before, and does not always return.
      const skippable = mayNotRun(step);
      const before = skippable ? [...states] : [];
      const returns = this.step(step, scope, label, states);
      for (const s of before) states.add(s);
      if (returns && !skippable) {
        const next = steps[i + 1];
        if (next)
          this.report(
            next.loc,
            "V308",
            `step '${next.name}' can never run: step '${step.name}' always returns before it`,
          );
        return true;
      }
    }
    return false;
  }

  private step(step: Step, scope: Map<string, VType>, label: string, states: Set<string>): boolean {
    const eh = step.errorHandling;
    if (eh?.onError) this.checkErrorCode(eh.onError, label);
    switch (step.op) {
      case "validate":
        this.expr(step.check, scope, `the check of ${label}`, { expect: "boolean" });
        this.checkErrorCode(step.error, label);
        return false;
      case "compute":
      case "tensor":
        this.assign(step.assignments, scope, label, step.op === "tensor");
        if (eh?.fallback) this.assign(eh.fallback, new Map(scope), `the fallback of ${label}`, false);
        return false;
      case "transition":
        if (!this.node.states) {
          this.report(
            step.to.loc,
            "V305",
            `${label} moves to state '${step.to.value}', but the node declares no 'states'`,
          );
        } else if (!this.node.states.states.some((s) => s.value === step.to.value)) {
          const declared = this.node.states.states.map((s) => s.value);
          this.report(
            step.to.loc,
            "V305",
            `${label} moves to undeclared state '${step.to.value}'${didYouMean(step.to.value, declared)} (states: ${declared.join(", ")})`,
          );
        } else {
          this.checkTransition(step.to, states, label);
        }
        return false;
      case "call": {
        if (!TOOL_NAME.test(step.tool.value)) {
          this.report(
            step.tool.loc,
            "V306",
            `tool name '${step.tool.value}' must be a dotted lower-case name such as sim.payments.charge`,
          );
        }
        for (const a of step.args) this.expr(a.value, scope, `argument '${a.name}' of ${label}`);
        if (step.bind) {
          const recordName = `result of ${step.name}`;
          let type: VType = T.any;
          if (step.returns) {
            this.resolveFields(step.returns, `result field of ${label}`);
            this.table.set(recordName, recordOf(recordName, step.returns));
            type = { kind: "record", name: recordName };
          }
          this.bind(step.bind.value, step.bind.loc, type, scope, label);
        }
        if (eh?.fallback) this.assign(eh.fallback, scope, `the fallback of ${label}`, false);
        return false;
      }
      case "branch": {
        this.expr(step.condition, scope, `the condition of ${label}`, { expect: "boolean" });
        const thenScope = new Map(scope);
        const elseScope = new Map(scope);
        const thenStates = new Set(states);
        const elseStates = new Set(states);
        const thenReturns = this.flow(step.then, thenScope, thenStates);
        const elseReturns = this.flow(step.else, elseScope, elseStates);
        // After the branch the node is in any state an arm that falls through can leave it in.
        states.clear();
        for (const s of [...(thenReturns ? [] : thenStates), ...(elseReturns ? [] : elseStates)]) states.add(s);
        // After the branch, a name is bound if every arm that falls through binds it.
        const arms = [thenReturns ? undefined : thenScope, elseReturns ? undefined : elseScope].filter(
          (s): s is Map<string, VType> => !!s,
        );
        for (const [name, type] of arms[0] ?? []) {
          if (!scope.has(name) && arms.every((a) => a.has(name))) scope.set(name, type);
        }
        // A name bound on one path only: say where, and which path leaves it without a value.
        if (arms.length === 2) {
          for (const [arm, other, mine] of [
            ["then", "else", thenScope],
            ["else", "then", elseScope],
          ] as const) {
            for (const name of mine.keys()) {
              if (scope.has(name) || this.armOnly.has(name)) continue;
              this.armOnly.set(
                name,
                `'${name}' is bound only in ${this.boundAt.get(name) ?? "one arm"}, in the ${arm} arm of branch '${step.name}', so it has no value after the branch when the ${other} arm runs; bind it in both arms or before the branch`,
              );
            }
          }
        }
        return thenReturns && elseReturns;
      }
      case "return":
        this.checkReturn(step, scope, label);
        return true;
    }
  }

  /**
   * A transition must follow `states.transitions` from every state the node can be in
   * when the step runs (when the node declares transitions at all).
   */
  private checkTransition(to: Located<string>, states: Set<string>, label: string): void {
    const sm = this.node.states!;
    if (sm.transitions.length > 0) {
      const illegal = [...states].filter(
        (from) => !sm.transitions.some((t) => t.from.value === from && t.to.value === to.value),
      );
      if (illegal.length > 0) {
        const allowed = (from: string) => sm.transitions.filter((t) => t.from.value === from).map((t) => t.to.value);
        const detail = illegal
          .map((from) => {
            const next = allowed(from);
            return next.length > 0
              ? `from '${from}' only ${next.join(", ")} can follow`
              : `no state can follow '${from}'`;
          })
          .join("; ");
        this.report(
          to.loc,
          "V305",
          `${label} moves to '${to.value}', which states.transitions does not allow: ${detail}`,
        );
      }
    }
    states.clear();
    states.add(to.value);
  }

  private assign(assignments: Assignment[], scope: Map<string, VType>, label: string, tensorOnly: boolean): void {
    for (const a of assignments) {
      const type = this.expr(a.value, scope, `'${a.name}' in ${label}`);
      if (tensorOnly && type.kind !== "tensor" && type.kind !== "float" && type.kind !== "any") {
        this.report(
          a.value.locOf(0),
          "V410",
          `a tensor step computes tensors or floats, but '${a.name}' is ${typeToString(type)}; use a compute step`,
        );
      }
      this.bind(a.name, a.loc, type, scope, label);
    }
  }

  private bind(name: string, loc: Loc, type: VType, scope: Map<string, VType>, label: string): void {
    this.checkName(name, loc, "binding");
    if (this.inputScope.has(name)) {
      this.report(loc, "V302", `${label} assigns to '${name}', which is an input; inputs cannot be reassigned`);
      return;
    }
    const previous = scope.get(name);
    if (previous && !isAssignable(type, previous)) {
      this.report(
        loc,
        "V302",
        `${label} rebinds '${name}' as ${typeToString(type)}, but it was ${typeToString(previous)}`,
      );
      return;
    }
    scope.set(name, previous ?? type);
    if (!this.allBindings.has(name)) this.allBindings.set(name, previous ?? type);
    if (!this.boundAt.has(name)) this.boundAt.set(name, label);
  }

  /** A value stored where a type is declared: a string literal may stand for one of an enum's values. */
  private checkFits(src: SourceExpr, type: VType, declared: VType, verb: string, target: string): void {
    const e = src.expr;
    if (!e) return;
    const at = src.locOf(e.span.start);
    const end = src.locOf(e.span.end);
    if (e.kind === "string" && declared.kind === "enum") {
      if (!declared.values.includes(e.value)) {
        this.report(
          at,
          "V413",
          `${verb} '${e.value}' for ${target}, which is not a value of ${typeToString(declared)}`,
          end,
        );
      }
      return;
    }
    if (!isAssignable(type, declared)) {
      this.report(
        at,
        "V410",
        `${verb} ${typeToString(type)} for ${target}, declared as ${typeToString(declared)}`,
        end,
      );
    }
  }

  private checkErrorCode(spec: ErrorSpec, label: string): void {
    const codeField = this.node.outputs.error.find((f) => f.name === "code");
    if (codeField?.type.kind === "enum" && !codeField.type.values.includes(spec.code.value)) {
      this.report(
        spec.code.loc,
        "V303",
        `${label} emits error code '${spec.code.value}', which outputs.error.code does not declare${didYouMean(spec.code.value, codeField.type.values)} (codes: ${codeField.type.values.join(", ")})`,
      );
    }
  }

  private checkReturn(step: Extract<Step, { op: "return" }>, scope: Map<string, VType>, label: string): void {
    const which = step.output.value;
    const declared = this.node.outputs[which];
    const names = declared.map((f) => f.name);
    for (const v of step.values) {
      const field = declared.find((f) => f.name === v.name);
      const type = this.expr(v.value, scope, `output '${v.name}' of ${label}`);
      if (!field) {
        this.report(
          v.loc,
          "V303",
          `${label} returns field '${v.name}', which outputs.${which} does not declare${didYouMean(v.name, names)}${names.length ? ` (fields: ${names.join(", ")})` : ""}`,
        );
        continue;
      }
      this.checkFits(v.value, type, field.type, `${label} returns`, `'${v.name}'`);
    }
    for (const f of declared) {
      if (f.required && !step.values.some((v) => v.name === f.name)) {
        this.report(step.loc, "V304", `${label} does not set required output field '${f.name}' of outputs.${which}`);
      }
    }
  }

  private checkContracts(): void {
    const scope = this.baseScope();
    for (const c of this.node.contracts) {
      // An unnamed contract is its own text, which the caret already shows.
      const what = c.name === c.source.text ? withArticle(c.kind) : `${c.kind} '${c.name}'`;
      if (c.kind === "precondition") {
        this.expr(c.source, scope, what, { expect: "boolean" });
        continue;
      }
      const full = new Map([...scope, ...this.allBindings]);
      if (c.kind === "postcondition") full.set("output", { kind: "record", name: SUCCESS_RECORD });
      this.expr(c.source, full, what, { expect: "boolean", allowOld: c.kind === "postcondition" });
      if (c.kind === "postcondition") this.checkOldReadsEntryValues(c.source, scope, what);
    }
  }

  /**
   * old(e) is captured when the node is entered, so e can read only what has a value
   * then: inputs, `input` and `state` (not a flow binding, nor `output`), V404.
   */
  private checkOldReadsEntryValues(src: SourceExpr, entry: ReadonlyMap<string, VType>, what: string): void {
    if (!src.expr) return;
    const reported = new Set<string>();
    const names = (e: Expr, bound: ReadonlySet<string>): void => {
      if (e.kind === "name") {
        const later = this.allBindings.has(e.name) || e.name === "output";
        if (later && !bound.has(e.name) && !entry.has(e.name) && !reported.has(e.name)) {
          reported.add(e.name);
          this.report(
            src.locOf(e.span.start),
            "V404",
            `in ${what}: old() reads '${e.name}', which has no value when the node is entered; old() can read only inputs, 'input' and 'state'`,
            src.locOf(e.span.end),
          );
        }
        return;
      }
      if (e.kind === "aggregate" || e.kind === "quantifier") {
        names(e.collection, bound);
        names(e.body, new Set([...bound, e.variable]));
        return;
      }
      for (const child of children(e)) names(child, bound);
    };
    const find = (e: Expr): void => {
      if (e.kind === "call" && e.callee === "old") for (const a of e.args) names(a, new Set());
      else for (const child of children(e)) find(child);
    };
    find(src.expr);
  }

  private checkSecurity(): void {
    const s = this.node.security;
    for (const cap of [...s.capabilitiesRequired, ...s.deniedCapabilities]) {
      const problem = capabilityPatternProblem(cap.value);
      if (problem) this.report(cap.loc, "V500", problem);
    }
    for (const required of s.capabilitiesRequired) {
      const denied = s.deniedCapabilities.find((d) => denialCovers(d.value, required.value));
      if (denied)
        this.report(required.loc, "V500", `capability '${required.value}' is required but denied by '${denied.value}'`);
    }
    if (s.auditLevel && !AUDIT_LEVELS.includes(s.auditLevel.value)) {
      this.report(
        s.auditLevel.loc,
        "V202",
        `audit_level must be one of ${AUDIT_LEVELS.join(", ")}, not '${s.auditLevel.value}'`,
      );
    }
  }

  private checkVerification(): void {
    const fields = [...this.node.outputs.success, ...this.node.outputs.error].map((f) => f.name);
    for (const f of this.node.verification.noisyFields) {
      if (!fields.includes(f.value)) {
        this.report(f.loc, "V303", `noisy field '${f.value}' is not an output field${didYouMean(f.value, fields)}`);
      }
    }
  }

  private checkSamples(): void {
    const byName = new Map(this.node.inputs.map((i) => [i.name, i]));
    for (const sample of this.node.samples) {
      for (const [name, value] of sample.values) {
        const input = byName.get(name);
        if (!input) {
          this.report(
            value.loc,
            "V501",
            `sample '${sample.name}' sets '${name}', which is not an input${didYouMean(name, byName.keys())}`,
          );
          continue;
        }
        readValue(
          value,
          input.type,
          this.table,
          (loc, message) => this.report(loc, "V501", `sample '${sample.name}': ${message}`),
          name,
        );
      }
      for (const input of this.node.inputs) {
        if (input.required && !sample.malformed && !sample.values.has(input.name)) {
          this.report(sample.loc, "V501", `sample '${sample.name}' has no value for required input '${input.name}'`);
        }
      }
    }
  }
}

function recordOf(name: string, fields: FieldDecl[]): RecordDef {
  return {
    name,
    fields: new Map(
      fields.map((f): [string, FieldDef] => [
        f.name,
        { name: f.name, type: f.type, required: f.required, ...(f.scale !== undefined ? { scale: f.scale } : {}) },
      ]),
    ),
  };
}

/**
 * Whether a step can be passed over without doing its work: a false guard skips it
 * (docs/runtime.md), and a fallback binds its names and goes on when it fails. A
 * transition cannot fail (an illegal move is a fault no fallback catches), so only
 * its guards count.
 */
function mayNotRun(step: Step): boolean {
  if (step.guards.length > 0) return true;
  return step.op !== "transition" && step.errorHandling?.fallback !== undefined;
}

/** Why a last step that returns can still let the flow finish, for V307. */
function skipHint(step: Step): string {
  if (step.op !== "return" && step.op !== "branch") return "";
  return step.guards.length > 0
    ? ` (a false guard skips step '${step.name}')`
    : step.errorHandling?.fallback
      ? ` (when step '${step.name}' fails, its fallback goes on past it)`
      : "";
}

/** At most `max` characters of a name the user wrote, then an ellipsis: a 5 MB id must not make a 5 MB message. */
function quoteAtMost(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
