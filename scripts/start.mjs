// `npm start`. At a terminal it opens the workbench (`veyra tui`) on the bundled
// examples, with something in each pane to find: two recorded runs in the store (a
// payment whose slow gateway times out, to replay and fork with a longer timeout,
// and a node whose float32 engine diverges from the reference, to debug), and a
// short seeds demo on the two-spirals set training in a second process, so the
// Seeds pane's charts grow while you watch. When the TUI quits, the demo run is
// stopped (it checkpoints and can be resumed) and the terminal is restored.
// Without a terminal (a pipe, CI), it runs the headless tour (scripts/tour.mjs).
// The store is the usual one (VEYRA_STORE, veyra.config.yaml, else this clone's
// traces/vesper.db).
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (program) => join(root, "bin", `${program}.js`);

if (!(process.stdin.isTTY && process.stdout.isTTY)) {
  await import("./tour.mjs");
} else {
  const quiet = { cwd: root, stdio: ["ignore", "ignore", "inherit"] };
  process.stdout.write("Recording two runs for the Replay and Debug panes, and starting a seeds demo run...\n");
  spawnSync(
    process.execPath,
    [
      bin("vesper"),
      "run",
      "examples/payment.vsp",
      "--runtime",
      "reference",
      "--sim",
      "sim.payments.charge:latency_ms=4000",
    ],
    quiet,
  );
  spawnSync(process.execPath, [bin("vesper"), "run", "examples/diverging/one_pass_variance.vsp"], quiet);
  // examples/seeds/spirals-demo.yaml: 60 epochs and the baseline, about 10 s of charts growing.
  const demoArgs = ["seeds", "run", "--config", "examples/seeds/spirals-demo.yaml", "--baseline", "--json"];
  const demo = spawn(process.execPath, [bin("veyra"), ...demoArgs], {
    cwd: root,
    stdio: "ignore",
  });
  // From examples/, the Nodes pane lists the bundled examples (the store is still this clone's).
  const tui = spawn(process.execPath, [bin("veyra"), "tui", ...process.argv.slice(2)], {
    cwd: join(root, "examples"),
    stdio: "inherit",
  });
  // The TUI owns the terminal; Ctrl-C reaches it through the terminal, not through us.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => tui.kill("SIGTERM"));
  tui.on("exit", (code, signal) => {
    // Ctrl-C in the demo checkpoints it and marks it interrupted (veyra seeds run --resume continues it).
    if (demo.exitCode === null) demo.kill("SIGINT");
    process.exitCode = code ?? (signal === "SIGTERM" ? 143 : 1);
  });
}
