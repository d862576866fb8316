// Diagnostics: every problem Vesper reports about a file, with a stable code.
// Validators collect all of them before failing, so one run shows every problem.

export interface Loc {
  file: string;
  line: number;
  col: number;
  offset: number;
}

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  /** Where the offending text ends, for carets that underline a whole token. */
  endLine?: number;
  endCol?: number;
  severity: "error" | "warning";
  code: string;
  message: string;
}

/** Every diagnostic code with its short name. Codes are stable: tools and docs depend on them. */
export const DIAGNOSTIC_CODES = {
  V001: "file-unreadable",
  V100: "yaml-syntax",
  V101: "wrong-shape",
  V102: "missing-field",
  V103: "unknown-field",
  V110: "invalid-node-id",
  V111: "invalid-name",
  V112: "reserved-name",
  V200: "unknown-type",
  V201: "malformed-type",
  V202: "invalid-value",
  V300: "unknown-operation",
  V301: "duplicate-step",
  V302: "duplicate-binding",
  V303: "unknown-output-field",
  V304: "missing-output-field",
  V305: "undeclared-state",
  V306: "unknown-tool",
  V307: "missing-return",
  V308: "unreachable-step",
  V400: "expression-syntax",
  V401: "unknown-name",
  V402: "unknown-function",
  V403: "wrong-argument-count",
  V404: "misplaced-old",
  V405: "too-deep",
  V410: "type-mismatch",
  V411: "unknown-record-field",
  V412: "not-boolean",
  V413: "not-an-enum-value",
  V500: "malformed-capability",
  V501: "invalid-sample",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Characters that would break a one-line message or hide in it: C0 controls, DEL, NEL, U+2028, U+2029. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job
const UNPRINTABLE = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/g;
const UNPRINTABLE_ONE = new RegExp(UNPRINTABLE.source);

/** `\n`, `\t`, `\u0001` as JSON writes them; JSON leaves DEL, NEL, U+2028 and U+2029 raw, so those are `\uXXXX` here. */
function escapeChar(c: string): string {
  const json = JSON.stringify(c);
  return json.length > 3 ? json.slice(1, -1) : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * User text quoted in a message: `'text'`, or, when it holds a line break or another control
 * character, a JSON string (`"a\nb"`) so the message stays one line and shows what is there.
 */
export function quoted(text: string): string {
  if (!UNPRINTABLE_ONE.test(text)) return `'${text}'`;
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`).replace(UNPRINTABLE, escapeChar)}"`;
}

/**
 * Every diagnostic's message is one line (docs/vesper-ir.md 10): user text that a message quotes
 * without `quoted` still has its control characters written as JSON-style escapes.
 */
export function diagnosticAt(loc: Loc, code: DiagnosticCode | string, message: string, end?: Loc): Diagnostic {
  message = message.replace(UNPRINTABLE, escapeChar);
  return {
    file: loc.file,
    line: loc.line,
    col: loc.col,
    ...(end ? { endLine: end.line, endCol: end.col } : {}),
    severity: "error",
    code,
    message,
  };
}

/**
 * `path:line:col: error CODE: message`, then the offending line with a caret
 * under the fault, as compilers people trust print it.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const head = `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}`;
  const line = sourceText?.split(/\r?\n/)[d.line - 1];
  if (line === undefined) return head;
  const width = d.endLine === d.line && d.endCol && d.endCol > d.col ? d.endCol - d.col : 1;
  const gutter = String(d.line).length;
  const pad = " ".repeat(gutter);
  return [
    head,
    `${pad} |`,
    `${d.line} | ${line}`,
    `${pad} | ${line.slice(0, d.col - 1).replace(/[^\t]/g, " ")}${"^".repeat(Math.max(1, width))}`,
  ].join("\n");
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
