import type { DiffEntry } from "../runtime/divergence.js";
import type { RunResult } from "../runtime/protocol.js";
import type { TraceStore } from "../store/store.js";
import type { Value } from "../values/values.js";
import { encodeBindings, encodeValue } from "./value-codec.js";

// The evidence tables (traces/002_verify.sql, and 001's divergences): comparison
// counts per node and source, divergences with their inputs and results, and one
// row per `vesper test` session. Counts are aggregated rows updated in place
// (UPSERT), so a node with a million comparisons costs a handful of rows. What the
// counts mean (which sources count toward confidence) is decided in src/verify.

export interface ComparisonCount {
  source: string;
  compared: number;
  agreed: number;
}

/** A version of a node: its id and the hash of the file's content. */
export interface NodeVersion {
  nodeId: string;
  contentHash: string;
}

export function addComparisons(
  store: TraceStore,
  version: NodeVersion,
  source: string,
  compared: number,
  agreed: number,
  at = Date.now(),
): void {
  if (compared === 0) return;
  store.db
    .prepare(
      `INSERT INTO comparisons (node_id, content_hash, source, compared, agreed, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (node_id, content_hash, source) DO UPDATE SET compared = compared + excluded.compared, agreed = agreed + excluded.agreed, last_at = excluded.last_at`,
    )
    .run(version.nodeId, version.contentHash, source, compared, agreed, at, at);
}

/** The version's comparison counts, one per source, in source order. */
export function comparisonCounts(store: TraceStore, version: NodeVersion): ComparisonCount[] {
  return store.db
    .prepare("SELECT source, compared, agreed FROM comparisons WHERE node_id = ? AND content_hash = ? ORDER BY source")
    .all(version.nodeId, version.contentHash) as ComparisonCount[];
}

/**
 * The content hash of the node's latest version with evidence: the one compared most
 * recently (by `vesper test` or an observed run). Undefined when none was compared
 * since evidence was kept per version.
 */
export function latestComparedHash(store: TraceStore, nodeId: string): string | undefined {
  const row = store.db
    .prepare(
      "SELECT content_hash FROM comparisons WHERE node_id = ? AND content_hash != '' ORDER BY last_at DESC, content_hash LIMIT 1",
    )
    .get(nodeId) as { content_hash: string } | undefined;
  return row?.content_hash;
}

/** A disagreement to store: the two results and where they differ. */
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

export function addDivergences(store: TraceStore, rows: readonly DivergenceRow[], at = Date.now()): void {
  if (rows.length === 0) return;
  const insert = store.db.prepare(
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

/** Divergences stored for the node, not counting those from the given sources. */
export function divergenceCount(store: TraceStore, nodeId: string, except: readonly string[] = []): number {
  const rows = store.db
    .prepare("SELECT source, COUNT(*) AS n FROM divergences WHERE node_id = ? GROUP BY source")
    .all(nodeId) as { source: string; n: number }[];
  return rows.filter((r) => !except.includes(r.source)).reduce((a, r) => a + r.n, 0);
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

export function addTestRun(store: TraceStore, r: TestRunRow, at = Date.now()): void {
  store.db
    .prepare(
      `INSERT INTO test_runs (node_id, content_hash, kind, seed, tools, runs, discarded, compared, diverged, case_file, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
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

/** Node ids the store knows anything about: traces, comparisons, modes, divergences (for "did you mean"). */
export function knownNodeIds(store: TraceStore): string[] {
  const rows = store.db
    .prepare(
      // The execution counters outlive the traces gc deletes: a node known only by them is still known
      // (its metrics must not vanish, which Prometheus would read as a counter reset).
      "SELECT node_id FROM traces UNION SELECT node_id FROM comparisons UNION SELECT node_id FROM node_modes UNION SELECT node_id FROM divergences UNION SELECT node_id FROM runtime_executions UNION SELECT node_id FROM duration_totals UNION SELECT node_id FROM execution_errors ORDER BY node_id",
    )
    .all() as { node_id: string }[];
  return rows.map((r) => r.node_id);
}
