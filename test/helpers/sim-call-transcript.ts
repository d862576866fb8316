// A transcript of simulated tool calls for given seeds: every effect (ids, statuses,
// amounts, attempts, virtual latencies, failures) and the context's random draws, as
// plain JSON. It takes the modules it drives as arguments, so the same script can run
// against another build (how test/fixtures/sim-calls-golden.json was made, from the
// build before the simulated services were made cheaper) and against this one: a seed
// must give exactly the same calls, because recorded traces replay with their seeds.

/** The parts of a build the script drives (that build's own classes). */
export interface SimModules {
  ExecutionContext: new (
    options: Record<string, unknown>,
  ) => {
    call(request: Record<string, unknown>): unknown;
    random(): number;
    now(): { ms: number } | unknown;
    elapsedMs: number;
  };
  defaultTools: () => unknown;
  VRecord: new (typeName: string, fields: Map<string, unknown>) => unknown;
  Decimal: new (text: string) => unknown;
}

/** A value as plain JSON, whichever build made it (duck-typed: records, decimals, bigints). */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return v ?? null;
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(plain);
  const o = v as Record<string, unknown>;
  if ("typeName" in o && o.fields instanceof Map) {
    const out: Record<string, unknown> = { $record: o.typeName };
    for (const [k, x] of o.fields as Map<string, unknown>) out[k] = plain(x);
    return out;
  }
  if (typeof o.toFixed === "function" && "d" in o && "e" in o) return `${String(v)}d`;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = plain(o[k]);
  return out;
}

export const SEEDS: (number | string | bigint)[] = [0, 1, 7, 42, 2 ** 31, "trace-abc", 123456789012345678901234567890n];

/** How the services behave in each scenario: the defaults, then flaky and slow ones that retry and time out. */
export const BEHAVIOURS: (Record<string, unknown> | undefined)[] = [
  undefined,
  { "*": { failureRate: 0.4, declineRate: 0.3 } },
  { "sim.payments.refund": { latency: { medianMs: 800, p99Ms: 9000 } }, "*": { failureRate: 0.1 } },
];

const GRANTED = ["payments.charge", "payments.refund", "payments.capture", "storage.kv.read", "storage.kv.write"];

export async function transcript(mod: SimModules): Promise<unknown[]> {
  const tools = mod.defaultTools();
  const grants = { required: [], denied: [] };
  const args = (o: Record<string, unknown>) => new mod.VRecord("args", new Map(Object.entries(o)));
  const out: unknown[] = [];
  for (const seed of SEEDS)
    for (const behaviour of BEHAVIOURS) {
      const ctx = new mod.ExecutionContext({
        seed,
        clockStartMs: 0,
        tools,
        grants: { ...grants, required: GRANTED },
        behaviour,
      });
      const calls: unknown[] = [];
      const call = async (tool: string, a: Record<string, unknown>, timeoutMs?: number, retry?: unknown) => {
        try {
          calls.push(plain(await ctx.call({ step: `s${calls.length}`, tool, args: args(a), timeoutMs, retry })));
        } catch (err) {
          calls.push({ threw: String((err as Error).message) });
        }
      };
      const retry = { maxAttempts: 3, backoffMs: 250 };
      for (let i = 0; i < 4; i++) {
        await call(
          "sim.payments.charge",
          { amount: new mod.Decimal(`${12 + i}.50`), currency: "EUR", idempotency_key: `k${i % 3}` },
          i === 2 ? 150 : undefined,
          retry,
        );
        await call(
          "sim.payments.refund",
          { charge_id: `ch_${i}`, amount: new mod.Decimal("5.25"), idempotency_key: `r${i % 2}` },
          4000,
          retry,
        );
        await call("sim.payments.refund", { charge_id: `ch_${i}`, amount: 3n });
        await call("sim.payments.capture", { charge_id: `ch_${i}` }, 100);
        await call("sim.kv.put", { key: `x${i % 2}`, value: new mod.Decimal(`${i}.1`) });
        await call("sim.kv.get", { key: `x${(i + 1) % 2}` }, undefined, retry);
        await call("sim.payments.charge", { amount: new mod.Decimal("-1"), idempotency_key: "bad" });
      }
      out.push({
        seed: String(seed),
        behaviour: behaviour ?? null,
        calls,
        random: [ctx.random(), ctx.random()],
        elapsedMs: ctx.elapsedMs,
      });
    }
  return out;
}
