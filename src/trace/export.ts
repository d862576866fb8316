import { createHash } from "node:crypto";
import type { EncodedEvent } from "./step-codec.js";
import { stepRows, type TraceRow } from "./reader.js";
import type { TraceStore } from "../store/store.js";

// Exporting a trace: `json` is everything the store holds about it (values in the
// value codec, so nothing is lost); `otlp` is OTLP/JSON (the OpenTelemetry protocol's
// JSON encoding of ExportTraceServiceRequest) with one root span per trace and one
// child span per step, which an OpenTelemetry collector's OTLP receiver accepts.

export function exportJson(store: TraceStore, t: TraceRow) {
  const steps = stepRows(store, t);
  const calls = store.db.prepare("SELECT * FROM tool_calls WHERE trace_id = ? ORDER BY seq").all(t.id) as Record<
    string,
    unknown
  >[];
  const parse = (s: unknown) => (typeof s === "string" ? JSON.parse(s) : null);
  return {
    format: "vesper-trace/1",
    trace: {
      ...t,
      inputs: parse(t.inputs),
      output: parse(t.output),
      failure: parse(t.failure),
      context: parse(t.context),
      fork_change: parse(t.fork_change),
    },
    steps: steps.map((s) => ({
      index: s.idx,
      step: s.step,
      op: s.op,
      line: s.line,
      col: s.col,
      duration_us: s.duration_us,
      hash: s.hash,
      event: JSON.parse(s.event),
    })),
    calls: calls.map((c) => ({
      ...c,
      args: parse(c.args),
      result: parse(c.result),
      error: parse(c.error),
      ok: c.ok === 1,
    })),
  };
}

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };
const attr = (key: string, value: string | number | boolean): { key: string; value: AnyValue } => ({
  key,
  value:
    typeof value === "string"
      ? { stringValue: value }
      : typeof value === "boolean"
        ? { boolValue: value }
        : Number.isInteger(value)
          ? { intValue: String(value) }
          : { doubleValue: value },
});

/** OTLP ids are random bytes; ours are derived from the trace id so an export is reproducible. */
const hexId = (text: string, bytes: number) =>
  createHash("sha256")
    .update(text)
    .digest("hex")
    .slice(0, bytes * 2);
const nanos = (ms: number, us = 0) => (BigInt(Math.round(ms)) * 1_000_000n + BigInt(Math.round(us)) * 1000n).toString();

const STATUS_OK = 1;
const STATUS_ERROR = 2;
const SPAN_KIND_INTERNAL = 1;

export function exportOtlp(store: TraceStore, t: TraceRow) {
  const steps = stepRows(store, t);
  const traceId = hexId(t.id, 16);
  const rootId = hexId(`${t.id}/root`, 8);
  let offsetUs = 0;
  const spans = steps.map((s) => {
    const e = JSON.parse(s.event) as EncodedEvent;
    const start = nanos(t.started_at, offsetUs);
    offsetUs += s.duration_us;
    const failed = e.error !== undefined && e.recovered === undefined;
    const attributes = [
      attr("vesper.step.index", s.idx),
      attr("vesper.step.op", s.op),
      attr("code.filepath", t.node_file),
      attr("code.lineno", s.line),
      attr("code.column", s.col),
    ];
    if (e.skipped) attributes.push(attr("vesper.step.skipped", true));
    if (e.transition)
      attributes.push(attr("vesper.state.from", e.transition.from), attr("vesper.state.to", e.transition.to));
    if (e.changed.length) attributes.push(attr("vesper.step.changed", e.changed.map(([k]) => k).join(",")));
    return {
      traceId,
      spanId: hexId(`${t.id}/${s.idx}`, 8),
      parentSpanId: rootId,
      name: `${s.step} (${s.op})`,
      kind: SPAN_KIND_INTERNAL,
      startTimeUnixNano: start,
      endTimeUnixNano: nanos(t.started_at, offsetUs),
      attributes,
      events: [...e.effects, ...(e.unlisted ?? [])].map((c) => ({
        timeUnixNano: start,
        name: `call ${c.tool}`,
        attributes: [
          attr("vesper.call.tool", c.tool),
          attr("vesper.call.ok", c.ok),
          attr("vesper.call.attempts", c.attempts),
          attr("vesper.call.virtual_ms", c.elapsedMs),
          ...(c.error ? [attr("vesper.call.error", c.error.code)] : []),
        ],
      })),
      status: failed ? { code: STATUS_ERROR, message: `${e.error!.code}: ${e.error!.message}` } : { code: STATUS_OK },
    };
  });
  const ok = t.status === "success" || t.status === "error";
  const root = {
    traceId,
    spanId: rootId,
    name: t.node_id,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: nanos(t.started_at),
    endTimeUnixNano: nanos(t.started_at, Math.max(offsetUs, t.duration_us ?? 0)),
    attributes: [
      attr("vesper.trace.id", t.id),
      attr("vesper.node.id", t.node_id),
      attr("vesper.node.content_hash", t.content_hash),
      attr("vesper.runtime", t.runtime),
      attr("vesper.engine.backend", t.engine_backend),
      attr("vesper.status", t.status),
      attr("vesper.seed", t.seed),
      ...(t.mode ? [attr("vesper.mode", t.mode)] : []),
      ...(t.parent_id ? [attr("vesper.fork.parent", t.parent_id)] : []),
    ],
    events: [],
    status: ok ? { code: STATUS_OK } : { code: STATUS_ERROR, message: t.status },
  };
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr("service.name", "vesper"), attr("vesper.node.file", t.node_file)] },
        scopeSpans: [{ scope: { name: "vesper-workbench", version: "0.1.0" }, spans: [root, ...spans] }],
      },
    ],
  };
}
