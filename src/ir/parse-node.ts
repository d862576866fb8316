import { createHash } from "node:crypto";
import { readMetadata } from "./metadata.js";
import { isAlias, isMap, isScalar, parseDocument, visit, type Node as YamlNode } from "yaml";
import {
  STEP_OPS,
  type Assignment,
  type Contract,
  type ErrorHandling,
  type ErrorSpec,
  type FieldDecl,
  type Located,
  type NodeDef,
  type RecordTypeDecl,
  type Sample,
  type SourceExpr,
  type StateMachine,
  type Step,
  type StepOp,
} from "./ast.js";
import type { Diagnostic, Loc } from "./diagnostics.js";
import { SourceFile } from "./source.js";
import { didYouMean } from "../values/suggest.js";
import { T } from "../values/types.js";
import { unanchoredAlias, YamlReader, type Entry } from "./yaml-reader.js";
import { emptyTable } from "../values/own-keys.js";

// Stage one of reading a .vsp file: YAML to a typed AST with positions, reporting
// every structural problem (wrong shapes, unknown or missing fields, unknown step
// operations, expression syntax). Meaning is checked afterwards by validate.ts.

const TOP_LEVEL = {
  required: ["node_id", "type", "flow"],
  optional: [
    "intent",
    "metadata",
    "types",
    "inputs",
    "outputs",
    "states",
    "contracts",
    "performance",
    "security",
    "verification",
    "samples",
  ],
};

export interface ParseNodeResult {
  node?: NodeDef;
  diagnostics: Diagnostic[];
}

/** The text with each lone CR (not part of CRLF) read as a line feed. */
export function withLineFeeds(text: string): string {
  return text.includes("\r") ? text.replace(/\r(?!\n)/g, "\n") : text;
}

export function parseNode(path: string, text: string): ParseNodeResult {
  // YAML counts a lone CR (old Mac line ends) as a line break; the parser does not.
  // One character for one keeps every offset, line and column as in the file.
  const source = new SourceFile(path, withLineFeeds(text));
  const doc = parseDocument(source.text, { lineCounter: source.lines, prettyErrors: false, uniqueKeys: true });
  const reader = new YamlReader(source, doc);
  for (const err of doc.errors) {
    const loc = source.locAt(err.pos[0]);
    reader.report(loc, "V100", yamlMessage(err.code, err.message));
  }
  // An alias naming no anchor reads as null, which would be reported as a wrong type.
  visit(doc, {
    Alias(_key, alias) {
      if (isAlias(alias) && alias.resolve(doc) === undefined)
        reader.report(source.locAt(alias.range?.[0] ?? 0), "V100", unanchoredAlias(alias.source));
    },
  });
  if (doc.errors.length > 0 || reader.diagnostics.length > 0) return { diagnostics: reader.diagnostics };
  const node = new NodeParser(reader, text).parse(doc.contents as YamlNode | null);
  return { node, diagnostics: reader.diagnostics };
}

/** yaml's messages repeat the source excerpt; keep only the sentence. */
function yamlMessage(code: string, message: string): string {
  // The YAML reader recurses once per level of nesting: a document nested thousands deep exhausts the stack.
  if (/Maximum call stack size exceeded/.test(message)) {
    return "the YAML nests too deeply to be read (lists, mappings or branches hundreds of levels deep); flatten it";
  }
  if (code === "MULTIPLE_DOCS") return "a .vsp file holds one YAML document, but a second one starts here";
  const sentence = message.split(/ at line \d+, column \d+/)[0]!.trim();
  return code === "DUPLICATE_KEY" ? `${sentence} (a key appears twice in the same mapping)` : sentence;
}

class NodeParser {
  constructor(
    private readonly r: YamlReader,
    private readonly text: string,
  ) {}

  parse(root: YamlNode | null): NodeDef | undefined {
    const top = this.r.record(root, "a .vsp node", TOP_LEVEL);
    if (!top) return undefined;
    const start = this.r.loc(root);
    const missing = (): Located<string> => ({ value: "", loc: start });
    const str = (key: string) => {
      const e = top.get(key);
      return e ? this.r.string(e.node, `'${key}'`, e.loc) : undefined;
    };
    return {
      file: this.r.source.path,
      contentHash: createHash("sha256").update(this.text).digest("hex"),
      nodeId: str("node_id") ?? missing(),
      type: str("type") ?? missing(),
      intent: str("intent"),
      metadata: readMetadata(this.r, top.get("metadata")),
      types: this.types(top.get("types")),
      inputs: this.fieldMap(top.get("inputs"), "'inputs'", "input"),
      outputs: this.outputs(top.get("outputs")),
      states: this.states(top.get("states")),
      contracts: this.contracts(top.get("contracts")),
      flow: this.steps(top.get("flow"), "flow"),
      performance: this.performance(top.get("performance")),
      security: this.security(top.get("security")),
      verification: this.verification(top.get("verification")),
      samples: this.samples(top.get("samples")),
    };
  }

  private types(entry: Entry | undefined): RecordTypeDecl[] {
    if (!entry) return [];
    const out: RecordTypeDecl[] = [];
    for (const t of this.r.mapping(entry.node, "'types'", entry.loc) ?? []) {
      const decl = this.r.record(
        t.node,
        `type '${t.key}'`,
        { required: ["fields"], optional: ["constraints", "description"] },
        t.loc,
      );
      if (!decl) continue;
      const description = decl.get("description");
      const text = description && this.r.string(description.node, `'description' of type '${t.key}'`, description.loc);
      out.push({
        name: t.key,
        loc: t.keyLoc,
        ...(text ? { description: text.value } : {}),
        fields: this.fieldMap(decl.get("fields"), `the fields of type '${t.key}'`, "field"),
        constraints: this.expressions(decl.get("constraints"), `a constraint of type '${t.key}'`),
      });
    }
    return out;
  }

  /** A mapping of names to field declarations: `name: type` or `name: {type: ..., ...}`. */
  private fieldMap(entry: Entry | undefined, what: string, noun: string): FieldDecl[] {
    if (!entry) return [];
    const fields: FieldDecl[] = [];
    for (const f of this.r.mapping(entry.node, what, entry.loc) ?? []) {
      const decl = this.field(f, noun);
      if (decl) fields.push(decl);
    }
    return fields;
  }

  private field(f: Entry, noun: string): FieldDecl | undefined {
    const base = { name: f.key, loc: f.keyLoc, type: T.any, required: true, constraints: [] as SourceExpr[] };
    if (isScalar(f.node)) {
      const typeText = this.r.string(f.node, `the type of ${noun} '${f.key}'`, f.loc);
      return typeText && { ...base, typeText };
    }
    const what = `${noun} '${f.key}'`;
    if (!isMap(f.node)) {
      return this.r.report(f.loc, "V101", `${what} must be a type (a string) or a field declaration (a mapping)`);
    }
    const decl = this.r.record(
      f.node,
      what,
      {
        required: ["type"],
        optional: ["required", "default", "constraints", "description", "scale"],
      },
      f.loc,
    );
    if (!decl) return undefined;
    const typeEntry = decl.get("type");
    const typeText = typeEntry && this.r.string(typeEntry.node, `the type of ${what}`, typeEntry.loc);
    if (!typeText) return undefined;
    const field: FieldDecl = {
      ...base,
      typeText,
      constraints: this.expressions(decl.get("constraints"), `a constraint of ${what}`),
    };
    const required = decl.get("required");
    if (required) field.required = this.r.boolean(required.node, `'required' of ${what}`, required.loc) ?? true;
    const def = decl.get("default");
    if (def) {
      field.default = this.r.sampleValue(def.node, def.loc);
      field.defaultLoc = def.loc;
      field.required = false;
    }
    const scale = decl.get("scale");
    if (scale) field.scale = this.r.number(scale.node, `'scale' of ${what}`, scale.loc, { integer: true });
    const description = decl.get("description");
    if (description)
      field.description = this.r.string(description.node, `'description' of ${what}`, description.loc)?.value;
    return field;
  }

  private outputs(entry: Entry | undefined): NodeDef["outputs"] {
    if (!entry) return { success: [], error: [] };
    const o = this.r.record(entry.node, "'outputs'", { required: ["success"], optional: ["error"] }, entry.loc);
    return {
      success: this.fieldMap(o?.get("success"), "'outputs.success'", "success output field"),
      error: this.fieldMap(o?.get("error"), "'outputs.error'", "error output field"),
    };
  }

  private states(entry: Entry | undefined): StateMachine | undefined {
    if (!entry) return undefined;
    const s = this.r.record(
      entry.node,
      "'states'",
      { required: ["initial", "states"], optional: ["final", "transitions"] },
      entry.loc,
    );
    if (!s) return undefined;
    const names = (key: string) => {
      const e = s.get(key);
      if (!e) return [];
      return (this.r.sequence(e.node, `'states.${key}'`, e.loc) ?? [])
        .map((n) => this.r.string(n, `a state name in 'states.${key}'`, e.loc))
        .filter((x): x is Located<string> => !!x);
    };
    const transitions: StateMachine["transitions"] = [];
    const t = s.get("transitions");
    // `transitions: {pending: [processing], processing: [paid, payment_failed]}`
    for (const from of (t && this.r.mapping(t.node, "'states.transitions'", t.loc)) ?? []) {
      for (const toNode of this.r.stringOrList(from.node, `the states reachable from '${from.key}'`, from.loc) ?? []) {
        const to = this.r.string(toNode, `a state reachable from '${from.key}'`, from.loc);
        if (to) transitions.push({ from: { value: from.key, loc: from.keyLoc }, to });
      }
    }
    const initialEntry = s.get("initial");
    return {
      loc: entry.keyLoc,
      initial: (initialEntry && this.r.string(initialEntry.node, "'states.initial'", initialEntry.loc)) ?? {
        value: "",
        loc: entry.loc,
      },
      states: names("states"),
      final: names("final"),
      transitions,
    };
  }

  private contracts(entry: Entry | undefined): Contract[] {
    if (!entry) return [];
    const c = this.r.record(
      entry.node,
      "'contracts'",
      { optional: ["preconditions", "postconditions", "invariants"] },
      entry.loc,
    );
    if (!c) return [];
    const kinds = [
      ["preconditions", "precondition"],
      ["postconditions", "postcondition"],
      ["invariants", "invariant"],
    ] as const;
    return kinds.flatMap(([key, kind]) => this.contractList(c.get(key), kind));
  }

  /** Each contract is an expression string, or `{name: ..., check: ...}` to give it a name. */
  private contractList(entry: Entry | undefined, kind: Contract["kind"]): Contract[] {
    if (!entry) return [];
    const out: Contract[] = [];
    for (const item of this.r.sequence(entry.node, `'contracts.${kind}s'`, entry.loc) ?? []) {
      if (isScalar(item)) {
        const source = this.r.expression(item, `a ${kind}`, entry.loc);
        if (source) out.push({ kind, name: source.text, source });
        continue;
      }
      const named = this.r.record(item, `a ${kind}`, { required: ["name", "check"] }, entry.loc);
      const name = named?.get("name");
      const check = named?.get("check");
      const nameText = name && this.r.string(name.node, `the name of a ${kind}`, name.loc);
      const source = check && this.r.expression(check.node, `${kind} '${nameText?.value ?? "?"}'`, check.loc);
      if (nameText && source) out.push({ kind, name: nameText.value, source });
    }
    return out;
  }

  private expressions(entry: Entry | undefined, what: string): SourceExpr[] {
    if (!entry) return [];
    return (this.r.stringOrList(entry.node, what, entry.loc) ?? [])
      .map((n) => this.r.expression(n, what, entry.loc))
      .filter((x): x is SourceExpr => !!x);
  }

  private steps(entry: Entry | undefined, what: string): Step[] {
    if (!entry) return [];
    const out: Step[] = [];
    for (const item of this.r.sequence(entry.node, `'${what}'`, entry.loc) ?? []) {
      const step = this.step(item, entry.loc);
      if (step) out.push(step);
    }
    return out;
  }

  private step(node: YamlNode, at: Loc): Step | undefined {
    const fieldsByOp: Record<StepOp, { required: string[]; optional?: string[] }> = {
      validate: { required: ["check", "error"] },
      compute: { required: ["set"] },
      tensor: { required: ["set"] },
      transition: { required: ["to"] },
      call: { required: ["tool"], optional: ["args", "bind", "returns", "timeout_ms"] },
      branch: { required: ["if", "then"], optional: ["else"] },
      return: { required: ["output"], optional: ["values"] },
    };
    const common = ["step", "op", "description", "guards", "error_handling"];
    const all = this.r.mapping(node, "a step", at);
    if (!all) return undefined;
    const loc = this.r.loc(node, at);
    const opEntry = all.find((e) => e.key === "op");
    const op = opEntry && this.r.string(opEntry.node, "a step's 'op'", opEntry.loc);
    const nameEntry = all.find((e) => e.key === "step");
    const name = nameEntry ? this.r.string(nameEntry.node, "a step's name", nameEntry.loc) : undefined;
    const label = name ? `step '${name.value}'` : "a step";
    if (!nameEntry) this.r.report(loc, "V102", "a step is missing the required field 'step' (its name)");
    if (!opEntry) return this.r.report(loc, "V102", `${label} is missing the required field 'op'`);
    if (!op) return undefined;
    if (!(STEP_OPS as readonly string[]).includes(op.value)) {
      return this.r.report(
        op.loc,
        "V300",
        `unknown operation '${op.value}' in ${label}${didYouMean(op.value, STEP_OPS)} (operations: ${STEP_OPS.join(", ")})`,
        this.r.end(opEntry.node),
      );
    }
    const kind = op.value as StepOp;
    const spec = fieldsByOp[kind];
    const fields = this.r.record(
      node,
      `${label} (op ${kind})`,
      { required: spec.required, optional: [...common, ...(spec.optional ?? [])] },
      at,
    );
    if (!fields || !name) return undefined;
    const base = {
      name: name.value,
      loc: name.loc,
      guards: this.expressions(fields.get("guards"), `a guard of ${label}`),
      ...(fields.get("description")
        ? { description: this.r.string(fields.get("description")!.node, "a description", loc)?.value }
        : {}),
      ...(fields.get("error_handling")
        ? { errorHandling: this.errorHandling(fields.get("error_handling")!, label) }
        : {}),
    };
    const get = (key: string) => fields.get(key);
    switch (kind) {
      case "validate": {
        const check = this.r.expression(get("check")?.node ?? null, `the check of ${label}`, loc);
        const error = this.errorSpec(get("error"), label);
        return check && error && { ...base, op: kind, check, error };
      }
      case "compute":
      case "tensor":
        return { ...base, op: kind, assignments: this.assignments(get("set"), `the 'set' of ${label}`) };
      case "transition": {
        const to = this.r.string(get("to")?.node ?? null, `the target state of ${label}`, loc);
        return to && { ...base, op: kind, to };
      }
      case "call": {
        const tool = this.r.string(get("tool")?.node ?? null, `the tool of ${label}`, loc);
        const bind = get("bind") && this.r.string(get("bind")!.node, `the 'bind' of ${label}`, get("bind")!.loc);
        const timeout = get("timeout_ms");
        const timeoutMs =
          timeout && this.r.number(timeout.node, `'timeout_ms' of ${label}`, timeout.loc, { integer: true, min: 1 });
        const returns = get("returns")
          ? this.fieldMap(get("returns"), `the 'returns' of ${label}`, "result field")
          : null;
        return (
          tool && {
            ...base,
            op: kind,
            tool,
            args: this.assignments(get("args"), `the 'args' of ${label}`),
            ...(bind ? { bind } : {}),
            returns,
            ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          }
        );
      }
      case "branch": {
        const condition = this.r.expression(get("if")?.node ?? null, `the condition of ${label}`, loc);
        return (
          condition && {
            ...base,
            op: kind,
            condition,
            then: this.steps(get("then"), `${name.value}.then`),
            else: this.steps(get("else"), `${name.value}.else`),
          }
        );
      }
      case "return": {
        const output = this.r.string(get("output")?.node ?? null, `the output of ${label}`, loc);
        if (!output) return undefined;
        if (output.value !== "success" && output.value !== "error") {
          return this.r.report(
            output.loc,
            "V101",
            `the output of ${label} must be 'success' or 'error', not '${output.value}'`,
          );
        }
        return {
          ...base,
          op: kind,
          output: output as Located<"success" | "error">,
          values: this.assignments(get("values"), `the 'values' of ${label}`),
        };
      }
    }
  }

  private assignments(entry: Entry | undefined, what: string): Assignment[] {
    if (!entry) return [];
    return (this.r.mapping(entry.node, what, entry.loc) ?? []).flatMap((e) => {
      const value = this.r.expression(e.node, `${what}, '${e.key}'`, e.loc);
      return value ? [{ name: e.key, loc: e.keyLoc, value }] : [];
    });
  }

  private errorSpec(entry: Entry | undefined, label: string): ErrorSpec | undefined {
    const e =
      entry &&
      this.r.record(entry.node, `the error of ${label}`, { required: ["code"], optional: ["message"] }, entry.loc);
    const code = e?.get("code");
    const codeText = code && this.r.string(code.node, `the error code of ${label}`, code.loc);
    if (!codeText) return undefined;
    const message = e!.get("message");
    return {
      code: codeText,
      ...(message ? { message: this.r.string(message.node, `the error message of ${label}`, message.loc) } : {}),
    };
  }

  private errorHandling(entry: Entry, label: string): ErrorHandling | undefined {
    const what = `the error_handling of ${label}`;
    const eh = this.r.record(
      entry.node,
      what,
      { optional: ["retry", "timeout_ms", "on_error", "fallback"] },
      entry.loc,
    );
    if (!eh) return undefined;
    const out: ErrorHandling = { loc: entry.loc };
    const retry = eh.get("retry");
    if (retry) {
      const r = this.r.record(
        retry.node,
        `the retry policy of ${label}`,
        { required: ["max_attempts"], optional: ["backoff_ms"] },
        retry.loc,
      );
      const max = r?.get("max_attempts");
      const backoff = r?.get("backoff_ms");
      const maxAttempts = max && this.r.number(max.node, "'max_attempts'", max.loc, { integer: true, min: 1 });
      const backoffMs = backoff ? this.r.number(backoff.node, "'backoff_ms'", backoff.loc, { integer: true }) : 0;
      if (maxAttempts !== undefined && backoffMs !== undefined) out.retry = { maxAttempts, backoffMs, loc: retry.loc };
    }
    const timeout = eh.get("timeout_ms");
    if (timeout)
      out.timeoutMs = this.r.number(timeout.node, `'timeout_ms' of ${label}`, timeout.loc, { integer: true, min: 1 });
    if (eh.get("on_error")) out.onError = this.errorSpec(eh.get("on_error"), label);
    const fallback = eh.get("fallback");
    if (fallback) {
      const f = this.r.record(fallback.node, `the fallback of ${label}`, { required: ["set"] }, fallback.loc);
      out.fallback = this.assignments(f?.get("set"), `the fallback of ${label}`);
    }
    return out;
  }

  private performance(entry: Entry | undefined): Record<string, number> {
    if (!entry) return {};
    const out = emptyTable<number>();
    for (const e of this.r.mapping(entry.node, "'performance'", entry.loc) ?? []) {
      const v = this.r.number(e.node, `'performance.${e.key}'`, e.loc);
      if (v !== undefined) out[e.key] = v;
    }
    return out;
  }

  private security(entry: Entry | undefined): NodeDef["security"] {
    const s =
      entry &&
      this.r.record(
        entry.node,
        "'security'",
        { optional: ["capabilities_required", "denied_capabilities", "audit_level"] },
        entry.loc,
      );
    const list = (key: string) => {
      const e = s?.get(key);
      if (!e) return [];
      return (this.r.sequence(e.node, `'security.${key}'`, e.loc) ?? [])
        .map((n) => this.r.string(n, `a capability in 'security.${key}'`, e.loc))
        .filter((x): x is Located<string> => !!x);
    };
    const audit = s?.get("audit_level");
    const auditLevel = audit && this.r.string(audit.node, "'security.audit_level'", audit.loc);
    return {
      capabilitiesRequired: list("capabilities_required"),
      deniedCapabilities: list("denied_capabilities"),
      ...(auditLevel ? { auditLevel } : {}),
    };
  }

  private verification(entry: Entry | undefined): NodeDef["verification"] {
    const v =
      entry && this.r.record(entry.node, "'verification'", { optional: ["tolerance", "noisy_fields"] }, entry.loc);
    const tol = v?.get("tolerance");
    const tolerance = tol ? this.r.number(tol.node, "'verification.tolerance' (a relative error)", tol.loc) : undefined;
    const noisy = v?.get("noisy_fields");
    const noisyFields = ((noisy && this.r.sequence(noisy.node, "'verification.noisy_fields'", noisy.loc)) || [])
      .map((n) => this.r.string(n, "a noisy field", noisy!.loc))
      .filter((x): x is Located<string> => !!x);
    return { ...(tolerance !== undefined ? { tolerance } : {}), noisyFields };
  }

  private samples(entry: Entry | undefined): Sample[] {
    if (!entry) return [];
    return (this.r.mapping(entry.node, "'samples'", entry.loc) ?? []).map((s) => {
      const values = new Map<string, ReturnType<YamlReader["sampleValue"]>>();
      const entries = this.r.mapping(s.node, `sample '${s.key}'`, s.loc);
      for (const v of entries ?? []) values.set(v.key, this.r.sampleValue(v.node, v.loc));
      return { name: s.key, loc: s.keyLoc, values, ...(entries ? {} : { malformed: true as const }) };
    });
  }
}
