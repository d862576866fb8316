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

export function diagnosticAt(loc: Loc, code: DiagnosticCode | string, message: string, end?: Loc): Diagnostic {
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
