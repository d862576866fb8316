import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Mode } from "../runtime/mode-names.js";
import { inputHash } from "../exec/modes.js";
import type { PreparedNode } from "../runtime/prepared.js";
import { addComparisons, addDivergences, addTestRun, type DivergenceRow } from "../trace/evidence-tables.js";
import { reevaluate } from "../verify/controller.js";
import { differentialTest, type TestReport } from "../verify/differential-test.js";
import { confidenceOf, type Evidence, evidenceOf } from "../verify/evidence-store.js";
import { recommendedMode } from "../verify/recommend.js";
import { caseText, writeCase } from "../verify/regression-case.js";
import { TOOL_SOURCES, type ToolSource, testTools } from "../verify/test-tools.js";
import { DEFAULT_MIN_SAMPLES, Z_999 } from "../verify/wilson.js";
import { type StoreRef, withStoreAsync } from "./store-access.js";

// Differential testing (`vesper test`): generated inputs on both runtimes (or, A/A,
// the reference against itself), the first divergence shrunk and written as a
// regression case, and everything counted into the store in one transaction at the
// end: comparisons, the divergences (the first MAX_STORED_DIVERGENCES with their
// inputs), the session's row, and the controller's reaction for a node on auto. A
// store given by path is created if missing. Progress goes to `onProgress` as it
// happens (for a progress bar); the summary comes back when everything is stored.
// An abort signal stops it early (Ctrl-C): the summary then covers what was compared.

export { DEFAULT_MIN_SAMPLES, TOOL_SOURCES, Z_999, type TestReport, type ToolSource };

/** Divergences stored per test session; the counts always cover all of them. */
export const MAX_STORED_DIVERGENCES = 1000;

export type TestProgress =
  | {
      phase: "generating";
      /** Input sets run so far, of `total`. */
      done: number;
      total: number;
      compared: number;
      agreed: number;
      diverged: number;
      discarded: number;
      crashed: number;
    }
  /** Looking for a smaller diverging input set: `attempts` of at most `limit`. */
  | { phase: "shrinking"; attempts: number; limit: number }
  /** Writing the regression case and the counts. */
  | { phase: "recording" };

export interface DifferentialTestOptions {
  /** How many input sets to generate. */
  runs: number;
  /** The input generation's seed: the same seed generates the same inputs. */
  seed: number;
  /** Where tool results come from (default simulated). */
  tools?: ToolSource;
  /** A/A: the reference against itself on a later clock and another random stream. */
  aa?: boolean;
  /** Where to write the regression case (default regressions/<node_id>-<input hash>.yaml in the working directory). */
  caseFile?: string;
  /** The node's file as the user named it, for the case's reproduce lines (default the node's own path). */
  file?: string;
  /** Comparisons needed before the confidence is above 0 (default 100). */
  minSamples?: number;
  onProgress?: (progress: TestProgress) => void;
  /**
   * Aborting it (Ctrl-C) stops the test after the input running now; what was compared
   * so far is counted and stored as usual, and the summary's report says `interrupted`.
   */
  signal?: AbortSignal;
}

export interface DifferentialTestSummary {
  nodeId: string;
  file: string;
  kind: "differential" | "aa";
  seed: number;
  runs: number;
  tools: ToolSource;
  report: TestReport;
  /** The regression case written (absolute path), when an input diverged. */
  caseFile?: string;
  /** Every comparison in the store for the node that counts toward confidence, this session's included. */
  evidence: Evidence;
  confidence: number;
  /** The mode the confidence supports (null for an A/A run, which says nothing about the direct runtime). */
  recommended: Mode | null;
  minSamples: number;
  /** Divergences stored with their inputs (at most MAX_STORED_DIVERGENCES). */
  storedDivergences: number;
  /** Share of generated inputs that failed a precondition or input constraint. */
  discardRate: number;
}

export async function runDifferentialTest(
  store: StoreRef,
  p: PreparedNode,
  options: DifferentialTestOptions,
): Promise<DifferentialTestSummary> {
  const tools = options.tools ?? "simulated";
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  const aa = options.aa ?? false;
  const { runs, seed, onProgress } = options;
  const file = options.file ?? p.node.file;
  const nodeId = p.node.nodeId.value;
  const contentHash = p.node.contentHash;
  const kind = aa ? "aa" : "differential";
  // A store that does not exist yet holds no recorded calls: refuse (MissingRecordingsError)
  // before opening it, which would create the file; bad usage writes nothing.
  if (tools === "recorded" && typeof store === "string" && !existsSync(store)) testTools(p, tools);
  return withStoreAsync(
    store,
    async (s) => {
      const registry = testTools(p, tools, s);
      const stored: DivergenceRow[] = [];
      const counts = { compared: 0, agreed: 0, diverged: 0, discarded: 0, crashed: 0 };
      const report = await differentialTest(p, {
        runs,
        seed,
        aa,
        tools: registry,
        signal: options.signal,
        onVerdict: (inputs, v, index) => {
          if (v.kind === "diverged" && stored.length < MAX_STORED_DIVERGENCES) {
            stored.push({
              nodeId,
              contentHash: p.node.contentHash,
              source: aa ? "aa" : "test",
              inputs,
              expected: v.expected,
              actual: v.actual,
              diffs: v.diffs,
            });
          }
          if (onProgress) {
            if (v.kind === "discarded") counts.discarded++;
            else if (v.kind === "crashed") counts.crashed++;
            else {
              counts.compared++;
              if (v.kind === "agreed") counts.agreed++;
              else counts.diverged++;
            }
            onProgress({ phase: "generating", done: index + 1, total: runs, ...counts });
          }
        },
        onShrinkAttempt: onProgress && ((attempts, limit) => onProgress({ phase: "shrinking", attempts, limit })),
      });
      onProgress?.({ phase: "recording" });
      const caseFile = report.shrunk
        ? resolve(options.caseFile ?? `regressions/${nodeId}-${inputHash(nodeId, report.shrunk.inputs)}.yaml`)
        : undefined;
      if (report.shrunk && caseFile) {
        writeCase(
          caseFile,
          caseText(p, report.shrunk.inputs, {
            file,
            seed,
            runs,
            contextSeed: report.shrunk.verdict.contextSeed,
            diffs: report.shrunk.verdict.diffs,
            note: `shrunk from size ${report.first!.size} to ${report.shrunk.size} in ${report.shrunk.attempts} attempts`,
          }),
        );
      }
      s.write(() => {
        addComparisons(s, { nodeId, contentHash }, aa ? "aa" : "test", report.compared, report.agreed);
        addDivergences(s, stored);
        addTestRun(s, {
          nodeId,
          contentHash: p.node.contentHash,
          kind,
          seed,
          tools,
          runs: report.runs,
          discarded: report.discarded,
          compared: report.compared,
          diverged: report.diverged,
          caseFile,
        });
        reevaluate(s, nodeId, { minSamples, contentHash });
      });
      // Evidence is this version's: a changed file starts from zero.
      const evidence = evidenceOf(s, nodeId, contentHash);
      const confidence = confidenceOf(evidence, { minSamples });
      return {
        nodeId,
        file,
        kind,
        seed,
        runs,
        tools,
        report,
        caseFile,
        evidence,
        confidence,
        recommended: aa ? null : recommendedMode(confidence),
        minSamples,
        storedDivergences: stored.length,
        discardRate: report.runs === 0 ? 0 : report.discarded / report.runs,
      };
    },
    {},
  );
}
