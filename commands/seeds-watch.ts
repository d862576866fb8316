import { once } from "node:events";
import { EXIT } from "./exit-codes.js";
import { accuracyText, epochLine, eventLine, runStartedLine } from "./seeds-format.js";
import type { SeedStoreFlags } from "./seeds-store.js";
import { resolveStorePath } from "../src/config/config.js";
import { type SeedFollowEvent, seedRunJson, watchSeedRun } from "../src/workbench/seed-runs.js";

// `veyra seeds watch [RUN]`: a seed run live, from another process than its
// trainer. At a terminal: a line per epoch, per stage change, gate result, policy
// command; otherwise (or with --json) one JSON object per event. It follows the
// named run from its start, else the newest running run, else waits for the next
// to start; it ends with exit 0 when that run finishes, and with 130 on Ctrl-C
// (SIGTERM ends it quietly with 0, as for `vesper traces follow`).

export async function watchCommand(id: string | undefined, flags: SeedStoreFlags): Promise<number> {
  const stop = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
    stop.abort();
  };
  const onSigterm = () => stop.abort();
  const json = flags.json || !process.stdout.isTTY;
  const follow = watchSeedRun(resolveStorePath(flags.store), { run: id, signal: stop.signal });
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigterm);
  let planned: number | undefined;
  // On standard error, so it never mixes into the JSON lines.
  if (follow.following === undefined)
    process.stderr.write(`waiting for a seed run to start in ${follow.path} (Ctrl-C to stop)\n`);
  try {
    for await (const e of follow) {
      if (e.kind === "run_started") planned = e.run.epochs;
      const line = json ? seedRunJson(eventJson(e)) : textLine(e, planned);
      if (!process.stdout.write(`${line}\n`)) await once(process.stdout, "drain", { signal: stop.signal });
    }
  } catch (err) {
    if (!stop.signal.aborted) throw err;
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
    follow.close();
  }
  return interrupted ? EXIT.INTERRUPTED : EXIT.OK;
}

/**
 * The JSON contract of `seeds watch --json`: `event` first (run_started, epoch, seed_event,
 * run_finished), then the record with its own field names; a seed event's own fields under `seedEvent`.
 */
export function eventJson(e: SeedFollowEvent) {
  switch (e.kind) {
    case "run_started":
      return { event: e.kind, ...e.run };
    case "epoch":
      return { event: e.kind, ...e.record };
    case "seed_event": {
      const { event, ...where } = e.record;
      return { event: e.kind, ...where, seedEvent: event };
    }
    case "run_finished":
      return { event: e.kind, runId: e.runId, status: e.status, summary: e.summary };
  }
}

function textLine(e: SeedFollowEvent, planned: number | undefined): string {
  switch (e.kind) {
    case "run_started":
      return runStartedLine(e.run);
    case "epoch":
      return epochLine(e.record, planned);
    case "seed_event":
      return eventLine(e.record);
    case "run_finished": {
      const s = e.summary;
      const acc = s ? `: ${accuracyText(s.finalTestAccuracy, s.baselineTestAccuracy)}` : "";
      return `■ seed run ${e.runId} ${e.status}${acc}`;
    }
  }
}
