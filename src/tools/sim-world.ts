// The state simulated services keep between calls within one run (charges by
// idempotency key, key-value entries), plus how they behave: latency and failure
// rates per tool. Entries are replaced, never changed (decimals included: decimal.js
// values are immutable), so a snapshot copies the tables and shares the entries.

import type { Decimal } from "../values/decimal.js";

export interface LatencyModel {
  /** Median latency in virtual milliseconds. */
  medianMs: number;
  /** 99th percentile; the spread of a log-normal distribution through both. */
  p99Ms: number;
}

export interface ServiceBehaviour {
  latency: LatencyModel;
  /** Probability that a call fails transiently (UNAVAILABLE). */
  failureRate: number;
  /** For payment services: probability that a charge or refund is declined. */
  declineRate: number;
}

export interface SimWorld {
  /** A charge's and a refund's amount: the first call's, a plain decimal, answered to every call with its key. */
  charges: Record<string, { id: string; amount: Decimal; currency: string; status: string }>;
  refunds: Record<string, { id: string; chargeId: string; amount: Decimal; status: string }>;
  kv: Record<string, unknown>;
  behaviour: Record<string, ServiceBehaviour>;
}

export const DEFAULT_BEHAVIOUR: ServiceBehaviour = {
  latency: { medianMs: 120, p99Ms: 900 },
  failureRate: 0.02,
  declineRate: 0.05,
};

export function newWorld(behaviour?: Record<string, Partial<ServiceBehaviour>>): SimWorld {
  const resolved: Record<string, ServiceBehaviour> = {};
  if (behaviour)
    for (const [tool, b] of Object.entries(behaviour)) {
      resolved[tool] = { ...DEFAULT_BEHAVIOUR, ...b, latency: { ...DEFAULT_BEHAVIOUR.latency, ...b.latency } };
    }
  return { charges: table(), refunds: table(), kv: table(), behaviour: resolved };
}

/** Entries are replaced, never mutated, so copying each table is a full copy. */
export function copyWorld(w: SimWorld): SimWorld {
  return { charges: table(w.charges), refunds: table(w.refunds), kv: table(w.kv), behaviour: w.behaviour };
}

export function behaviourOf(world: SimWorld, tool: string): ServiceBehaviour {
  return world.behaviour[tool] ?? world.behaviour["*"] ?? DEFAULT_BEHAVIOUR;
}

/**
 * A table keyed by caller-chosen strings (idempotency keys, kv keys): no prototype,
 * so keys such as "constructor" or "__proto__" are ordinary entries.
 */
export function table<T>(entries?: Record<string, T>): Record<string, T> {
  const t = Object.create(null) as Record<string, T>;
  return entries ? Object.assign(t, entries) : t;
}
