import { resolveStorePath } from "../src/config/config.js";
import type { EpochRecord, EventRecord, RunSummary } from "../src/seeds/records.js";
import { UsageError } from "../src/values/errors.js";
import { runSeedTraining } from "../src/workbench/seed-run.js";
import { wholeNumber } from "./common-flags.js";
import { reportingStartFailure } from "./engine-start.js";
import { EXIT } from "./exit-codes.js";

// `veyra seeds run`: parse the flags, run one seed training (src/workbench/seed-run.ts),
// render. At a terminal, a progress display on stderr (epoch bar, loss, accuracy,
// each seed's stage) and the summary on stdout; without one (or with --json) one JSON
// object a line on stdout: {"type":"start"|"epoch"|"event"|"summary", ...}. Ctrl-C
// finishes the epoch, checkpoints, marks the run interrupted and exits 130; a second
// Ctrl-C exits at once. The run is recorded in the trace store (--store, else the
// usual rules), where `veyra seeds watch/show` and the TUI read it.

export interface SeedsRunFlags {
  config?: string;
  dataset?: string;
  epochs?: string;
  seed?: string;
  backend?: string;
  baseline?: boolean;
  resume?: string;
  store?: string;
  json?: boolean;
}

export function seedsRunCommand(flags: SeedsRunFlags): Promise<number> {
  return reportingStartFailure("seeds run", async () => {
    if (flags.dataset !== undefined && !["mnist", "spirals"].includes(flags.dataset))
      throw new UsageError(`--dataset must be mnist or spirals, not '${flags.dataset}'`);
    const epochs = wholeNumber(flags.epochs, "--epochs", { min: 1, max: 10_000 });
    const seed = wholeNumber(flags.seed, "--seed", { min: 0, max: 2 ** 32 - 1 });
    const jsonLines = flags.json === true || !process.stderr.isTTY;
    const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
    const stop = new AbortController();
    const onSigint = () => {
      if (stop.signal.aborted) process.exit(EXIT.INTERRUPTED);
      stop.abort();
      if (!jsonLines)
        process.stderr.write("\ninterrupting: finishing this epoch and checkpointing (Ctrl-C again to quit now)\n");
    };
    process.on("SIGINT", onSigint);
    const display = jsonLines ? undefined : new Progress();
    let summary: RunSummary;
    try {
      summary = await runSeedTraining(
        {
          dataset: flags.dataset,
          epochs,
          seed,
          backend: flags.backend,
          baseline: flags.baseline,
          configFile: flags.config,
          cwd: process.cwd(),
          resume: flags.resume,
          store: resolveStorePath(flags.store),
        },
        {
          signal: stop.signal,
          onStart: (info) => {
            if (jsonLines)
              out({
                type: "start",
                runId: info.runId,
                backend: info.backend,
                dataset: info.config.dataset,
                epochs: info.config.epochs,
                seed: info.config.seed,
                resumedFrom: info.resumedFrom,
              });
            else display!.start(info.runId, info.config.dataset, info.config.epochs, info.backend);
          },
          onEpoch: (e) => (jsonLines ? out({ type: "epoch", ...e }) : display!.epoch(e)),
          onEvent: (e) => (jsonLines ? out({ type: "event", ...e }) : display!.event(e)),
        },
      );
    } finally {
      process.off("SIGINT", onSigint);
    }
    if (jsonLines) out({ type: "summary", ...summary });
    else process.stdout.write(formatSummary(summary));
    return summary.status === "interrupted" ? EXIT.INTERRUPTED : EXIT.OK;
  });
}

export function formatSummary(s: RunSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const lines = [
    `run ${s.runId}: ${s.status} after ${s.epochs} epochs`,
    `test accuracy    ${pct(s.finalTestAccuracy)} (seeded)`,
  ];
  if (s.baselineTestAccuracy !== null)
    lines.push(
      `baseline         ${pct(s.baselineTestAccuracy)} (same host, epochs and seed, no seeds): ${((s.finalTestAccuracy - s.baselineTestAccuracy) * 100).toFixed(2)} points`,
    );
  for (const seed of s.seeds)
    lines.push(
      `  ${seed.seedId.padEnd(8)} ${seed.slot.padEnd(4)} ${seed.blueprint.padEnd(20)} ${seed.stage}${seed.lastGate ? ` (last gate ${seed.lastGate.gate} ${seed.lastGate.passed ? "passed" : "failed"})` : ""}`,
    );
  if (s.status === "interrupted") lines.push(`resume with: veyra seeds run --resume ${s.runId}`);
  return `${lines.join("\n")}\n`;
}

/**
 * The terminal display on stderr: a line per epoch (series, bar, epoch, train loss,
 * validation and test accuracy, seconds) that fits an 80-column terminal, the live
 * seeds' slot and stage (alpha while grafting) on an indented line under it, and a
 * line per stage change, failed gate or breaker trip. Every line is cut to the
 * terminal's width, so nothing wraps into the next.
 */
class Progress {
  private epochs = 0;
  private readonly width = Math.max(40, process.stderr.columns || 80);
  private line(text: string): void {
    const chars = [...text];
    process.stderr.write(`${chars.length > this.width ? `${chars.slice(0, this.width - 1).join("")}…` : text}\n`);
  }
  start(runId: string, dataset: string, epochs: number, backend: string): void {
    this.epochs = epochs;
    this.line(`seed run ${runId}: ${dataset}, ${epochs} epochs on ${backend}`);
  }
  epoch(e: EpochRecord): void {
    const width = 16;
    const done = Math.round((e.epoch / this.epochs) * width);
    const bar = `[${"#".repeat(done)}${".".repeat(width - done)}]`;
    const count = `${String(e.epoch).padStart(String(this.epochs).length)}/${this.epochs}`;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    this.line(
      `${e.series.padEnd(8)} ${bar} ${count}  loss ${e.trainLoss.toFixed(3)}  val ${pct(e.validationAccuracy)}  test ${pct(e.testAccuracy)}  ${e.seconds.toFixed(1)}s`,
    );
    const seeds = e.seeds
      .filter((s) => s.stage !== "CULLED" && s.stage !== "CANCELLED" && s.stage !== "ROLLED_BACK")
      .map((s) => `${s.seedId} ${s.slot} ${s.stage}${s.alpha > 0 && s.alpha < 1 ? ` α=${s.alpha.toFixed(2)}` : ""}`);
    if (seeds.length > 0) this.line(`         seeds: ${seeds.join(", ")}`);
  }
  event(r: EventRecord): void {
    const e = r.event;
    if (e.kind === "stage") this.line(`    ${e.seedId} ${e.from} → ${e.to}: ${e.reason}`);
    else if (e.kind === "gate" && !e.passed) this.line(`    ${e.seedId} ${e.gate} failed: ${e.detail}`);
    else if (e.kind === "breaker") this.line(`    breaker on ${e.seedId}: ${e.cause}`);
    else if (e.kind === "refused") this.line(`    refused ${e.seedId} → ${e.to}: ${e.reason}`);
  }
}
