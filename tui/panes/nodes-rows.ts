// The Nodes pane's rows: the .vsp files under the working folder (validated) joined
// with the nodes the store knows, by node id. A file whose node the store knows
// shows its evidence; a node the store knows with no file here still gets a row
// (file "—"), so nothing recorded is hidden. Valid files come first, invalid ones last. Pure: the pane gathers the inputs.

import type { FileValidation, NodeReport } from "../../src/workbench/index.js";

export interface NodeRow {
  /** Relative to the working folder; undefined for a node known only to the store. */
  file?: string;
  nodeId?: string;
  valid?: boolean;
  /** The first diagnostic, as one line, for an invalid file. */
  problem?: string;
  problems: number;
  report?: NodeReport;
}

export function nodeRows(files: FileValidation[], reports: NodeReport[], cwd: string): NodeRow[] {
  const byId = new Map(reports.map((r) => [r.nodeId, r]));
  const seen = new Set<string>();
  const rows: NodeRow[] = files.map((f) => {
    const report = f.nodeId ? byId.get(f.nodeId) : undefined;
    if (f.nodeId) seen.add(f.nodeId);
    const d = f.diagnostics[0];
    return {
      file: relativeTo(f.file, cwd),
      nodeId: f.nodeId,
      valid: f.ok,
      problem: d ? `line ${d.line}: ${d.message}` : undefined,
      problems: f.diagnostics.length,
      report,
    };
  });
  const known = reports.filter((r) => !seen.has(r.nodeId)).map((r) => ({ nodeId: r.nodeId, problems: 0, report: r }));
  // Valid files first, then the store's nodes with no file here, then the invalid files.
  return [...rows.filter((r) => r.valid), ...known, ...rows.filter((r) => !r.valid)];
}

function relativeTo(file: string, cwd: string): string {
  const prefix = cwd.endsWith("/") ? cwd : `${cwd}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

/** Runs on either runtime the store counted. */
export function executions(r: NodeReport | undefined): number {
  return r ? r.executions.reduce((a, e) => a + e.ran, 0) : 0;
}

/** The table's cells for one row: node, file, valid, mode, confidence, runs, divergences. */
export function rowCells(row: NodeRow): string[] {
  const r = row.report;
  return [
    row.nodeId ?? "—",
    row.file ?? "—",
    row.valid === undefined ? "—" : row.valid ? "ok" : `✗ ${row.problems}`,
    r?.state ? r.state.mode : "—",
    r ? r.confidence.toFixed(3) : "—",
    r ? String(executions(r)) : "0",
    r ? String(r.divergences) : "0",
  ];
}

/** Rows whose node id or file contains `filter` (case-insensitive); all when it is empty. */
export function matching(rows: NodeRow[], filter: string): NodeRow[] {
  const f = filter.trim().toLowerCase();
  if (f === "") return rows;
  return rows.filter((r) => `${r.nodeId ?? ""} ${r.file ?? ""}`.toLowerCase().includes(f));
}
