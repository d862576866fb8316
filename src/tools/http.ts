import type { Admission, ToolReply, ToolSpec } from "./registry.js";
import { capabilityHost, parseHost } from "./address.js";
import { NETWORK } from "./capabilities.js";
import { screenResolved, systemLookup } from "./resolved-denies.js";
import { fromPlain } from "../values/conform.js";
import { VRecord, formatValue, type Value } from "../values/values.js";
import { toJson } from "../values/json.js";

// http.request: a real HTTP call through fetch. The capability it needs names the
// URL's host in canonical form (network.http_client.<host>: 127.1, 2130706433 and
// [::ffff:127.0.0.1] are all 127.0.0.1; see address.ts), so a node that declares
// api.example.com cannot reach anything else, and a deny cannot be dodged by
// spelling. Before each live attempt the host name's resolved addresses are checked
// against the denies (resolved-denies.ts). Redirects are not followed. A JSON
// response body is parsed; the runtime then checks it against the step's `returns`.

/** The URL's host as a capability names it; "invalid-url" when there is none (the call is then rejected). */
function hostOf(args: VRecord): string {
  const url = args.fields.get("url");
  try {
    const host = parseHost(new URL(String(url)).hostname);
    return host ? capabilityHost(host) : "invalid-url";
  } catch {
    return "invalid-url";
  }
}

export const httpRequest: ToolSpec = {
  name: "http.request",
  summary: "an HTTP request with fetch; JSON bodies are parsed",
  reversible: false,
  defaultTimeoutMs: 10000,
  capability: (args) => `${NETWORK}${hostOf(args)}`,
  async admit(args, grants, io): Promise<Admission> {
    const verdict = await screenResolved(hostOf(args), grants, io.lookup ?? systemLookup);
    if (!verdict || "denied" in verdict) return verdict;
    return { ok: false, code: "UNAVAILABLE", message: verdict.unresolved, latencyMs: 0 };
  },
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
