import type { ToolReply, ToolSpec } from "./registry.js";
import { fromPlain } from "../values/conform.js";
import { VRecord, formatValue, type Value } from "../values/values.js";
import { toJson } from "../values/json.js";

// http.request: a real HTTP call through fetch. The capability it needs names the
// URL's host (network.http_client.<host>), so a node that declares api.example.com
// cannot reach anything else. A JSON response body is parsed; the runtime then
// checks it against the step's declared `returns`.

function hostOf(args: VRecord): string {
  const url = args.fields.get("url");
  try {
    return new URL(String(url)).hostname.toLowerCase();
  } catch {
    return "invalid-url";
  }
}

export const httpRequest: ToolSpec = {
  name: "http.request",
  summary: "an HTTP request with fetch; JSON bodies are parsed",
  reversible: false,
  defaultTimeoutMs: 10000,
  capability: (args) => `network.http_client.${hostOf(args)}`,
  async invoke(args, io): Promise<ToolReply> {
    const url = args.fields.get("url");
    const method = String(args.fields.get("method") ?? "GET").toUpperCase();
    if (typeof url !== "string" || !/^https?:\/\//.test(url)) {
      return {
        ok: false,
        code: "REJECTED",
        message: `http.request needs an http(s) 'url', got ${formatValue(url ?? null)}`,
        latencyMs: 0,
      };
    }
    const headers: Record<string, string> = {};
    const accept = args.fields.get("accept");
    if (typeof accept === "string") headers.accept = accept;
    const body = args.fields.get("body");
    if (body !== undefined && body !== null) headers["content-type"] = "application/json";
    const started = performance.now();
    try {
      const response = await io.fetch(url, {
        method,
        headers,
        body: body === undefined || body === null ? undefined : JSON.stringify(toJson(body as Value)),
        signal: AbortSignal.timeout(io.timeoutMs),
        redirect: "manual",
      });
      const text = await response.text();
      const type = response.headers.get("content-type") ?? "";
      let parsed: Value = text;
      if (type.includes("json") && text.length > 0) {
        try {
          parsed = fromPlain(JSON.parse(text));
        } catch {
          parsed = text;
        }
      }
      const value = new VRecord(
        "record",
        new Map<string, Value>([
          ["status", BigInt(response.status)],
          ["body", parsed],
        ]),
      );
      return { ok: true, value, latencyMs: Math.round(performance.now() - started) };
    } catch (err) {
      const latencyMs = Math.round(performance.now() - started);
      const e = err as Error;
      if (e.name === "TimeoutError" || e.name === "AbortError") {
        return { ok: false, code: "TIMEOUT", message: `${url} did not answer within ${io.timeoutMs} ms`, latencyMs };
      }
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      return {
        ok: false,
        code: "UNAVAILABLE",
        message: `${method} ${url} failed: ${cause?.code ?? cause?.message ?? e.message}`,
        latencyMs,
      };
    }
  },
};
