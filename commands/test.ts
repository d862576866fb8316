import { relative } from "node:path";
import { wholeNumber } from "./common-flags.js";
import { EXIT } from "./exit-codes.js";
import { loadNodeOrReport } from "./node-file.js";
import { resolveStorePath } from "../src/config/config.js";
import { UsageError } from "../src/values/errors.js";
import { toJson } from "../src/values/json.js";
import { formatValue, type Value } from "../src/values/values.js";
import {
  DEFAULT_MIN_SAMPLES,
  type DifferentialTestSummary,
  runDifferentialTest,
  type TestProgress,
  TOOL_SOURCES,
  type ToolSource,
  Z_999,
} from "../src/workbench/differential-test.js";
import { storeArgument } from "./store-argument.js";

// `vesper test <file>`: differential testing. Exit 0 when every compared input
// agreed, 4 when the runtimes diverged (or, with --aa, the reference disagreed
// with itself), 1 when a runtime crashed (a vesper bug), 2 for bad usage, 130 when
// interrupted (Ctrl-C: the summary of what was compared so far is printed first; a
// second Ctrl-C leaves at once). At a terminal a progress line on stderr is updated
// in place while the test runs; never when stderr is not a terminal.

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

const DISCARD_WARNING = 0.5;

export async function testCommand(file: string, flags: TestFlags): Promise<number> {
  const runs = wholeNumber(flags.runs, "--runs", { min: 1, max: 10_000_000, fallback: 1000 });
  const seed = wholeNumber(flags.seed, "--seed", { min: 0, max: 2 ** 31 - 1 }) ?? Math.floor(Math.random() * 2 ** 31);
  const minSamples = wholeNumber(flags.minSamples, "--min-samples", { min: 1, fallback: DEFAULT_MIN_SAMPLES });
  const tools = (flags.tools ?? "simulated") as ToolSource;
  if (!TOOL_SOURCES.includes(tools))
    throw new UsageError(`--tools must be ${TOOL_SOURCES.join(" or ")}, not '${flags.tools}'`);
  if (flags.case !== undefined && flags.case.trim() === "") throw new UsageError("--case needs a file path");
  const p = loadNodeOrReport(file);
  if (!p) return EXIT.USAGE;
  const progress = process.stderr.isTTY ? progressLine(process.stderr) : undefined;
  const stop = new AbortController();
  const onSigint = () => {
    // The second Ctrl-C does not wait for the input running now.
    if (stop.signal.aborted) process.exit(EXIT.INTERRUPTED);
    stop.abort();
  };
  process.on("SIGINT", onSigint);
  let s: DifferentialTestSummary;
  try {
    s = await runDifferentialTest(resolveStorePath(flags.store), p, {
      runs,
      seed,
      tools,
      aa: flags.aa,
      caseFile: flags.case,
      file,
      minSamples,
      onProgress: progress?.update,
      signal: stop.signal,
    });
  } finally {
    progress?.clear();
    process.off("SIGINT", onSigint);
  }
  const report = s.report;
  // The reproduce line must reach the same store, where the evidence accumulates.
  const store = storeArgument(flags.store);
  if (flags.json) process.stdout.write(`${JSON.stringify(summaryJson(s, store), null, 2)}\n`);
  else printSummary(s, store);
  if (s.discardRate > DISCARD_WARNING) {
    process.stderr.write(
      `vesper test: warning: ${(s.discardRate * 100).toFixed(1)}% of generated inputs failed a precondition or input constraint and were discarded; ` +
        "the test exercised little of the node (constraints the generator cannot read as bounds are the usual cause)\n",
    );
  }
  if (report.crashed > 0) {
    const c = report.firstCrash!;
    process.stderr.write(
      `vesper test: ${report.crashed} inputs crashed the ${c.verdict.crash!.runtime} runtime (a vesper bug, please report it): ${c.verdict.crash!.message}\n  first on: ${inputsLine(c.inputs)}\n`,
    );
  }
  if (report.interrupted) {
    process.stderr.write(
      `vesper test: interrupted after ${report.runs} of ${s.runs} inputs; the summary covers those (the counts were stored)\n`,
    );
    return EXIT.INTERRUPTED;
  }
  if (report.diverged > 0) return EXIT.DIVERGENCE;
  if (report.crashed > 0) return EXIT.FAILURE;
  if (report.compared === 0) {
    // A test that compared nothing proves nothing: it must not read as a pass.
    process.stderr.write(
      `vesper test: nothing was compared: all ${report.runs} generated inputs were discarded or crashed, so this version of the node has no new evidence (confidence ${isAa(s) ? "not measured" : s.confidence.toFixed(6)})\n`,
    );
    return EXIT.FAILURE;
  }
  return EXIT.OK;
}

/**
 * One line on a terminal's stderr, rewritten in place (at most every 100 ms, so a fast
 * test is not slowed by its own progress): inputs run of the total and the counts, then
 * the shrinking attempts. clear() leaves the line empty for the summary.
 */
function progressLine(err: NodeJS.WriteStream) {
  let shownAt = 0;
  let shown = false;
  const write = (text: string) => {
    const width = Math.max(20, (err.columns ?? 80) - 1);
    err.write(`\r${text.length > width ? `${text.slice(0, width - 1)}…` : text}\x1b[K`);
    shown = true;
  };
  return {
    update: (e: TestProgress) => {
      const now = performance.now();
      const last = e.phase === "generating" && e.done === e.total;
      if (!last && e.phase !== "recording" && now - shownAt < 100) return;
      shownAt = now;
      if (e.phase === "generating")
        write(
          `testing: ${e.done}/${e.total} inputs, compared ${e.compared}, agreed ${e.agreed}, diverged ${e.diverged}, discarded ${e.discarded}${e.crashed ? `, crashed ${e.crashed}` : ""}  (Ctrl-C stops with a summary)`,
        );
      else if (e.phase === "shrinking") write(`shrinking the first divergence: ${e.attempts}/${e.limit} attempts`);
      else write("recording the counts in the trace store…");
    },
    clear: () => {
      if (shown) err.write("\r\x1b[K");
    },
  };
}

type Summary = DifferentialTestSummary;
const isAa = (s: Summary) => s.kind === "aa";

function reproduce(s: Summary, store: string): string[] {
  const lines = [
    `vesper test ${s.file} --seed ${s.seed} --runs ${s.runs}${isAa(s) ? " --aa" : ""}${s.tools === "recorded" ? " --tools recorded" : ""}${store}`,
  ];
  if (s.caseFile && s.report.shrunk) {
    const at = shown(s.caseFile);
    lines.unshift(
      `vesper debug --comparative ${s.file} --no-sample --inputs @${at} --seed ${s.report.shrunk.verdict.contextSeed}`,
      `vesper run ${s.file} --no-sample --inputs @${at} --seed ${s.report.shrunk.verdict.contextSeed} --mode dual_verify`,
    );
  }
  return lines;
}

function printSummary(s: Summary, store: string): void {
  const out = process.stdout;
  const r = s.report;
  const pct = (a: number, b: number) => (b === 0 ? "0.0" : ((a / b) * 100).toFixed(1));
  const what = isAa(s) ? "A/A (reference against reference)" : "differential (reference against direct)";
  const partial = r.interrupted ? ` of ${s.runs} (interrupted)` : "";
  out.write(`${s.nodeId}: ${what}, ${r.runs} inputs${partial}, seed ${s.seed}, tools ${s.tools}\n`);
  out.write(
    `  compared ${r.compared}, agreed ${r.agreed}, diverged ${r.diverged}, discarded ${r.discarded} (${pct(r.discarded, r.runs)}%)${r.crashed ? `, crashed ${r.crashed}` : ""}\n`,
  );
  if (isAa(s)) {
    out.write(
      r.diverged === 0
        ? "  noise floor 0: the node gave the same result on a later clock and another random stream every time\n"
        : `  noise floor ${pct(r.diverged, r.compared)}%: the node's result depends on now() or random() in fields it does not declare noisy (verification.noisy_fields)\n`,
    );
  } else {
    const conf = s.confidence;
    const note = s.evidence.compared < s.minSamples ? ` (0 below ${s.minSamples} comparisons)` : "";
    out.write(
      `  confidence ${conf.toFixed(6)}${note}: Wilson lower bound (z = ${Z_999}) over ${s.evidence.compared} comparisons in the store, ${s.evidence.compared - s.evidence.agreed} diverged (this version of the node: evidence of an edited file starts from zero)\n`,
    );
    out.write(`  recommended mode ${s.recommended}\n`);
  }
  out.write(`  ${r.seconds.toFixed(2)} s, ${r.seconds > 0 ? Math.round(r.runs / r.seconds) : 0} inputs per second\n`);
  if (r.first && r.shrunk) {
    out.write(
      `\n  FIRST DIVERGENCE at input ${r.first.index + 1} (size ${r.first.size}); shrunk in ${r.shrunk.attempts} attempts to size ${r.shrunk.size}:\n`,
    );
    for (const [k, v] of r.shrunk.inputs) if (v !== null) out.write(`    ${k}: ${formatValue(v)}\n`);
    out.write(`  ${isAa(s) ? "first run → second run" : "reference → direct"}:\n`);
    for (const d of r.shrunk.verdict.diffs)
      out.write(`    ${d.path}: ${JSON.stringify(d.expected)} → ${JSON.stringify(d.actual)}  (${d.reason})\n`);
    const failure = r.shrunk.verdict.actual?.failure;
    if (failure) out.write(`    ${isAa(s) ? "second run" : "direct"}: ${failure.code}: ${failure.message}\n`);
    if (s.caseFile) out.write(`  regression case written to ${shown(s.caseFile)}\n`);
    out.write(
      `  ${r.diverged} divergences recorded in the trace store${r.diverged > s.storedDivergences ? ` (the first ${s.storedDivergences} with their inputs)` : ""}\n`,
    );
    out.write("  reproduce:\n");
    for (const line of reproduce(s, store)) out.write(`    ${line}\n`);
  }
}

function summaryJson(s: Summary, store: string) {
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
    node: s.nodeId,
    file: s.file,
    kind: s.kind,
    seed: s.seed,
    tools: s.tools,
    runs: r.runs,
    compared: r.compared,
    agreed: r.agreed,
    diverged: r.diverged,
    discarded: r.discarded,
    discard_rate: s.discardRate,
    crashed: r.crashed,
    interrupted: r.interrupted,
    seconds: r.seconds,
    confidence: isAa(s) ? null : s.confidence,
    comparisons_in_store: s.evidence.compared,
    agreements_in_store: s.evidence.agreed,
    min_samples: s.minSamples,
    recommended_mode: s.recommended,
    first_divergence: r.first ? { index: r.first.index, ...failing(r.first) } : null,
    shrunk: r.shrunk ? { attempts: r.shrunk.attempts, ...failing(r.shrunk) } : null,
    case_file: s.caseFile ?? null,
    reproduce: r.shrunk ? reproduce(s, store) : [],
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
