import { once } from "node:events";
import { EXIT } from "./exit-codes.js";
import { MARK, type StoreFlags } from "./traces.js";
import { resolveStorePath } from "../src/config/config.js";
import { type FollowEvent, followStore } from "../src/workbench/follow.js";

// `vesper traces follow`: the store live, one line per event (or one JSON object
// per line with --json) until Ctrl-C or SIGTERM, which end it quietly with exit 0,
// as does a reader that closed the pipe (noticed at the next write, by
// commands/program.ts). The store must exist: a missing file is a store error
// (exit 2) rather than a silent wait, so a mistyped --store is noticed at once.

export interface FollowFlags extends StoreFlags {
  node?: string;
  fromStart?: boolean;
}

export async function followCommand(flags: FollowFlags): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const events = followStore(resolveStorePath(flags.store), {
    from: flags.fromStart ? "start" : "now",
    node: flags.node,
    signal: stop.signal,
  });
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    for await (const e of events) {
      const line = flags.json ? `${JSON.stringify(eventJson(e))}\n` : `${eventLine(e)}\n`;
      // A slow reader: wait for the pipe to drain rather than buffer without bound.
      if (!process.stdout.write(line)) await once(process.stdout, "drain", { signal: stop.signal });
    }
  } catch (err) {
    if (!stop.signal.aborted) throw err;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    events.close();
  }
  return EXIT.OK;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ms = (us: number | null) => (us === null ? "—" : `${(us / 1000).toFixed(2)} ms`);

/** The JSON contract of `traces follow --json`: snake_case, one object per event, `event` first. */
export function eventJson(e: FollowEvent) {
  switch (e.kind) {
    case "trace_started":
      return {
        event: e.kind,
        trace: e.traceId,
        node_id: e.nodeId,
        node_file: e.nodeFile,
        runtime: e.runtime,
        engine_backend: e.engineBackend,
        mode: e.mode,
        started_at: iso(e.startedAt),
        parent_id: e.parentId,
        fork_step: e.forkStep,
        group_id: e.groupId,
        role: e.role,
      };
    case "step":
      return {
        event: e.kind,
        trace: e.traceId,
        node_id: e.nodeId,
        index: e.index,
        step: e.step,
        op: e.op,
        line: e.line,
        col: e.col,
        duration_us: e.durationUs,
        ok: e.ok,
        error: e.error,
        changed: e.changed,
        calls: e.calls,
        transition: e.transition,
      };
    case "trace_finished":
      return {
        event: e.kind,
        trace: e.traceId,
        node_id: e.nodeId,
        status: e.status,
        steps: e.steps,
        step_rows: e.stepRows,
        duration_us: e.durationUs,
        finished_at: iso(e.finishedAt),
      };
    case "divergence":
      return {
        event: e.kind,
        id: e.id,
        node_id: e.nodeId,
        source: e.source,
        trace: e.traceId,
        other_trace: e.otherTraceId,
        step: e.step,
        diffs: e.diffs,
        at: iso(e.at),
      };
    case "mode_change":
      return {
        event: e.kind,
        id: e.id,
        node_id: e.nodeId,
        kind: e.change.kind,
        from: e.change.from,
        to: e.change.to,
        policy: e.change.policy,
        reason: e.change.reason,
        confidence: e.change.confidence,
        at: iso(e.change.at),
      };
  }
}

export function eventLine(e: FollowEvent): string {
  switch (e.kind) {
    case "trace_started": {
      const extra = [e.mode, e.parentId ? `fork of ${e.parentId}` : e.role].filter(Boolean).join(", ");
      return `▶ ${e.traceId}  ${e.nodeId}  ${e.runtime}  started${extra ? `  (${extra})` : ""}`;
    }
    case "step": {
      const notes = [
        e.transition ? `${e.transition.from} → ${e.transition.to}` : "",
        e.changed.length ? `changed ${e.changed.join(", ")}` : "",
        ...e.calls.map((c) => `${c.tool} ${c.ok ? "ok" : "failed"}`),
        e.error ? `${e.error.code}: ${e.error.message}` : "",
      ].filter(Boolean);
      return `  ${e.traceId} ${e.ok ? "✓" : "✗"} ${String(e.index).padStart(3)} ${e.step.padEnd(18)} ${e.op.padEnd(10)} ${ms(e.durationUs).padStart(10)}${notes.length ? `  ${notes.join("; ")}` : ""}`;
    }
    case "trace_finished":
      return `${MARK[e.status]} ${e.traceId}  ${e.nodeId}  ${e.status}  ${e.steps} step${e.steps === 1 ? "" : "s"}  ${ms(e.durationUs)}`;
    case "divergence": {
      const first = e.diffs[0];
      const what = first
        ? `${first.path}: ${JSON.stringify(first.expected)} → ${JSON.stringify(first.actual)} (${first.reason})${e.diffs.length > 1 ? ` and ${e.diffs.length - 1} more` : ""}`
        : "";
      const traces =
        e.traceId || e.otherTraceId ? `  [${[e.traceId, e.otherTraceId].filter(Boolean).join(" vs ")}]` : "";
      return `≠ ${e.nodeId}  divergence in ${e.source}: ${what}${traces}`;
    }
    case "mode_change": {
      const c = e.change;
      return `⇄ ${e.nodeId}  ${c.kind}: ${c.from ?? "(none)"} → ${c.to} (${c.policy}): ${c.reason}`;
    }
  }
}
