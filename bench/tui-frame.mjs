// The cost of one Seeds-pane frame, in-process: the open run's view (RunView, as the
// pane draws it inside the shell's box, clipped top and bottom) rendered by Ink to a
// fake terminal at 80×24 and 200×50 (the pane gets the rows between the tab bar
// and the footer), the run growing one epoch (and its events) per frame, as a live
// run at 1,000 rows/s grows ten times a second. Reported per size: CPU ms per frame
// (React, layout and Ink's output, from process.cpuUsage over `--frames` frames),
// median of the rounds after a warm-up round. `--against DIR` draws the same frames
// with another checkout's build (e.g. /work/main) in alternating rounds, so old and
// new are compared under the same load. A development aid beside bench/tui-live.mjs
// (which measures the real process in a real terminal); nothing here is asserted.
// Usage: npm run build && node bench/tui-frame.mjs [--frames N] [--rounds R] [--against DIR]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { machineLoad, median } from "./cpu-rounds.mjs";

process.env.NODE_ENV = "production"; // as `veyra tui` runs React
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const frames = Number(flag("--frames", 50));
const rounds = Number(flag("--rounds", 3));
const here = fileURLToPath(new URL("..", import.meta.url));
const trees = [here, ...(flag("--against") ? [resolve(flag("--against"))] : [])];

const React = (await import("react")).default;
const { render, Box } = await import("ink");
const load = (tree, path) => import(pathToFileURL(join(tree, "dist", path)).href);
const views = await Promise.all(trees.map((t) => load(t, "tui/panes/seeds/run-view.js")));
const { showSeedRun } = await import("../dist/src/workbench/index.js");
const { openTelemetrySink } = await import("../dist/src/seeds/telemetry-sink.js");
const { TraceStore } = await import("../dist/src/store/store.js");
const { header, writeEpochs } = await import("../test/fixtures/synthetic-seed-run.mjs");

const sizes = [
  [80, 24],
  [200, 50],
];
// A run long enough for every round, read once; each frame shows one epoch more.
const dir = mkdtempSync(join(tmpdir(), "bench-tui-frame-"));
const total = frames * (rounds + 1) * sizes.length * trees.length + 1;
const store = TraceStore.open(join(dir, "store.db"));
const sink = openTelemetrySink(store);
sink.startRun(header("sr_frame", { epochs: 1_000_000, baseline: true }));
writeEpochs(sink, "sr_frame", 1, total, { stepsPerEpoch: 5, baseline: true });
sink.close();
const full = showSeedRun(store, "sr_frame");
store.close();
rmSync(dir, { recursive: true, force: true });
const viewAt = (n) => {
  const keep = (e) => e.epoch <= n;
  return {
    ...full,
    run: { ...full.run, epochsDone: n, status: "running" },
    epochs: { seeded: full.epochs.seeded.filter(keep), baseline: full.epochs.baseline.filter(keep) },
    seeds: full.seeds.map((s) => ({ ...s, entries: s.entries.filter(keep) })),
    runEvents: full.runEvents.filter(keep),
    metrics: { ...full.metrics, epochsDone: n },
  };
};

function terminal(columns, rows) {
  const out = new Writable({ write: (_chunk, _enc, cb) => cb() });
  return Object.assign(out, { columns, rows, isTTY: true });
}

const results = new Map();
// Each size and tree draws its own stretch of epochs, the same stretch in every round.
for (let round = -1; round < rounds; round++) {
  for (const [s, [columns, rows]] of sizes.entries()) {
    for (const [t, { RunView }] of views.entries()) {
      const height = rows - 3;
      const tree = (view) =>
        React.createElement(
          Box,
          { width: columns, height, flexDirection: "column", overflowY: "hidden" },
          React.createElement(RunView, {
            view,
            width: columns,
            height,
            color: true,
            logY: false,
            smoothing: 0,
            logBack: 0,
          }),
        );
      const first = 1 + (s * trees.length + t) * frames * 0 + Math.max(0, round) * 0;
      const shown = Array.from({ length: frames }, (_, i) => viewAt(first + frames + i));
      const app = render(tree(viewAt(first + frames - 1)), {
        stdout: terminal(columns, rows),
        patchConsole: false,
        exitOnCtrlC: false,
        maxFps: 0,
      });
      await new Promise((r) => setTimeout(r, 20));
      const u0 = process.cpuUsage();
      for (const view of shown) {
        app.rerender(tree(view));
        await new Promise((r) => setImmediate(r));
      }
      const u = process.cpuUsage(u0);
      app.unmount();
      app.cleanup();
      if (round < 0) continue; // warm-up
      const key = `${columns}x${rows} ${trees[t]}`;
      if (!results.has(key)) results.set(key, []);
      results.get(key).push((u.user + u.system) / 1000 / frames);
    }
  }
}
for (const [key, ms] of results)
  console.log(`${key}: ${median(ms).toFixed(2)} ms CPU per frame (rounds ${ms.map((x) => x.toFixed(1)).join(", ")})`);
console.log(machineLoad());
