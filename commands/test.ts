import { resolve, relative } from "node:path";
import { EXIT } from "./exit-codes.js";
import { UsageError } from "../src/values/errors.js";
import { loadNodeOrReport } from "./node-file.js";
import { resolveStorePath } from "../src/config/config.js";
import { inputHash } from "../src/exec/modes.js";
import { toJson } from "../src/values/json.js";
import type { PreparedNode } from "../src/runtime/prepared.js";
import { formatValue, type Value } from "../src/values/values.js";
import { TraceStore } from "../src/store/store.js";
import { reevaluate } from "../src/verify/controller.js";
import { differentialTest, type TestReport } from "../src/verify/differential-test.js";
import {
  addComparisons,
  addDivergences,
  addTestRun,
  confidenceOf,
  evidenceOf,
  type DivergenceRow,
} from "../src/verify/evidence-store.js";
import { recommendedMode } from "../src/verify/recommend.js";
import { caseText, writeCase } from "../src/verify/regression-case.js";
import { MissingRecordingsError, TOOL_SOURCES, testTools, type ToolSource } from "../src/verify/test-tools.js";
import { DEFAULT_MIN_SAMPLES, Z_999 } from "../src/verify/wilson.js";

// `vesper test <file>`: differential testing. Exit 0 when every compared input
// agreed, 4 when the runtimes diverged (or, with --aa, the reference disagreed
// with itself), 1 when a runtime crashed (a vesper bug), 2 for bad usage.

export interface TestFlags {
  runs?: string;
  seed?: string;
  tools?: string;
  aa?: boolean;
  json?: boolean;
  store?: string;
  case?: string;
  minSamples?: string;
}

/** Divergences stored per test session; the counts always cover all of them. */
const MAX_STORED_DIVERGENCES = 1000;
const DISCARD_WARNING = 0.5;

export async function testCommand(file: string, flags: TestFlags): Promise<number> {
  const runs = count(flags.runs, "--runs", 1000, 1, 10_000_000);
  const seed =
    flags.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : count(flags.seed, "--seed", 0, 0, 2 ** 31 - 1);
  const minSamples = count(flags.minSamples, "--min-samples", DEFAULT_MIN_SAMPLES, 1, Number.MAX_SAFE_INTEGER);
  const tools = (flags.tools ?? "simulated") as ToolSource;
  if (!TOOL_SOURCES.includes(tools))
    throw new UsageError(`--tools must be ${TOOL_SOURCES.join(" or ")}, not '${flags.tools}'`);
  if (flags.case !== undefined && flags.case.trim() === "") throw new UsageError("--case needs a file path");
  const p = loadNodeOrReport(file);
  if (!p) return EXIT.USAGE;
  const store = TraceStore.open(resolveStorePath(flags.store));
  try {
    let registry: ReturnType<typeof testTools>;
    try {
      registry = testTools(p, tools, store.db);
    } catch (err) {
      if (err instanceof MissingRecordingsError) throw new UsageError(err.message);
      throw err;
    }
    const nodeId = p.node.nodeId.value;
    const kind = flags.aa ? "aa" : "differential";
    const stored: DivergenceRow[] = [];
    const report = await differentialTest(p, {
      runs,
      seed,
      aa: flags.aa,
      tools: registry,
      onVerdict: (inputs, v) => {
        if (v.kind === "diverged" && stored.length < MAX_STORED_DIVERGENCES) {
          stored.push({
            nodeId,
            contentHash: p.node.contentHash,
            source: flags.aa ? "aa" : "test",
            inputs,
            expected: v.expected,
            actual: v.actual,
            diffs: v.diffs,
          });
        }
      },
    });
    const caseFile = report.shrunk
      ? resolve(flags.case ?? `regressions/${nodeId}-${inputHash(nodeId, report.shrunk.inputs)}.yaml`)
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
    store.db
      .transaction(() => {
        addComparisons(store.db, nodeId, flags.aa ? "aa" : "test", report.compared, report.agreed);
        addDivergences(store.db, stored);
        addTestRun(store.db, {
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
        reevaluate(store.db, nodeId, { minSamples });
      })
      .immediate();
    const evidence = evidenceOf(store.db, nodeId);
    const confidence = confidenceOf(evidence, { minSamples });
    const summary = {
      p,
      file,
      seed,
      runs,
      tools,
      aa: flags.aa ?? false,
      report,
      caseFile,
      evidence,
      confidence,
      minSamples,
      storedDivergences: stored.length,
    };
    if (flags.json) process.stdout.write(`${JSON.stringify(summaryJson(summary), null, 2)}\n`);
    else printSummary(summary);
    const discardRate = report.runs === 0 ? 0 : report.discarded / report.runs;
    if (discardRate > DISCARD_WARNING) {
      process.stderr.write(
        `vesper test: warning: ${(discardRate * 100).toFixed(1)}% of generated inputs failed a precondition or input constraint and were discarded; ` +
          "the test exercised little of the node (constraints the generator cannot read as bounds are the usual cause)\n",
      );
    }
    if (report.crashed > 0) {
      const c = report.firstCrash!;
      process.stderr.write(
        `vesper test: ${report.crashed} inputs crashed the ${c.verdict.crash!.runtime} runtime (a vesper bug, please report it): ${c.verdict.crash!.message}\n  first on: ${inputsLine(c.inputs)}\n`,
      );
    }
    if (report.diverged > 0) return EXIT.DIVERGENCE;
    return report.crashed > 0 ? EXIT.FAILURE : EXIT.OK;
  } finally {
    store.close();
  }
}

function count(text: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
    throw new UsageError(
      `${flag} must be a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}, not '${text}'`,
    );
  }
  return n;
}

interface Summary {
  p: PreparedNode;
  file: string;
  seed: number;
  runs: number;
  tools: ToolSource;
  aa: boolean;
  report: TestReport;
  caseFile?: string;
  evidence: { compared: number; agreed: number };
  confidence: number;
  minSamples: number;
  storedDivergences: number;
}

function reproduce(s: Summary): string[] {
  const lines = [
    `vesper test ${s.file} --seed ${s.seed} --runs ${s.runs}${s.aa ? " --aa" : ""}${s.tools === "recorded" ? " --tools recorded" : ""}`,
  ];
  if (s.caseFile && s.report.shrunk) {
    const at = shown(s.caseFile);
    lines.unshift(
      `vesper debug --comparative ${s.file} --inputs @${at} --seed ${s.report.shrunk.verdict.contextSeed}`,
      `vesper run ${s.file} --inputs @${at} --seed ${s.report.shrunk.verdict.contextSeed} --mode dual_verify`,
    );
  }
  return lines;
}

function printSummary(s: Summary): void {
  const out = process.stdout;
  const r = s.report;
  const pct = (a: number, b: number) => (b === 0 ? "0.0" : ((a / b) * 100).toFixed(1));
  const what = s.aa ? "A/A (reference against reference)" : "differential (reference against direct)";
  out.write(`${s.p.node.nodeId.value}: ${what}, ${r.runs} inputs, seed ${s.seed}, tools ${s.tools}\n`);
  out.write(
    `  compared ${r.compared}, agreed ${r.agreed}, diverged ${r.diverged}, discarded ${r.discarded} (${pct(r.discarded, r.runs)}%)${r.crashed ? `, crashed ${r.crashed}` : ""}\n`,
  );
  if (s.aa) {
    out.write(
      r.diverged === 0
        ? "  noise floor 0: the node gave the same result on a later clock and another random stream every time\n"
        : `  noise floor ${pct(r.diverged, r.compared)}%: the node's result depends on now() or random() in fields it does not declare noisy (verification.noisy_fields)\n`,
    );
  } else {
    const conf = s.confidence;
    const note = s.evidence.compared < s.minSamples ? ` (0 below ${s.minSamples} comparisons)` : "";
    out.write(
      `  confidence ${conf.toFixed(6)}${note}: Wilson lower bound (z = ${Z_999}) over ${s.evidence.compared} comparisons in the store, ${s.evidence.compared - s.evidence.agreed} diverged\n`,
    );
    out.write(`  recommended mode ${recommendedMode(conf)}\n`);
  }
  out.write(`  ${r.seconds.toFixed(2)} s, ${r.seconds > 0 ? Math.round(r.runs / r.seconds) : 0} inputs per second\n`);
  if (r.first && r.shrunk) {
    out.write(
      `\n  FIRST DIVERGENCE at input ${r.first.index + 1} (size ${r.first.size}); shrunk in ${r.shrunk.attempts} attempts to size ${r.shrunk.size}:\n`,
    );
    for (const [k, v] of r.shrunk.inputs) if (v !== null) out.write(`    ${k}: ${formatValue(v)}\n`);
    out.write(`  ${s.aa ? "first run → second run" : "reference → direct"}:\n`);
    for (const d of r.shrunk.verdict.diffs)
      out.write(`    ${d.path}: ${JSON.stringify(d.expected)} → ${JSON.stringify(d.actual)}  (${d.reason})\n`);
    const failure = r.shrunk.verdict.actual?.failure;
    if (failure) out.write(`    ${s.aa ? "second run" : "direct"}: ${failure.code}: ${failure.message}\n`);
    if (s.caseFile) out.write(`  regression case written to ${shown(s.caseFile)}\n`);
    out.write(
      `  ${r.diverged} divergences recorded in the trace store${r.diverged > s.storedDivergences ? ` (the first ${s.storedDivergences} with their inputs)` : ""}\n`,
    );
    out.write("  reproduce:\n");
    for (const line of reproduce(s)) out.write(`    ${line}\n`);
  }
}

function summaryJson(s: Summary) {
  const r = s.report;
  const failing = (f: {
    inputs: Map<string, Value>;
    size: number;
    verdict: { diffs: unknown; contextSeed: number };
  }) => ({
    inputs: inputsJson(f.inputs),
    size: f.size,
    context_seed: f.verdict.contextSeed,
    diffs: f.verdict.diffs,
  });
  return {
    node: s.p.node.nodeId.value,
    file: s.file,
    kind: s.aa ? "aa" : "differential",
    seed: s.seed,
    tools: s.tools,
    runs: r.runs,
    compared: r.compared,
    agreed: r.agreed,
    diverged: r.diverged,
    discarded: r.discarded,
    discard_rate: r.runs === 0 ? 0 : r.discarded / r.runs,
    crashed: r.crashed,
    seconds: r.seconds,
    confidence: s.aa ? null : s.confidence,
    comparisons_in_store: s.evidence.compared,
    agreements_in_store: s.evidence.agreed,
    min_samples: s.minSamples,
    recommended_mode: s.aa ? null : recommendedMode(s.confidence),
    first_divergence: r.first ? { index: r.first.index, ...failing(r.first) } : null,
    shrunk: r.shrunk ? { attempts: r.shrunk.attempts, ...failing(r.shrunk) } : null,
    case_file: s.caseFile ?? null,
    reproduce: r.shrunk ? reproduce(s) : [],
  };
}

function inputsJson(inputs: Map<string, Value>) {
  return Object.fromEntries([...inputs].filter(([, v]) => v !== null).map(([k, v]) => [k, toJson(v)]));
}

/** A path relative to the working directory when it is inside it, absolute otherwise. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

function inputsLine(inputs: Map<string, Value>): string {
  return [...inputs]
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(" ");
}
