import type Database from "better-sqlite3";
import type { DiffEntry } from "../exec/comparator.js";
import type { RunResult } from "../runtime/protocol.js";
import type { Value } from "../values/values.js";
import { encodeBindings, encodeValue } from "../trace/value-codec.js";
import { wilsonLowerBound, type WilsonOptions } from "./wilson.js";

// The evidence in the trace store (tables of traces/002_verify.sql): comparison
// counts per node and source, divergences (traces/001's table), and test sessions.
// Confidence is computed from these counts, never cached, so it always describes
// everything recorded so far.

/** A/A comparisons measure the reference against itself: they say nothing about the direct runtime. */
export const NOT_EVIDENCE = ["aa"] as const;

export interface DivergenceRow {
  nodeId: string;
  contentHash: string;
  source: string;
  inputs: ReadonlyMap<string, Value>;
  expected: RunResult;
  actual?: RunResult;
  diffs: readonly DiffEntry[];
  traceId?: string;
  otherTraceId?: string;
}

export function addComparisons(
  db: Database.Database,
  nodeId: string,
  source: string,
  compared: number,
  agreed: number,
  at = Date.now(),
): void {
  if (compared === 0) return;
  db.prepare(
    `INSERT INTO comparisons (node_id, source, compared, agreed, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (node_id, source) DO UPDATE SET compared = compared + excluded.compared, agreed = agreed + excluded.agreed, last_at = excluded.last_at`,
  ).run(nodeId, source, compared, agreed, at, at);
}

export function addDivergences(db: Database.Database, rows: readonly DivergenceRow[], at = Date.now()): void {
  if (rows.length === 0) return;
  const insert = db.prepare(
    `INSERT INTO divergences (node_id, content_hash, source, trace_id, other_trace_id, step_idx, inputs, expected, actual, diffs, created_at)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
  );
  for (const r of rows) {
    insert.run(
      r.nodeId,
      r.contentHash,
      r.source,
      r.traceId ?? null,
      r.otherTraceId ?? null,
      JSON.stringify(encodeBindings(r.inputs)),
      JSON.stringify(resultJson(r.expected)),
      r.actual ? JSON.stringify(resultJson(r.actual)) : null,
      JSON.stringify(r.diffs),
      at,
    );
  }
}

function resultJson(r: RunResult) {
  return {
    status: r.status,
    output: r.output ? encodeValue(r.output) : null,
    failure: r.failure ?? null,
    state: r.state ?? null,
  };
}

export interface Evidence {
  compared: number;
  agreed: number;
  bySource: { source: string; compared: number; agreed: number }[];
}

/** Every comparison recorded for the node that counts toward confidence. */
export function evidenceOf(db: Database.Database, nodeId: string): Evidence {
  const rows = db
    .prepare("SELECT source, compared, agreed FROM comparisons WHERE node_id = ? ORDER BY source")
    .all(nodeId) as { source: string; compared: number; agreed: number }[];
  const counted = rows.filter((r) => !(NOT_EVIDENCE as readonly string[]).includes(r.source));
  return {
    compared: counted.reduce((a, r) => a + r.compared, 0),
    agreed: counted.reduce((a, r) => a + r.agreed, 0),
    bySource: rows,
  };
}

export function confidenceOf(e: { compared: number; agreed: number }, options?: WilsonOptions): number {
  return wilsonLowerBound(e.agreed, e.compared, options);
}

export function divergenceCount(db: Database.Database, nodeId: string): number {
  return (
    db.prepare("SELECT COUNT(*) AS n FROM divergences WHERE node_id = ? AND source <> 'aa'").get(nodeId) as {
      n: number;
    }
  ).n;
}

export interface TestRunRow {
  nodeId: string;
  contentHash: string;
  kind: "differential" | "aa";
  seed: number;
  tools: string;
  runs: number;
  discarded: number;
  compared: number;
  diverged: number;
  caseFile?: string;
}

export function addTestRun(db: Database.Database, r: TestRunRow, at = Date.now()): void {
  db.prepare(
    `INSERT INTO test_runs (node_id, content_hash, kind, seed, tools, runs, discarded, compared, diverged, case_file, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.nodeId,
    r.contentHash,
    r.kind,
    String(r.seed),
    r.tools,
    r.runs,
    r.discarded,
    r.compared,
    r.diverged,
    r.caseFile ?? null,
    at,
  );
}

/** Node ids the store knows anything about: traces, comparisons, modes (for "did you mean"). */
export function knownNodeIds(db: Database.Database): string[] {
  const rows = db
    .prepare(
      "SELECT node_id FROM traces UNION SELECT node_id FROM comparisons UNION SELECT node_id FROM node_modes UNION SELECT node_id FROM divergences ORDER BY node_id",
    )
    .all() as { node_id: string }[];
  return rows.map((r) => r.node_id);
}
