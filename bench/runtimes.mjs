// The reference and the direct runtime side by side, in CPU time, in one process:
//   hot       every example after warm-up (the direct runtime on its generated tier);
//   cold      a one-shot run on a fresh runtime (what `vesper run` pays once the node is loaded);
//   recorded  a hot run recorded into a trace store (what `vesper run` does by default);
//   floor     payment and refund written by hand in JS-number cents with the same
//             simulated call and every check the node makes (bench/payment-floor.mjs,
//             bench/refund-floor.mjs; each held to the reference by a property test): the
//             least work for each one's answer. Both make a gateway call that costs the same
//             whoever makes it, so "direct / floor" is the ratio that says how much the
//             direct runtime adds to it.
// Cases alternate round by round and report the median CPU µs per run and the
// spread of the rounds (bench/cpu-rounds.mjs). Each run gets a fresh context.
// Targets (issue #15): direct >= 20x reference hot on order_total, refund and every
// pure-compute example; payment within 2x of the floor; recorded direct >= 5x
// recorded reference on order_total. refund makes the same kind of simulated call as
// payment, so its floor is printed too (its call is a share of any run's cost that no
// runtime can remove).
// With --against DIR (a built copy of another checkout: DIR/dist), the hot rounds
// also run that build's direct runtime, interleaved with this one's ("direct@DIR"),
// on inputs prepared by that build: an A/B comparison measured in the same process.
// --only NAME keeps the examples whose file name contains NAME; --hot-only skips the cold and recorded runs.
// Usage: npm run build && node bench/runtimes.mjs [--rounds N] [--ms N] [--json] [--against DIR] [--only NAME]
//   [--hot-only]
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { alternate, fmt, machineLoad } from "./cpu-rounds.mjs";
import { paymentFloor } from "./payment-floor.mjs";
import { refundFloor } from "./refund-floor.mjs";
import { startRecording } from "../dist/src/exec/recording.js";
import { ExecutionContext } from "../dist/src/runtime/context.js";
import { DirectRuntime } from "../dist/src/runtime/direct/direct-runtime.js";
import { runObserved } from "../dist/src/runtime/observed-run.js";
import { prepareFile, sampleInputs } from "../dist/src/runtime/prepared.js";
import { ReferenceRuntime } from "../dist/src/runtime/reference/reference-runtime.js";
import { TraceStore } from "../dist/src/store/store.js";
import { defaultTools } from "../dist/src/tools/index.js";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const rounds = opt("--rounds", 7);
const roundMs = opt("--ms", 150);
const json = args.includes("--json");
const str = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const against = str("--against");
const only = str("--only");
const hotOnly = args.includes("--hot-only");
/** The other build's modules, each loaded from DIR/dist (its own classes: its values never mix with ours). */
const other = against
  ? await (async () => {
      const load = (path) => import(pathToFileURL(resolve(against, "dist/src", path)).href);
      const [context, direct, prepared, tools] = await Promise.all(
        ["runtime/context.js", "runtime/direct/direct-runtime.js", "runtime/prepared.js", "tools/index.js"].map(load),
      );
      return { ...context, ...direct, ...prepared, ...tools };
    })()
  : undefined;
const otherName = against ? `direct@${against}` : undefined;
// http_fetch makes real network calls; a benchmark of the network is not a benchmark of the runtimes.
const files = readdirSync("examples")
  .filter((f) => f.endsWith(".vsp") && f !== "http_fetch.vsp" && (!only || f.includes(only)))
  .sort();

const loadBefore = machineLoad();
const dir = mkdtempSync(join(tmpdir(), "vesper-bench-runtimes-"));
const store = TraceStore.open(join(dir, "traces.db"));
const rows = [];
for (const f of files) {
  const p = prepareFile(`examples/${f}`);
  const inputs = sampleInputs(p);
  const tools = defaultTools();
  const ctx = () => new ExecutionContext({ seed: 0, clockStartMs: 0, grants: p.grants, tools });
  const reference = new ReferenceRuntime();
  const direct = new DirectRuntime();
  // Past the hot threshold: the direct runtime's generated tier.
  for (let i = 0; i <= direct.hotThreshold + 1; i++) await direct.run(p, inputs, ctx());
  const record = (runtime) => {
    const c = ctx();
    const rec = startRecording(store, { node: p, inputs, seed: "0", context: { clockStartMs: 0 }, mode: null });
    return runObserved(runtime, p, inputs, c, rec.observe(runtime.name, "primary"));
  };
  const hotCases = {
    reference: () => reference.run(p, inputs, ctx()),
    direct: () => direct.run(p, inputs, ctx()),
  };
  const floor = { "payment.vsp": paymentFloor, "refund.vsp": refundFloor }[f];
  if (floor) hotCases.floor = () => floor(inputs, ctx());
  if (other) {
    const op = other.prepareFile(`examples/${f}`);
    const oinputs = other.sampleInputs(op);
    const otools = other.defaultTools();
    const octx = () => new other.ExecutionContext({ seed: 0, clockStartMs: 0, grants: op.grants, tools: otools });
    const odirect = new other.DirectRuntime();
    for (let i = 0; i <= odirect.hotThreshold + 1; i++) await odirect.run(op, oinputs, octx());
    hotCases[otherName] = () => odirect.run(op, oinputs, octx());
  }
  const hot = await alternate(hotCases, { rounds, roundMs });
  const skipped = { reference: { medianUs: Number.NaN, spreadPct: 0 }, direct: { medianUs: Number.NaN, spreadPct: 0 } };
  const cold = hotOnly
    ? skipped
    : await alternate(
        {
          reference: () => new ReferenceRuntime().run(p, inputs, ctx()),
          direct: () => new DirectRuntime().run(p, inputs, ctx()),
        },
        { rounds, roundMs },
      );
  const recorded = hotOnly
    ? skipped
    : await alternate({ reference: () => record(reference), direct: () => record(direct) }, { rounds, roundMs });
  rows.push({
    node: p.node.nodeId.value,
    directTier: direct.cached(p)?.tier.tier ?? "none",
    hot,
    cold,
    recorded,
    hotRatio: hot.reference.medianUs / hot.direct.medianUs,
    coldRatio: cold.reference.medianUs / cold.direct.medianUs,
    recordedRatio: recorded.reference.medianUs / recorded.direct.medianUs,
    directOverFloor: hot.floor ? hot.direct.medianUs / hot.floor.medianUs : undefined,
    otherRatio: other ? hot.reference.medianUs / hot[otherName].medianUs : undefined,
  });
}
store.close();
rmSync(dir, { recursive: true, force: true });
const loadAfter = machineLoad();

if (json) {
  console.log(JSON.stringify({ node: process.version, rounds, roundMs, loadBefore, loadAfter, rows }, null, 2));
} else {
  console.log(`node ${process.version}; ${rounds} alternating rounds of ${roundMs} ms CPU per case; CPU µs per run,`);
  console.log("median ± spread of the rounds ((max − min) / median); a fresh context per run");
  console.log(`before: ${loadBefore}\nafter:  ${loadAfter}\n`);
  for (const r of rows) {
    console.log(`${r.node}  (direct tier: ${r.directTier})`);
    console.log(
      `  hot       reference ${fmt(r.hot.reference)}   direct ${fmt(r.hot.direct)}   ${r.hotRatio.toFixed(1)}x`,
    );
    if (other)
      console.log(
        `  hot       ${otherName} ${fmt(r.hot[otherName])}   ${r.otherRatio.toFixed(1)}x   this / that ${(r.hot.direct.medianUs / r.hot[otherName].medianUs).toFixed(2)}`,
      );
    if (r.hot.floor)
      console.log(
        `  floor     hand-written scaled integers + the same call ${fmt(r.hot.floor)}   direct / floor ${r.directOverFloor.toFixed(2)}x`,
      );
    if (!hotOnly)
      console.log(
        `  cold      reference ${fmt(r.cold.reference)}   direct ${fmt(r.cold.direct)}   ${r.coldRatio.toFixed(1)}x`,
      );
    if (!hotOnly)
      console.log(
        `  recorded  reference ${fmt(r.recorded.reference)}   direct ${fmt(r.recorded.direct)}   ${r.recordedRatio.toFixed(1)}x`,
      );
  }
}
