import type { Effect } from "../runtime/protocol.js";
import type { VRecord, Value } from "../values/values.js";
import { ToolRegistry, type ToolErrorCode, type ToolIO, type ToolReply, type ToolSpec } from "../tools/registry.js";

// Tool registries whose answers come from somewhere other than the services:
// the replies an earlier run received (an A/A run's second side), or replies
// recorded in the trace store (`vesper test --tools recorded`). Each keeps the
// real tool's name, capability and time limits, so capability checks, retries and
// on_error behave exactly as they do live.

type Serve = (spec: ToolSpec, args: VRecord, io: ToolIO) => ToolReply;

export function servedTools(base: ToolRegistry, serve: Serve): ToolRegistry {
  const out = new ToolRegistry();
  for (const name of base.names()) {
    const spec = base.get(name)!;
    out.register({ ...spec, invoke: (args, io) => serve(spec, args, io) });
  }
  return out;
}

/**
 * Serves the calls of a recorded run in order, attempt by attempt: a call that took
 * three attempts fails transiently twice and then answers as it did, so retries,
 * attempts and on_error come out the same. Arguments are not checked: in an A/A
 * run they may legitimately differ when they depend on the clock or random().
 */
export function tapeServer(calls: readonly { effect: Effect }[]): Serve {
  let next = 0;
  let attempt = 0;
  return (spec) => {
    const effect = calls[next]?.effect;
    if (!effect)
      return { ok: false, code: "REJECTED", message: `${spec.name}: the first run made no more calls`, latencyMs: 0 };
    attempt++;
    const last = attempt >= effect.attempts;
    if (last) {
      next++;
      attempt = 0;
    }
    if (effect.ok && !last)
      return { ok: false, code: "UNAVAILABLE", message: `${spec.name}: transient failure (as recorded)`, latencyMs: 0 };
    if (effect.ok) return { ok: true, value: effect.result ?? null, latencyMs: effect.elapsedMs };
    const code = (effect.error?.code ?? "REJECTED") as ToolErrorCode;
    return {
      ok: false,
      code,
      message: effect.error?.message ?? "failed (as recorded)",
      latencyMs: last ? effect.elapsedMs : 0,
    };
  };
}

export interface RecordedReply {
  ok: boolean;
  result?: Value;
  error?: { code: string; message: string };
  elapsedMs: number;
}

/** Serves, for each call, one of the replies recorded for that tool, chosen by the seeded service stream. */
export function recordedServer(byTool: ReadonlyMap<string, readonly RecordedReply[]>): Serve {
  return (spec, _args, io) => {
    const replies = byTool.get(spec.name);
    if (!replies || replies.length === 0)
      return { ok: false, code: "REJECTED", message: `${spec.name}: no recorded replies`, latencyMs: 0 };
    const r = replies[Math.floor(io.rng.next() * replies.length)]!;
    if (r.ok) return { ok: true, value: r.result ?? null, latencyMs: r.elapsedMs };
    const code = (
      ["TIMEOUT", "UNAVAILABLE", "REJECTED"].includes(r.error?.code ?? "") ? r.error!.code : "REJECTED"
    ) as ToolErrorCode;
    return { ok: false, code, message: r.error?.message ?? "failed (as recorded)", latencyMs: r.elapsedMs };
  };
}
