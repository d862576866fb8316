import { createHash } from "node:crypto";
import type { TraceRow } from "./reader.js";
import { RowPages } from "./row-pages.js";
import { type EncodedEvent, expandContracts, type StepRow } from "./step-codec.js";
import type { TraceStore } from "../store/store.js";

// Exporting a trace: `json` is everything the store holds about it (values in the
// value codec, so nothing is lost); `otlp` is OTLP/JSON (the OpenTelemetry protocol's
// JSON encoding of ExportTraceServiceRequest) with one root span per trace and one
// child span per step, which an OpenTelemetry collector's OTLP receiver accepts.
//
// Both are written as they are read: rows a page at a time (row-pages.ts), each
// turned into text and handed to `write` in chunks of about CHUNK characters, inside
// one read transaction (one snapshot). Memory stays bounded whatever the trace's
// length; the text is exactly what JSON.stringify(document, null, 2) would give.

/** Receives the document's text in order, a chunk at a time. */
export type Sink = (chunk: string) => void;

const CHUNK = 64 * 1024;

/** Gathers small pieces into chunks of about CHUNK characters before handing them on. */
class Chunked {
  private buffer = "";
  constructor(private readonly sink: Sink) {}
  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= CHUNK) this.flush();
  }
  flush(): void {
    if (this.buffer) this.sink(this.buffer);
    this.buffer = "";
  }
}

/** `value` as JSON.stringify(value, null, 2) gives it at nesting depth `depth` (2 spaces each). */
const pretty = (value: unknown, depth: number) =>
  JSON.stringify(value, null, 2).replace(/\n/g, `\n${"  ".repeat(depth)}`);

/** Writes a JSON array at `depth` whose elements come from `items`, one at a time. */
function writeArray(out: Chunked, items: Iterable<unknown>, depth: number): void {
  const pad = "  ".repeat(depth + 1);
  let first = true;
  for (const item of items) {
    out.write(`${first ? "[\n" : ",\n"}${pad}${pretty(item, depth + 1)}`);
    first = false;
  }
  out.write(first ? "[]" : `\n${"  ".repeat(depth)}]`);
}

function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Iterable<U> {
  for (const item of items) yield f(item);
}

/** Parses a stored JSON field; a damaged one is exported as its text, marked, rather than lost or fatal. */
const parse = (s: unknown) => {
  if (typeof s !== "string") return null;
  try {
    return JSON.parse(s);
  } catch {
    return { $malformed: s };
  }
};

/** A step row's event as parse reads it, its contract checks as objects whichever form the row holds. */
const parseEvent = (s: unknown) => {
  const e = parse(s);
  if (Array.isArray(e?.contracts))
    try {
      e.contracts = expandContracts(e.contracts);
    } catch {
      return { $malformed: s };
    }
  return e;
};

/** The trace row without the columns holding its seal (schema 6): the export shows what it always did. */
function withoutSeal(t: TraceRow): Omit<TraceRow, "seal_digests" | "seal" | "seal_mac" | "seal_key_id"> {
  const { seal_digests: _d, seal: _s, seal_mac: _m, seal_key_id: _k, ...rest } = t;
  return rest;
}

export function exportJson(store: TraceStore, t: TraceRow, sink: Sink): void {
  store.read(() => {
    const out = new Chunked(sink);
    const trace = {
      ...withoutSeal(t),
      inputs: parse(t.inputs),
      output: parse(t.output),
      failure: parse(t.failure),
      context: parse(t.context),
      fork_change: parse(t.fork_change),
    };
    out.write(`{\n  "format": "vesper-trace/1",\n  "trace": ${pretty(trace, 1)},\n  "steps": `);
    writeArray(
      out,
      map(new RowPages<StepRow>(store, "steps", t.id), (s) => ({
        index: s.idx,
        step: s.step,
        op: s.op,
        line: s.line,
        col: s.col,
        duration_us: s.duration_us,
        hash: s.hash,
        event: parseEvent(s.event),
      })),
      1,
    );
    out.write(',\n  "calls": ');
    writeArray(
      out,
      map(new RowPages(store, "tool_calls", t.id), (c) => ({
        ...c,
        args: parse(c.args),
        result: parse(c.result),
        error: parse(c.error),
        ok: c.ok === 1,
      })),
      1,
    );
    out.write("\n}\n");
    out.flush();
  });
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

export function exportOtlp(store: TraceStore, t: TraceRow, sink: Sink): void {
  store.read(() => {
    const out = new Chunked(sink);
    const traceId = hexId(t.id, 16);
    const rootId = hexId(`${t.id}/root`, 8);
    // The root span ends after the last step: its end is known before the steps are written.
    const totalUs = (store.db.prepare("SELECT SUM(duration_us) FROM steps WHERE trace_id = ?").pluck().get(t.id) ??
      0) as number;
    const ok = t.status === "success" || t.status === "error";
    const root = {
      traceId,
      spanId: rootId,
      name: t.node_id,
      kind: SPAN_KIND_INTERNAL,
      startTimeUnixNano: nanos(t.started_at),
      endTimeUnixNano: nanos(t.started_at, Math.max(totalUs, t.duration_us ?? 0)),
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
    let offsetUs = 0;
    const span = (s: StepRow) => {
      const e = (parse(s.event) ?? {}) as Partial<EncodedEvent> & { $malformed?: string };
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
      if (e.$malformed !== undefined) attributes.push(attr("vesper.step.malformed", true));
      if (e.skipped) attributes.push(attr("vesper.step.skipped", true));
      if (e.transition)
        attributes.push(attr("vesper.state.from", e.transition.from), attr("vesper.state.to", e.transition.to));
      if (e.changed?.length) attributes.push(attr("vesper.step.changed", e.changed.map(([k]) => k).join(",")));
      return {
        traceId,
        spanId: hexId(`${t.id}/${s.idx}`, 8),
        parentSpanId: rootId,
        name: `${s.step} (${s.op})`,
        kind: SPAN_KIND_INTERNAL,
        startTimeUnixNano: start,
        endTimeUnixNano: nanos(t.started_at, offsetUs),
        attributes,
        events: [...(e.effects ?? []), ...(e.unlisted ?? [])].map((c) => ({
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
    };
    const resource = { attributes: [attr("service.name", "vesper"), attr("vesper.node.file", t.node_file)] };
    const scope = { name: "vesper-workbench", version: "0.1.0" };
    out.write(
      `{\n  "resourceSpans": [\n    {\n      "resource": ${pretty(resource, 3)},\n      "scopeSpans": [\n        {\n          "scope": ${pretty(scope, 5)},\n          "spans": `,
    );
    function* spans() {
      yield root;
      for (const s of new RowPages<StepRow>(store, "steps", t.id)) yield span(s);
    }
    writeArray(out, spans(), 5);
    out.write("\n        }\n      ]\n    }\n  ]\n}\n");
    out.flush();
  });
}
