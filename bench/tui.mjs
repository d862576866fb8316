// `veyra tui`'s time to first frame, measured in a real terminal (a private tmux
// server, 80×24): from the moment the command is typed to the moment the Nodes
// pane's table and footer are on screen, in interleaved rounds against a bare
// `node` start that prints one line (what any Node program costs to start here),
// medians and spreads. The target: the first frame within 1 s of start.
// The Seeds pane's CPU share at 1,000 telemetry rows/s and its write-to-screen
// latency are measured by bench/tui-live.mjs.
// Usage: npm run build && node bench/tui.mjs [--rounds N] [--json]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const rounds = args.includes("--rounds") ? Number(args[args.indexOf("--rounds") + 1]) : 7;
const root = fileURLToPath(new URL("..", import.meta.url));

if (spawnSync("tmux", ["-V"]).status !== 0) {
  console.log(
    "bench/tui.mjs: tmux is not installed; the first frame is measured in a real terminal, so nothing was measured",
  );
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "bench-tui-"));
// A server per measurement: a new server on a socket whose old server is still
// shutting down may start no session at all.
let servers = 0;
let socket = "";
const tmux = (...a) => spawnSync("tmux", ["-S", join(dir, socket), "-f", "/dev/null", ...a], { encoding: "utf8" });

/** Types `command` into a fresh 80×24 shell and returns ms until each marker shows on screen. */
function timeToScreen(command, ...markers) {
  if (socket) tmux("kill-server");
  socket = `bench-tui-${process.pid}-${servers++}`;
  tmux("new-session", "-d", "-s", "s", "-x", "80", "-y", "24", "-c", root, "sh");
  // Let the shell come up before the clock starts.
  for (let i = 0; i < 200 && !tmux("capture-pane", "-p", "-t", "s").stdout.includes("$"); i++)
    spawnSync("sleep", ["0.01"]);
  const start = performance.now();
  tmux("send-keys", "-t", "s", command, "Enter");
  const seen = [];
  while (seen.length < markers.length) {
    const screen = tmux("capture-pane", "-p", "-t", "s").stdout;
    while (seen.length < markers.length && screen.includes(markers[seen.length])) seen.push(performance.now() - start);
    if (performance.now() - start > 20_000)
      throw new Error(`no ${markers[seen.length]} on screen after 20 s; it shows:\n${screen}`);
  }
  return seen;
}

const env = "env -u CI -u CONTINUOUS_INTEGRATION";
// The first frame: the tab bar. Then the Nodes table, filled once every .vsp file
// under the folder (the project's: 48 of them) is validated and the store is read.
const tui = () =>
  timeToScreen(`${env} node bin/veyra.js tui --store ${join(dir, "store.db")}`, "1 Nodes", "t differential test");
const bare = () => timeToScreen(`${env} node -e 'console.log("bare-node-" + "ready")'`, "bare-node-ready");

const a = [];
const full = [];
const b = [];
try {
  for (let i = 0; i < rounds; i++) {
    const [first, table] = tui();
    a.push(first);
    full.push(table);
    b.push(bare()[0]);
  }
} finally {
  tmux("kill-server");
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const spread = (xs) => Math.max(...xs) - Math.min(...xs);
const out = {
  rounds,
  firstFrameMs: { median: median(a), spread: spread(a) },
  nodesTableMs: { median: median(full), spread: spread(full) },
  bareNodeMs: { median: median(b), spread: spread(b) },
  ratio: median(a) / median(b),
};
if (args.includes("--json")) console.log(JSON.stringify(out, null, 2));
else {
  console.log(
    `veyra tui, first frame (80×24, tmux): median ${out.firstFrameMs.median.toFixed(0)} ms, spread ${out.firstFrameMs.spread.toFixed(0)} ms over ${rounds} rounds`,
  );
  console.log(
    `the Nodes table filled (48 files):    median ${out.nodesTableMs.median.toFixed(0)} ms, spread ${out.nodesTableMs.spread.toFixed(0)} ms`,
  );
  console.log(
    `bare node start, same way:           median ${out.bareNodeMs.median.toFixed(0)} ms, spread ${out.bareNodeMs.spread.toFixed(0)} ms`,
  );
  console.log(`ratio ${out.ratio.toFixed(2)}× a bare node start; target: first frame within 1000 ms`);
}
