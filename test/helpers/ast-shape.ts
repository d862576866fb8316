import { createHash } from "node:crypto";

// An independent checker of the AST that `vesper compile --emit ast` prints, written from
// docs/vesper-ir.md 11.2 (and 1.2, 3, 4.1, 10) alone, not from src/ir/ast.ts: it returns every
// way a document breaks the documented shape, as "path: problem" lines (empty when it holds).
// It checks: the envelope; the node's keys and their order; the content hash; every `loc`
// has exactly {file, line, col, offset}, names the node's file, and its line:col is where its
// offset lies in the text; every field declaration has `typeText` (a located string) and a
// resolved `type` that prints back to that text; every expression is {text, loc, expr} with
// spans inside `text` and each child's span inside its parent's; every step has `op` and `name`;
// a default and each sample value is {loc, value} (a number with `text`, its spelling, and `value`
// the nearest binary64 to it), {loc, items} or {loc, entries}, and a field with a default has
// `defaultLoc`; bigints are strings: no integer beyond ±2^53 is a JSON number anywhere else (11.2);
// `metadata` holds only JSON values read from YAML (no Buffer objects, no alias objects).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const NODE_KEYS = [
  "file",
  "contentHash",
  "nodeId",
  "type",
  "intent",
  "metadata",
  "types",
  "inputs",
  "outputs",
  "states",
  "contracts",
  "flow",
  "performance",
  "security",
  "verification",
  "samples",
] as const;
const OPTIONAL_NODE_KEYS = new Set(["intent", "states"]);
const STEP_OPS = new Set(["validate", "compute", "transition", "call", "branch", "tensor", "return"]);

const isObj = (v: Json | undefined): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Line and column (1-based, in UTF-16 code units as JavaScript indexes text) of an offset; a
 * byte-order mark that starts the text is not a column of line 1 (docs/vesper-ir.md 10).
 */
function lineColOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === "\n") {
      line++;
      start = i + 1;
    }
  }
  const bom = line === 1 && offset > 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { line, col: offset - start + 1 - bom };
}

/** The type as the doc writes it (3.1), from the resolved form, to compare with `typeText`. */
function typeToText(t: Json): string {
  if (!isObj(t) || typeof t.kind !== "string") return "?";
  switch (t.kind) {
    case "array":
    case "set":
      return `${t.kind}<${typeToText(t.element ?? null)}>`;
    case "map":
      return `map<${typeToText(t.key ?? null)},${typeToText(t.value ?? null)}>`;
    case "enum":
      return `enum[${(t.values as Json[]).map((v) => JSON.stringify(v)).join(",")}]`;
    case "tensor":
      return `tensor<${t.dtype},[${(t.shape as Json[]).map((d) => (d === null ? "?" : String(d))).join(",")}]>`;
    case "record":
      return String(t.name);
    default:
      return t.kind;
  }
}

/** The written type with whitespace removed and enum values quoted alike, to compare with typeToText. */
function normalizeTypeText(text: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      out.push(JSON.stringify(text.slice(i + 1, end)));
      i = end + 1;
    } else if (/\s/.test(c)) i++;
    else if (
      /[A-Za-z0-9_]/.test(c) &&
      text
        .slice(0, i)
        .trimEnd()
        .match(/enum\[$|enum\[.*,$/s)
    ) {
      const m = /^[A-Za-z0-9_][A-Za-z0-9_.-]*/.exec(text.slice(i))![0];
      out.push(JSON.stringify(m));
      i += m.length;
    } else {
      out.push(c);
      i++;
    }
  }
  return out.join("");
}

export function checkAstShape(printed: string, fileText: string): string[] {
  const problems: string[] = [];
  const bad = (path: string, what: string) => problems.push(`${path}: ${what}`);
  if (!printed.endsWith("\n")) bad("$", "the document does not end with a newline");
  const doc = JSON.parse(printed) as Json;
  if (!isObj(doc)) return ["$: not an object"];
  if (`${JSON.stringify(doc, null, 2)}\n` !== printed) bad("$", "not indented by two spaces");
  if (Object.keys(doc).join() !== "format,version,node") bad("$", `keys ${Object.keys(doc).join()}`);
  if (doc.format !== "vesper-ast") bad("$.format", String(doc.format));
  if (doc.version !== 1) bad("$.version", String(doc.version));
  const node = doc.node;
  if (!isObj(node)) return [...problems, "$.node: not an object"];

  const keys = Object.keys(node);
  const expected = NODE_KEYS.filter((k) => !OPTIONAL_NODE_KEYS.has(k) || k in node);
  if (keys.join() !== expected.join()) bad("$.node", `keys ${keys.join()} (documented: ${expected.join()})`);
  const hash = createHash("sha256").update(fileText).digest("hex");
  if (node.contentHash !== hash) bad("$.node.contentHash", "is not the SHA-256 of the file's text");

  const checkLoc = (path: string, loc: Json | undefined) => {
    if (!isObj(loc)) return bad(path, "has no loc");
    if (Object.keys(loc).sort().join() !== "col,file,line,offset") bad(path, `loc keys ${Object.keys(loc).join()}`);
    if (loc.file !== node.file) bad(path, `loc.file ${String(loc.file)} is not the node's file`);
    const { offset, line, col } = loc;
    if (typeof offset !== "number" || offset < 0 || offset > fileText.length)
      return bad(path, "loc.offset out of the file");
    const at = lineColOf(fileText, offset);
    if (at.line !== line || at.col !== col)
      bad(path, `loc ${line}:${col} but offset ${offset} is at ${at.line}:${at.col}`);
  };
  const checkLocated = (path: string, v: Json | undefined) => {
    if (!isObj(v) || !("value" in v)) return bad(path, "is not a located value {value, loc}");
    checkLoc(path, v.loc);
  };
  const checkSpan = (path: string, span: Json | undefined, within: { start: number; end: number }) => {
    if (!isObj(span) || typeof span.start !== "number" || typeof span.end !== "number") return bad(path, "has no span");
    if (span.start < within.start || span.end > within.end || span.start > span.end)
      bad(path, `span ${span.start}..${span.end} is outside ${within.start}..${within.end}`);
  };
  const checkExprTree = (path: string, e: Json, within: { start: number; end: number }) => {
    if (!isObj(e) || typeof e.kind !== "string") return bad(path, "an expression node without a kind");
    checkSpan(path, e.span, within);
    const span = isObj(e.span) ? (e.span as { start: number; end: number }) : within;
    for (const [k, v] of Object.entries(e)) {
      if (k === "span") continue;
      if (isObj(v) && typeof v.kind === "string" && "span" in v) checkExprTree(`${path}.${k}`, v, span);
      if (Array.isArray(v))
        v.forEach((x, i) => {
          if (isObj(x) && typeof x.kind === "string" && "span" in x) checkExprTree(`${path}.${k}[${i}]`, x, span);
        });
    }
  };
  const checkExpr = (path: string, x: Json | undefined) => {
    if (!isObj(x) || typeof x.text !== "string") return bad(path, "is not an expression {text, loc, expr}");
    checkLoc(path, x.loc);
    if (!("expr" in x)) return bad(path, "has no expr");
    checkExprTree(`${path}.expr`, x.expr!, { start: 0, end: x.text.length });
  };
  /** A default or a sample value: written as read, before it is checked against the type (11.2). */
  const checkYamlValue = (path: string, v: Json | undefined) => {
    if (!isObj(v)) return bad(path, "is not {loc, value}, {loc, items} or {loc, entries}");
    checkLoc(path, v.loc);
    if (Array.isArray(v.items)) return v.items.forEach((x, i) => checkYamlValue(`${path}.items[${i}]`, x));
    if (isObj(v.entries)) {
      for (const [k, x] of Object.entries(v.entries)) checkYamlValue(`${path}.entries.${k}`, x);
      return;
    }
    if (!("value" in v)) return bad(path, "has neither value, items nor entries");
    if (typeof v.value === "number" || typeof v.text === "string") {
      if (typeof v.text !== "string") return bad(path, "a number without text, its source spelling");
      const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v.text);
      if (decimal && v.value !== Number(v.text))
        bad(path, `value ${String(v.value)} is not the nearest binary64 to its text ${v.text}`);
    } else if (isObj(v.value) || Array.isArray(v.value)) bad(path, "a scalar whose value is not a plain JSON scalar");
  };
  const checkField = (path: string, f: Json) => {
    if (!isObj(f) || typeof f.name !== "string") return bad(path, "a field declaration without a name");
    checkLoc(path, f.loc);
    checkLocated(`${path}.typeText`, f.typeText);
    if (!isObj(f.type) || typeof f.type.kind !== "string") return bad(`${path}.type`, "no resolved type");
    const written = isObj(f.typeText) ? String(f.typeText.value) : "";
    if (normalizeTypeText(written) !== typeToText(f.type))
      bad(`${path}.type`, `${typeToText(f.type)} does not print back to '${written}'`);
    if ("default" in f) {
      checkYamlValue(`${path}.default`, f.default);
      if (!isObj(f.defaultLoc)) bad(path, "has a default but no defaultLoc");
      else checkLoc(`${path}.defaultLoc`, f.defaultLoc);
    }
    if (!Array.isArray(f.constraints)) bad(`${path}.constraints`, "not a list");
    else f.constraints.forEach((c, i) => checkExpr(`${path}.constraints[${i}]`, c));
  };
  const checkFields = (path: string, fs: Json | undefined) => {
    if (!Array.isArray(fs)) return bad(path, "not a list of field declarations");
    fs.forEach((f, i) => checkField(`${path}[${i}]`, f));
  };

  checkLocated("$.node.nodeId", node.nodeId);
  checkLocated("$.node.type", node.type);
  if ("intent" in node) checkLocated("$.node.intent", node.intent);
  if (!isObj(node.metadata)) bad("$.node.metadata", "not an object");
  else {
    // Read from YAML: only JSON scalars, arrays and objects, none of them a serialized Buffer or alias.
    const plain = (path: string, v: Json) => {
      if (Array.isArray(v)) return v.forEach((x, i) => plain(`${path}[${i}]`, x));
      if (!isObj(v)) return;
      if (v.type === "Buffer" && Array.isArray(v.data)) bad(path, "a Buffer object, not a value read from YAML");
      if (Object.keys(v).join() === "source") bad(path, "an alias object, not a value read from YAML");
      for (const [k, x] of Object.entries(v)) plain(`${path}.${k}`, x);
    };
    plain("$.node.metadata", node.metadata);
  }
  if (!Array.isArray(node.types)) bad("$.node.types", "not a list");
  else
    node.types.forEach((t, i) => {
      if (!isObj(t)) return bad(`$.node.types[${i}]`, "not an object");
      checkLoc(`$.node.types[${i}]`, t.loc);
      checkFields(`$.node.types[${i}].fields`, t.fields);
      (Array.isArray(t.constraints) ? t.constraints : []).forEach((c, j) =>
        checkExpr(`$.node.types[${i}].constraints[${j}]`, c),
      );
    });
  checkFields("$.node.inputs", node.inputs);
  if (!isObj(node.outputs)) bad("$.node.outputs", "not an object");
  else {
    checkFields("$.node.outputs.success", node.outputs.success);
    checkFields("$.node.outputs.error", node.outputs.error);
  }
  if (!Array.isArray(node.contracts)) bad("$.node.contracts", "not a list");
  else
    node.contracts.forEach((c, i) => {
      if (isObj(c)) checkExpr(`$.node.contracts[${i}].source`, c.source);
    });

  const walkSteps = (path: string, steps: Json | undefined) => {
    if (!Array.isArray(steps)) return bad(path, "not a list of steps");
    steps.forEach((s, i) => {
      const p = `${path}[${i}]`;
      if (!isObj(s)) return bad(p, "not an object");
      if (typeof s.name !== "string") bad(p, "has no name");
      if (typeof s.op !== "string" || !STEP_OPS.has(s.op)) bad(p, `op ${String(s.op)}`);
      checkLoc(p, s.loc);
      // Every expression and field declaration anywhere inside the step, found by shape.
      const visit = (q: string, v: Json) => {
        if (Array.isArray(v)) return v.forEach((x, j) => visit(`${q}[${j}]`, x));
        if (!isObj(v)) return;
        if (typeof v.text === "string" && "expr" in v) return checkExpr(q, v);
        if ("typeText" in v) return checkField(q, v);
        for (const [k, x] of Object.entries(v)) if (k !== "then" && k !== "else" && k !== "loc") visit(`${q}.${k}`, x);
      };
      for (const [k, x] of Object.entries(s)) if (k !== "then" && k !== "else" && k !== "loc") visit(`${p}.${k}`, x);
      if (s.op === "branch") {
        walkSteps(`${p}.then`, s.then);
        walkSteps(`${p}.else`, s.else);
      }
    });
  };
  walkSteps("$.node.flow", node.flow);
  if (!isObj(node.performance)) bad("$.node.performance", "not an object");
  if (!isObj(node.security)) bad("$.node.security", "not an object");
  if (!isObj(node.verification)) bad("$.node.verification", "not an object");
  if (!Array.isArray(node.samples)) bad("$.node.samples", "not a list");
  else
    node.samples.forEach((sample, i) => {
      const values = isObj(sample) ? sample.values : undefined;
      if (!isObj(values)) return bad(`$.node.samples[${i}]`, "has no values object");
      for (const [k, v] of Object.entries(values)) checkYamlValue(`$.node.samples[${i}].values.${k}`, v);
    });

  // Bigints (64-bit integers) are strings: a JSON number beyond ±2^53 is one only where 11.2 says a
  // value is the nearest binary64 (a default's or sample value's `value`, beside its exact `text`).
  const bigints = (path: string, v: Json, parent?: Obj) => {
    if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) {
      const besideText = path.endsWith(".value") && parent !== undefined && typeof parent.text === "string";
      if (!besideText) bad(path, `${v} is an integer beyond 2^53 written as a number, not a string`);
    }
    if (Array.isArray(v)) v.forEach((x, i) => bigints(`${path}[${i}]`, x));
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) bigints(`${path}.${k}`, x, v);
  };
  bigints("$", doc);
  return problems;
}
