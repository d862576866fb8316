// `npm start`: a short headless tour of what works today, run through the real
// programs in bin/. It validates the bundled examples, shows what a diagnostic looks
// like, runs every example on both runtimes, shows a contract violation, measures
// the two runtimes against each other, travels through a recorded run and forks
// it, steps both runtimes in lockstep, tests them against each other on generated
// inputs, and lists what each command does.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
let failed = false;

function show(title, program, args, expectStatus) {
  // Shown as a shell would need it, so a reader can copy the line.
  const quoted = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`));
  process.stdout.write(`\n${bold(`── ${title}`)}\n$ ${program} ${quoted.join(" ")}\n`);
  const r = spawnSync(process.execPath, [join(root, "bin", `${program}.js`), ...args], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== expectStatus) {
    failed = true;
    process.stdout.write(`(expected exit status ${expectStatus}, got ${r.status})\n`);
  } else {
    process.stdout.write(`(exit status ${r.status})\n`);
  }
}

const examples = readdirSync(join(root, "examples"))
  .filter((f) => f.endsWith(".vsp"))
  .map((f) => `examples/${f}`);
show("1. Validate every bundled example", "vesper", ["validate", ...examples], 0);
show(
  "2. What a mistake looks like: a decimal compared with a string",
  "vesper",
  ["validate", "examples/invalid/decimal-compared-to-string.vsp"],
  2,
);

show(
  "3. Run the payment node: the reference answers, the direct runtime is checked against it",
  "vesper",
  ["run", "examples/payment.vsp"],
  0,
);
// http_fetch calls a real API host; the tour stays offline.
for (const file of examples.filter((f) => !f.endsWith("payment.vsp") && !f.endsWith("http_fetch.vsp"))) {
  show(`   ... and ${file}`, "vesper", ["run", file], 0);
}
show(
  "4. A contract violation: amount 0 (the other inputs from the first sample) breaks an input constraint (exit 3)",
  "vesper",
  ["run", "examples/payment.vsp", "--input", "amount=0"],
  3,
);
show(
  "5. How much faster the direct runtime is on this node, measured now",
  "vesper",
  ["bench", "examples/payment.vsp", "--ms", "400"],
  0,
);

// The AST goes to a scratch folder, removed once read: the tour leaves nothing behind.
const scratch = mkdtempSync(join(tmpdir(), "vesper-tour-"));
const out = join(scratch, "payment.ast.json");
show(
  "6. Compile a node to its typed AST",
  "vesper",
  ["compile", "examples/payment.vsp", "--emit", "ast", "--out", out],
  0,
);
const { node } = JSON.parse(readFileSync(out, "utf8"));
rmSync(scratch, { recursive: true, force: true });
const count = (steps) => steps.reduce((n, s) => n + 1 + (s.op === "branch" ? count(s.then) + count(s.else) : 0), 0);
process.stdout.write(
  `   ${node.nodeId.value}: ${node.inputs.length} inputs, ${count(node.flow)} steps, ` +
    `${node.contracts.length} contracts, states: ${node.states.states.map((s) => s.value).join(", ")}\n`,
);

// The trace store: every run above was recorded in the project's store, traces/vesper.db
// of this clone (found from any folder in it, as git finds its repository).
show(
  "7. A slow payment gateway: every charge attempt times out (the run is recorded)",
  "vesper",
  ["run", "examples/payment.vsp", "--runtime", "reference", "--sim", "sim.payments.charge:latency_ms=4000"],
  3,
);
const latest = spawnSync(
  process.execPath,
  [join(root, "bin", "vesper.js"), "traces", "list", "--limit", "1", "--json"],
  { cwd: root, encoding: "utf8" },
);
const traceId = JSON.parse(latest.stdout.trim().split("\n")[0]).id;
show("8. Its step timeline, from the trace store", "vesper", ["traces", "show", traceId], 0);
show(
  "9. Time travel: replay it, go back, inspect, then fork with a longer timeout and diff",
  "vesper",
  [
    "replay",
    traceId,
    "--commands",
    "goto 4; back 2; print to_charge; continue; modify step 4 timeout_ms=4500; run; diff",
  ],
  0,
);
show("10. The hash chain of every recorded trace is intact", "vesper", ["traces", "verify"], 0);

show(
  "11. Comparative debugging: both runtimes in lockstep, stopped before the charge",
  "vesper",
  [
    "debug",
    "examples/payment.vsp",
    "--comparative",
    "--break-on",
    "step:charge_card",
    "--width",
    "100",
    "--commands",
    "continue; print to_charge; continue",
  ],
  0,
);
show(
  "12. Differential testing: 500 generated inputs on both runtimes, and a confidence bound",
  "vesper",
  ["test", "examples/payment.vsp", "--runs", "500", "--seed", "1"],
  0,
);
show("13. The migration controller's view of the node", "vesper", ["mode", "payments.process_payment@1.0.0"], 0);

show("14. Every vesper command", "vesper", ["--help"], 0);
show("15. The workbench program", "veyra", ["--help"], 0);
show(
  "16. The blueprints seeds grow from, each a .vsp node (examples/blueprints/)",
  "veyra",
  ["seeds", "blueprints"],
  0,
);

// What the tour leaves out, so a reader knows where to look next.
process.stdout.write(
  "\nNot in the tour: the workbench itself (`npm start` at a terminal opens veyra tui on these examples,\n" +
    "with a seeds run training live), veyra seeds run (try --dataset spirals --baseline: a few seconds),\n" +
    "examples/http_fetch.vsp (it calls a real API host), the debugger and replay at a terminal prompt (the\n" +
    "tour scripts them with --commands), vesper traces follow/export/gc, vesper metrics, and veyra engine.\n",
);
process.stdout.write(
  `\n${failed ? "The tour hit an unexpected result (see above)." : "Tour complete. Next: open examples/payment.vsp and docs/vesper-ir.md; the debugger, replay and testing are in docs/debugger.md, docs/trace-store.md and docs/differential-testing.md."}\n`,
);
process.exitCode = failed ? 1 : 0;
