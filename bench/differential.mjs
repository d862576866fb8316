// Differential executions per second as `vesper test` makes them, input generation
// included: each measured call is one whole differentialTest (fast-check draws the
// inputs, the reference runs live, the direct runtime runs on the reference's tape,
// the results are compared), on fresh runtimes as the command creates them. Then
// the parts on their own: generating inputs, a reference run, a direct run (hot).
// CPU time, alternating rounds, median and spread (bench/cpu-rounds.mjs).
// Target (issue #15): at least 5,000 differential executions per second on payment
// and order_total.
// Usage: npm run build && node bench/differential.mjs [--runs N] [--rounds N] [--json]
import fc from "fast-check";
import { alternate, fmt, machineLoad } from "./cpu-rounds.mjs";
import { ExecutionContext } from "../dist/src/runtime/context.js";
import { DirectRuntime } from "../dist/src/runtime/direct/direct-runtime.js";
import { prepareFile } from "../dist/src/runtime/prepared.js";
import { ReferenceRuntime } from "../dist/src/runtime/reference/reference-runtime.js";
import { inputsArbitrary } from "../dist/src/verify/arbitraries.js";
import { differentialTest } from "../dist/src/verify/differential-test.js";
import { testTools } from "../dist/src/verify/test-tools.js";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const runs = opt("--runs", 1000);
const rounds = opt("--rounds", 5);
const json = args.includes("--json");
const TARGET = 5000;
/** A run's answer, with a rejected run's failure set aside; a result given at once stays synchronous. */
const settled = (r) => (r instanceof Promise ? r.catch(() => {}) : r);

const loadBefore = machineLoad();
const rows = [];
for (const name of ["payment", "order_total"]) {
  const p = prepareFile(`examples/${name}.vsp`);
  const tools = testTools(p, "simulated");
  const arb = inputsArbitrary(p);
  const inputs = fc.sample(arb, { seed: 1, numRuns: 2000 });
  const reference = new ReferenceRuntime();
  const direct = new DirectRuntime();
  const ctx = () => new ExecutionContext({ seed: 1, clockStartMs: 0, tools, grants: p.grants });
  let seed = 0;
  // Per execution: a whole test of `runs` executions counts as `runs` calls.
  const perExecution = (fn) => ({ fn, weight: runs });
  const figures = await alternate(
    {
      test: perExecution(() => differentialTest(p, { seed: ++seed, runs, tools })),
      generation: perExecution(() => fc.sample(arb, { seed: ++seed, numRuns: runs })),
      // run() answers a result or a promise of one, and never throws (runtime.ts): only a promise can reject.
      reference: (i) => settled(reference.run(p, inputs[i % inputs.length], ctx())),
      direct: (i) => settled(direct.run(p, inputs[i % inputs.length], ctx())),
    },
    { rounds, roundMs: 300 },
  );
  rows.push({
    node: p.node.nodeId.value,
    ...figures,
    executionsPerSecond: 1e6 / figures.test.medianUs,
    target: TARGET,
  });
}
const loadAfter = machineLoad();

if (json) {
  console.log(JSON.stringify({ node: process.version, runs, rounds, loadBefore, loadAfter, rows }, null, 2));
} else {
  console.log(
    `node ${process.version}; ${rounds} alternating rounds; CPU µs per execution, median ± spread of the rounds;`,
  );
  console.log(
    `test = differentialTest of ${runs} runs on fresh runtimes, as \`vesper test\` runs it, inputs generated`,
  );
  console.log(`before: ${loadBefore}\nafter:  ${loadAfter}\n`);
  for (const r of rows) {
    console.log(`${r.node}`);
    console.log(
      `  vesper test        ${fmt(r.test)}   = ${r.executionsPerSecond.toFixed(0)} executions/s (target ${TARGET})`,
    );
    console.log(`  generating inputs  ${fmt(r.generation)}`);
    console.log(`  reference run      ${fmt(r.reference)}`);
    console.log(`  direct run (hot)   ${fmt(r.direct)}`);
  }
}
