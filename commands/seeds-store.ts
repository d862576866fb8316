import { oneOf, wholeNumber } from "./common-flags.js";
import { EXIT } from "./exit-codes.js";
import { RUN_MARK, accuracyText, epochLine, eventLine, num, pct, seedsLine, when } from "./seeds-format.js";
import { resolveStorePath } from "../src/config/config.js";
import type { RunStatus } from "../src/seeds/records.js";
import { listSeedRuns, seedRunJson, showSeedRun, verifySeedRun } from "../src/workbench/seed-runs.js";

// `veyra seeds list|show|verify`: seed runs in the trace store from the outside.
// Each parses its flags, calls one use case of src/workbench/seed-runs.ts and
// prints. Reading commands never create a store (a missing file is exit 2). JSON
// uses the records' own field names (src/seeds/records.ts), NaN as "NaN".

export interface SeedStoreFlags {
  store?: string;
  json?: boolean;
}

const STATUSES: readonly RunStatus[] = ["running", "finished", "interrupted", "failed"];

const storeOf = (flags: SeedStoreFlags) => resolveStorePath(flags.store);

export function listCommand(flags: SeedStoreFlags & { status?: string; limit?: string }): number {
  const status = flags.status === undefined ? undefined : oneOf(flags.status, "--status", STATUSES);
  const limit = wholeNumber(flags.limit, "--limit", { min: 1, fallback: 20 });
  const runs = listSeedRuns(storeOf(flags), { status, limit });
  const out = process.stdout;
  if (flags.json) {
    for (const r of runs) out.write(`${seedRunJson(r)}\n`);
    return EXIT.OK;
  }
  if (runs.length === 0) {
    out.write(status ? "no seed runs match\n" : "no seed runs recorded yet (veyra seeds run records one)\n");
    return EXIT.OK;
  }
  for (const r of runs) {
    const seeds = r.seeds.length ? `  ${seedsLine(r.seeds)}` : "";
    out.write(
      `${RUN_MARK[r.status]} ${r.id}  ${when(r.startedAt)}  ${r.dataset.padEnd(7)}  ${r.status.padEnd(11)}  ${String(r.epochsDone).padStart(3)}/${r.epochs} epochs  ${accuracyText(r.finalTestAccuracy, r.baselineTestAccuracy)}${seeds}\n`,
    );
  }
  return EXIT.OK;
}

export function showCommand(id: string, flags: SeedStoreFlags): number {
  const v = showSeedRun(storeOf(flags), id);
  const out = process.stdout;
  if (flags.json) {
    out.write(`${seedRunJson(v)}\n`);
    return EXIT.OK;
  }
  const r = v.run;
  const m = v.metrics;
  const lines: string[] = [];
  lines.push(
    `${RUN_MARK[r.status]} seed run ${r.id}  ${r.status}${r.resumes ? ` (resumed ${r.resumes}×)` : ""}  ${r.dataset}  seed ${r.seed}  backend ${r.backend}${r.baseline ? "  with baseline" : ""}`,
  );
  lines.push(`  started ${when(r.startedAt)}${r.finishedAt ? `, ended ${when(r.finishedAt)}` : ""}`);
  lines.push(
    `  epochs ${m.epochsDone}/${m.plannedEpochs}  ${m.seconds.toFixed(1)} s  ${m.meanSamplesPerSecond === null ? "—" : Math.round(m.meanSamplesPerSecond).toLocaleString("en-US")} samples/s  final loss ${num(m.finalTrainLoss)} (test ${num(m.finalTestLoss)})`,
  );
  lines.push(
    `  accuracy: ${accuracyText(v.accuracy.final, v.accuracy.baseline)}${m.bestEpoch !== null ? `; best ${pct(m.bestTestAccuracy)} at epoch ${m.bestEpoch}` : ""}`,
  );
  const kinds = Object.entries(m.events)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  lines.push(
    `  ${m.steps.toLocaleString("en-US")} batches${m.nanSteps ? ` (${m.nanSteps} with a NaN loss)` : ""}; ${r.eventCount} events${kinds ? ` (${kinds})` : ""}`,
  );
  lines.push(
    `  checkpoint: ${v.checkpoint ? `after epoch ${v.checkpoint.epoch} (${v.checkpoint.bytes.toLocaleString("en-US")} bytes)` : "none"}`,
  );
  for (const s of v.seeds) {
    lines.push("");
    lines.push(`seed ${s.seedId}  ${s.blueprint || "?"} in ${s.slot || "?"}  ${s.stage}  α=${s.alpha.toFixed(2)}`);
    const stages = s.stages.map((x) => `${x.stage}@${x.epoch}`).join(" → ");
    if (stages) lines.push(`  stages: ${stages}`);
    const gates = s.gates.map((g) => `${g.gate}${g.passed ? "✓" : "✗"}@${g.epoch}`).join(" ");
    if (gates) lines.push(`  gates:  ${gates}`);
    for (const e of s.entries) lines.push(eventLine({ runId: r.id, ...e }));
  }
  if (v.runEvents.length) {
    lines.push("");
    lines.push("run events");
    for (const e of v.runEvents) lines.push(eventLine({ runId: r.id, ...e }));
  }
  if (v.epochs.seeded.length || v.epochs.baseline.length) {
    lines.push("");
    lines.push("epochs");
    for (const e of [...v.epochs.seeded, ...v.epochs.baseline]) lines.push(`  ${epochLine(e, r.epochs)}`);
  }
  out.write(`${lines.join("\n")}\n`);
  return EXIT.OK;
}

export function verifyCommand(id: string, flags: SeedStoreFlags): number {
  const report = verifySeedRun(storeOf(flags), id);
  const out = process.stdout;
  if (flags.json) {
    out.write(`${JSON.stringify(report)}\n`);
  } else if (report.problem) {
    const first = report.problem;
    out.write(`✗ seed run ${report.run}: ${first.reason} [${first.kind}]\n`);
    for (const p of report.problems.slice(1)) out.write(`  ✗ ${p.reason} [${p.kind}]\n`);
  } else {
    const state = report.status === "running" ? "running; the events so far" : report.status;
    out.write(`✓ seed run ${report.run}: ${report.events} events, hash chain intact (${state})\n`);
  }
  return report.ok ? EXIT.OK : EXIT.FAILURE;
}
