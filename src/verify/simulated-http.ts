import { httpRequest } from "../tools/http.js";
import type { ToolIO, ToolReply, ToolSpec } from "../tools/registry.js";
import type { PreparedNode } from "../runtime/prepared.js";
import type { Rng } from "../values/rng.js";
import type { Step } from "../ir/ast.js";
import type { TypeTable, VType } from "../values/types.js";
import { Decimal } from "../values/decimal.js";
import { Timestamp, VRecord, type Value } from "../values/values.js";

// http.request as a simulated REST service, for `vesper test --tools simulated`:
// thousands of generated inputs must not become thousands of real requests. The
// status is drawn from a realistic mix; a 200 carries a body of the shape the
// calling step declares (`returns: {body: T}`), with `id` set to the last path
// segment of the URL, as a REST resource's id is. Deterministic given the seed.

const STATUSES: [status: number, weight: number][] = [
  [200, 80],
  [404, 10],
  [401, 3],
  [403, 2],
  [500, 5],
];
const FAILURE_RATE = 0.02;

export function simulatedHttp(p: PreparedNode): ToolSpec {
  const bodyType = declaredBody(p.node.flow);
  return {
    ...httpRequest,
    summary: "http.request answered by a simulated REST service (vesper test)",
    invoke(args, io): ToolReply {
      const latencyMs = Math.round(60 * Math.exp(0.6 * io.rng.normal()));
      if (io.rng.next() < FAILURE_RATE)
        return {
          ok: false,
          code: "UNAVAILABLE",
          message: "http.request: the simulated service is unavailable",
          latencyMs,
        };
      if (latencyMs > io.timeoutMs)
        return {
          ok: false,
          code: "TIMEOUT",
          message: `http.request did not answer within ${io.timeoutMs} ms`,
          latencyMs: io.timeoutMs,
        };
      const url = String(args.fields.get("url") ?? "");
      const status = pickStatus(io.rng);
      const id = lastSegment(url);
      const body: Value = status === 200 && bodyType ? valueOf(bodyType, p.types, io, "body", id, 0) : null;
      return {
        ok: true,
        value: new VRecord(
          "record",
          new Map<string, Value>([
            ["status", BigInt(status)],
            ["body", body],
          ]),
        ),
        latencyMs,
      };
    },
  };
}

function lastSegment(url: string): string {
  const raw =
    url
      .replace(/[?#].*$/, "")
      .split("/")
      .pop() ?? "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function pickStatus(rng: Rng): number {
  let x = rng.next() * STATUSES.reduce((a, [, w]) => a + w, 0);
  for (const [status, w] of STATUSES) if ((x -= w) < 0) return status;
  return 200;
}

/** The `body` type the first http.request call step declares, if any. */
function declaredBody(steps: readonly Step[]): VType | undefined {
  for (const s of steps) {
    if (s.op === "call" && s.tool.value === "http.request") {
      const body = s.returns?.find((f) => f.name === "body");
      if (body) return body.type;
    }
    if (s.op === "branch") {
      const inner = declaredBody(s.then) ?? declaredBody(s.else);
      if (inner) return inner;
    }
  }
  return undefined;
}

function valueOf(t: VType, types: TypeTable, io: ToolIO, name: string, id: string, depth: number): Value {
  const r = io.rng;
  switch (t.kind) {
    case "string":
      return name === "id"
        ? id
        : name.includes("email")
          ? `${id || "user"}@example.com`
          : `${name}-${r.nextUint32().toString(16)}`;
    case "enum":
      return t.values[Math.floor(r.next() * t.values.length)]!;
    case "integer":
      return BigInt(1 + Math.floor(r.next() * 100));
    case "decimal":
      return new Decimal(Math.floor(r.next() * 100000)).div(100);
    case "float":
      return r.next() * 100;
    case "boolean":
      return r.next() < 0.5;
    case "timestamp":
      return new Timestamp(Date.UTC(2026, 0, 1) + Math.floor(r.next() * 86_400_000));
    case "array":
      return depth > 3
        ? []
        : Array.from({ length: Math.floor(r.next() * 3) }, () => valueOf(t.element, types, io, name, id, depth + 1));
    case "record": {
      const def = types.get(t.name);
      if (!def || depth > 3) return null;
      return new VRecord(
        t.name,
        new Map([...def.fields.values()].map((f) => [f.name, valueOf(f.type, types, io, f.name, id, depth + 1)])),
      );
    }
    default:
      return null;
  }
}
