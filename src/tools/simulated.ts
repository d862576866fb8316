import type { ToolIO, ToolReply, ToolSpec } from "./registry.js";
import { DEFAULT_BEHAVIOUR, behaviourOf, type LatencyModel, type ServiceBehaviour } from "./sim-world.js";
import { Decimal } from "../values/decimal.js";
import { displayScaleOf } from "../values/display-scale.js";
import { VRecord, formatValue, type Value } from "../values/values.js";

// Simulated services for development, demos and differential testing. Each is
// deterministic given the run's seed: latency comes from a log-normal model on the
// virtual clock (a 45 s latency costs no real time), transient failures and
// declines from configurable rates. A call whose latency exceeds its time limit
// times out, but like a real gateway the work may still have happened: a retried
// charge with the same idempotency key finds it.

/** A result record, its fields set in order on `fields()`: a Map at once, not copied from an object. */
const record = (fields: Map<string, Value>): VRecord => new VRecord("record", fields);
const fields = () => new Map<string, Value>();

function arg(args: VRecord, name: string): Value {
  return args.get(name) ?? null;
}

function textArg(args: VRecord, name: string): string | undefined {
  const v = arg(args, name);
  return v === null ? undefined : typeof v === "string" ? v : formatValue(v);
}

function amountArg(args: VRecord, name: string): Decimal | undefined {
  const v = arg(args, name);
  if (Decimal.isDecimal(v)) return v as Decimal;
  if (typeof v === "bigint" || typeof v === "number") return new Decimal(v.toString());
  return undefined;
}

/**
 * The amount a charge or refund keeps and answers: the argument itself when it is a
 * plain decimal of ours (decimal.js values are immutable), else a copy, which drops a
 * display scale (a result prints its shortest form) or another decimal.js class.
 */
const kept = (d: Decimal): Decimal => (d instanceof Decimal && displayScaleOf(d) === undefined ? d : new Decimal(d));

/** `d <= 0` (-0, 0, negatives and -Infinity; not NaN) without making a decimal 0 to compare with. */
const notPositive = (d: Decimal): boolean => d.isNeg() || d.isZero();

/** The log-normal's spread through a latency model's median and 99th percentile. */
const spreadOf = ({ medianMs, p99Ms }: LatencyModel): number =>
  p99Ms > medianMs ? Math.log(p99Ms / medianMs) / 2.326 : 0;

/** Each model's spread, worked out once; the default model's (every call that configures none) without a lookup. */
const spreads = new WeakMap<LatencyModel, number>();
const DEFAULT_LATENCY = DEFAULT_BEHAVIOUR.latency;
const DEFAULT_SPREAD = spreadOf(DEFAULT_LATENCY);

function sampleLatency(io: ToolIO, behaviour: ServiceBehaviour): number {
  const model = behaviour.latency;
  let sigma = model === DEFAULT_LATENCY ? DEFAULT_SPREAD : spreads.get(model);
  if (sigma === undefined) {
    sigma = spreadOf(model);
    spreads.set(model, sigma);
  }
  return Math.max(0, Math.round(model.medianMs * Math.exp(sigma * io.rng.normal())));
}

/** Two hex digits for each byte. */
const HEX = Array.from({ length: 256 }, (_, i) => (i + 256).toString(16).slice(1));

/**
 * The prefix, then 8 hex digits of one draw and the first 4 of the next (each draw
 * written zero-padded to 8 digits), byte by byte from a table: Number#toString(16)
 * and padStart cost several times more.
 */
function newId(prefix: string, io: ToolIO): string {
  const a = io.rng.nextUint32();
  const b = io.rng.nextUint32();
  return (
    prefix +
    HEX[a >>> 24]! +
    HEX[(a >>> 16) & 255]! +
    HEX[(a >>> 8) & 255]! +
    HEX[a & 255]! +
    HEX[b >>> 24]! +
    HEX[(b >>> 16) & 255]!
  );
}

/**
 * Runs `work` as a simulated call: samples latency and a transient failure, then does
 * the work (which may change the world even when the caller times out).
 */
function simulate(tool: string, io: ToolIO, work: () => ToolReply): ToolReply {
  const behaviour = behaviourOf(io.world, tool);
  const latencyMs = sampleLatency(io, behaviour);
  if (io.rng.next() < behaviour.failureRate) {
    return {
      ok: false,
      code: "UNAVAILABLE",
      message: `${tool} is unavailable (simulated failure)`,
      latencyMs: Math.min(latencyMs, io.timeoutMs),
    };
  }
  const reply = work();
  if (latencyMs > io.timeoutMs) {
    return {
      ok: false,
      code: "TIMEOUT",
      message: `${tool} did not answer within ${io.timeoutMs} ms`,
      latencyMs: io.timeoutMs,
    };
  }
  // The reply is work()'s own, made for this attempt: it takes the latency in place of a copy.
  if (reply.ok) reply.latencyMs = latencyMs;
  return reply;
}

const rejected = (message: string): ToolReply => ({ ok: false, code: "REJECTED", message, latencyMs: 0 });

export const charge: ToolSpec = {
  name: "sim.payments.charge",
  summary: "charge a card once per idempotency key (simulated gateway)",
  reversible: false,
  simulated: true,
  defaultTimeoutMs: 5000,
  capability: () => "payments.charge",
  invoke(args, io) {
    const amount = amountArg(args, "amount");
    const key = textArg(args, "idempotency_key");
    if (!amount || notPositive(amount)) return rejected("sim.payments.charge needs a positive decimal 'amount'");
    if (!key) return rejected("sim.payments.charge needs an 'idempotency_key'");
    return simulate(this.name, io, () => {
      // Own keys only: an idempotency key such as "constructor" must not find Object.prototype's.
      const known = Object.hasOwn(io.world.charges, key) ? io.world.charges[key] : undefined;
      // Every reply with this key answers the first call's amount.
      const c = known ?? {
        id: newId("ch_", io),
        amount: kept(amount),
        currency: textArg(args, "currency") ?? "USD",
        status: io.rng.next() < behaviourOf(io.world, this.name).declineRate ? "declined" : "succeeded",
      };
      io.world.charges[key] = c;
      return {
        ok: true,
        value: record(
          fields().set("id", c.id).set("status", c.status).set("amount", c.amount).set("currency", c.currency),
        ),
        latencyMs: 0,
      };
    });
  },
};

export const refund: ToolSpec = {
  name: "sim.payments.refund",
  summary: "refund (part of) a charge once per idempotency key (simulated gateway)",
  reversible: false,
  simulated: true,
  defaultTimeoutMs: 5000,
  capability: () => "payments.refund",
  invoke(args, io) {
    const amount = amountArg(args, "amount");
    const chargeId = textArg(args, "charge_id");
    const key = textArg(args, "idempotency_key") ?? `${chargeId}:${amount}`;
    if (!amount || notPositive(amount)) return rejected("sim.payments.refund needs a positive decimal 'amount'");
    if (!chargeId) return rejected("sim.payments.refund needs a 'charge_id'");
    return simulate(this.name, io, () => {
      const known = Object.hasOwn(io.world.refunds, key) ? io.world.refunds[key] : undefined;
      const r = known ?? {
        id: newId("re_", io),
        chargeId,
        amount: kept(amount),
        status: io.rng.next() < behaviourOf(io.world, this.name).declineRate ? "declined" : "succeeded",
      };
      io.world.refunds[key] = r;
      return {
        ok: true,
        value: record(fields().set("id", r.id).set("status", r.status).set("amount", r.amount)),
        latencyMs: 0,
      };
    });
  },
};

export const capture: ToolSpec = {
  name: "sim.payments.capture",
  summary: "capture an authorized charge (simulated gateway)",
  reversible: false,
  simulated: true,
  defaultTimeoutMs: 5000,
  capability: () => "payments.capture",
  invoke(args, io) {
    const chargeId = textArg(args, "charge_id");
    if (!chargeId) return rejected("sim.payments.capture needs a 'charge_id'");
    return simulate(this.name, io, () => ({
      ok: true,
      value: record(fields().set("id", chargeId).set("status", "captured")),
      latencyMs: 0,
    }));
  },
};

export const kvGet: ToolSpec = {
  name: "sim.kv.get",
  summary: "read a key from a simulated key-value store (null when absent)",
  reversible: true,
  simulated: true,
  defaultTimeoutMs: 1000,
  capability: () => "storage.kv.read",
  invoke(args, io) {
    const key = textArg(args, "key");
    if (key === undefined) return rejected("sim.kv.get needs a 'key'");
    return simulate(this.name, io, () => {
      const found = Object.hasOwn(io.world.kv, key);
      return {
        ok: true,
        value: record(
          fields()
            .set("key", key)
            .set("found", found)
            .set("value", found ? (io.world.kv[key] as Value) : null),
        ),
        latencyMs: 0,
      };
    });
  },
};

export const kvPut: ToolSpec = {
  name: "sim.kv.put",
  summary: "write a key to a simulated key-value store",
  reversible: true,
  simulated: true,
  defaultTimeoutMs: 1000,
  capability: () => "storage.kv.write",
  invoke(args, io) {
    const key = textArg(args, "key");
    if (key === undefined) return rejected("sim.kv.put needs a 'key'");
    return simulate(this.name, io, () => {
      io.world.kv[key] = arg(args, "value");
      return { ok: true, value: record(fields().set("key", key).set("stored", true)), latencyMs: 0 };
    });
  },
};

export const SIMULATED_TOOLS: readonly ToolSpec[] = [charge, refund, capture, kvGet, kvPut];
