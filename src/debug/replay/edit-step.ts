import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Scalar, type YAMLMap } from "yaml";
import type { ErrorCode } from "../../values/error-codes.js";
import { VesperError } from "../../values/errors.js";

// An edit to one parameter of one step, made on the .vsp text itself: only the
// characters of that one value change, so comments, quoting and layout everywhere
// else stay exactly as the author wrote them (a YAML round trip would reformat).

export class EditError extends VesperError {
  override name = "EditError";
  constructor(message: string, code: ErrorCode = "U202") {
    super(code, message);
  }
}

export interface StepEdit {
  /** The new file text. */
  text: string;
  /** The resolved parameter path inside the step, e.g. ["timeout_ms"] or ["set", "fee"]. */
  path: string[];
  /** The value's text before and after. */
  before: string;
  after: string;
  line: number;
  col: number;
}

/** The step mapping named `name`, searched through branches. */
function findStep(items: unknown[], name: string): YAMLMap | undefined {
  for (const item of items) {
    if (!isMap(item)) continue;
    if (String(item.get("step")) === name) return item;
    for (const arm of ["then", "else"]) {
      const nested = item.get(arm, true);
      if (isSeq(nested)) {
        const found = findStep(nested.items, name);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** Editable parameters of a step, as PARAM names the user can give. */
function parameters(step: YAMLMap, prefix: string[] = []): string[] {
  const out: string[] = [];
  for (const pair of step.items) {
    const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
    if (["step", "op", "then", "else"].includes(key) && prefix.length === 0) continue;
    if (isScalar(pair.value)) out.push([...prefix, key].join("."));
    else if (isMap(pair.value)) out.push(...parameters(pair.value, [...prefix, key]));
  }
  return out;
}

/**
 * Resolves PARAM in a step: a dotted path (error_handling.retry.max_attempts), a key
 * of the step (timeout_ms), or a name under set/args/values (fee → set.fee).
 */
function resolveParam(step: YAMLMap, param: string): string[] | undefined {
  const dotted = param.split(".");
  if (dotted.length > 1) return step.getIn(dotted, true) !== undefined ? dotted : undefined;
  if (step.has(param)) return [param];
  for (const group of ["set", "args", "values"]) {
    const m = step.get(group, true);
    if (isMap(m) && m.has(param)) return [group, param];
  }
  return undefined;
}

/** The new value's text, in the same YAML style and kind as the value it replaces. */
function formatLike(old: Scalar, value: string): string {
  if (typeof old.value === "number") {
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value))
      throw new EditError(`'${value}' is not a number, and the value it replaces (${old.source ?? old.value}) is one`);
    return value;
  }
  if (typeof old.value === "boolean") {
    if (value !== "true" && value !== "false")
      throw new EditError(`'${value}' is not true or false, and the value it replaces is a boolean`);
    return value;
  }
  if (old.type === "QUOTE_SINGLE") return `'${value.replace(/'/g, "''")}'`;
  if (old.type === "QUOTE_DOUBLE") return JSON.stringify(value);
  // A plain scalar stays plain when YAML would read it back as the same string.
  const back = parseDocument(`k: ${value}`).get("k");
  return back === value && !value.includes("#") ? value : JSON.stringify(value);
}

export function editStep(text: string, stepName: string, param: string, value: string): StepEdit {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const flow = doc.get("flow", true);
  const step = isSeq(flow) ? findStep(flow.items, stepName) : undefined;
  if (!step) throw new EditError(`the node has no step '${stepName}'`);
  const path = resolveParam(step, param);
  if (!path)
    throw new EditError(`step '${stepName}' has no parameter '${param}' (parameters: ${parameters(step).join(", ")})`);
  const node = step.getIn(path, true);
  if (!isScalar(node) || !node.range)
    throw new EditError(`step '${stepName}': '${path.join(".")}' is not a single value that can be edited`);
  const [start, end] = node.range;
  const after = formatLike(node, value);
  const { line, col } = lines.linePos(start);
  return {
    text: text.slice(0, start) + after + text.slice(end),
    path,
    before: text.slice(start, end),
    after,
    line,
    col,
  };
}
