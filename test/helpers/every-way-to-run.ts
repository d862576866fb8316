// Runs one node on every path a run can take and gives each path's answer as plain
// JSON: the reference (run, and stepped one event at a time), the direct runtime's
// closures tier (run, stepped) and its generated tier (the plain fused run, the
// observed fused run, stepped). Each path gets a fresh context with the same seed,
// so every answer, failure and event must be the same across them.
import type { ContextOptions } from "../../src/runtime/context.js";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { runObserved, type RunObserver } from "../../src/runtime/observed-run.js";
import type { PreparedNode } from "../../src/runtime/prepared.js";
import type { RunResult, StepEvent } from "../../src/runtime/protocol.js";
import type { Runtime } from "../../src/runtime/runtime.js";
import { Decimal } from "../../src/values/decimal.js";
import { decimalText } from "../../src/values/display-scale.js";
import { Tensor, VMap, VRecord, VSet, type Value } from "../../src/values/values.js";
import { context, reference } from "./runtimes.js";

const plain = (r: RunResult) => ({
  status: r.status,
  output: r.output ?? null,
  failure: r.failure ?? null,
  state: r.state ?? null,
});

/** JSON that keeps each value's kind: integers end in n, floats in f (-0 kept), decimals start with d: (sign of zero kept). */
const asJson = (v: unknown): unknown =>
  JSON.parse(
    JSON.stringify(v, function (this: Record<string, unknown>, k, x) {
      const raw = this?.[k] ?? x;
      if (typeof raw === "bigint") return `${raw}n`;
      if (typeof raw === "number") return Object.is(raw, -0) ? "-0f" : `${raw}f`;
      if (Decimal.isDecimal(raw))
        return `d:${(raw as Decimal).isNeg() ? "-" : "+"}${(raw as Decimal).toString()} ${decimalText(raw as Decimal)}`;
      if (raw instanceof VRecord) return { $record: raw.typeName, ...Object.fromEntries(raw.fields) };
      if (raw instanceof VMap) return { $map: [...raw.entries.values()] };
      if (raw instanceof VSet) return { $set: raw.values() };
      if (raw instanceof Tensor) return { $tensor: raw.shape, data: [...raw.data].map((n) => `${n}f`) };
      return x;
    }),
  );

class Collector implements RunObserver {
  events: unknown[] = [];
  result?: RunResult;
  onRecord(): void {}
  step(event: StepEvent): void {
    this.events.push(asJson(event));
  }
  finish(result: RunResult): void {
    this.result = result;
  }
  abandon(): void {
    throw new Error("abandoned");
  }
}

export interface PathAnswer {
  result: ReturnType<typeof plain>;
  events?: unknown[];
}

async function stepped(
  runtime: Runtime,
  p: PreparedNode,
  inputs: Map<string, Value>,
  options: Partial<ContextOptions>,
): Promise<PathAnswer> {
  const ex = runtime.start(p, inputs, context(p, options));
  const events: unknown[] = [];
  let last: StepEvent | undefined;
  while (!ex.done) {
    last = await ex.next();
    events.push(asJson(last));
  }
  return { result: plain(last!.result!), events };
}

/** Every path's answer, by name; `reference.run` is the one the others must equal. */
export async function everyWayToRun(
  p: PreparedNode,
  inputs: Map<string, Value>,
  options: Partial<ContextOptions> = {},
): Promise<Record<string, PathAnswer>> {
  const closures = new DirectRuntime({ hotThreshold: Infinity });
  const generated = new DirectRuntime({ hotThreshold: 0 });
  const observer = new Collector();
  const observed = await runObserved(generated, p, inputs, context(p, options), observer);
  return {
    "reference.run": { result: plain(await reference.run(p, inputs, context(p, options))) },
    "reference.step": await stepped(reference, p, inputs, options),
    "closures.run": { result: plain(await closures.run(p, inputs, context(p, options))) },
    "closures.step": await stepped(closures, p, inputs, options),
    "generated.run": { result: plain(await generated.run(p, inputs, context(p, options))) },
    "generated.observe": { result: plain(observed), events: observer.events },
    "generated.step": await stepped(generated, p, inputs, options),
  };
}

/** A run's answer as comparable JSON: kinds, -0 and decimal signs kept; tensor elements to 5 digits when `rough`. */
export function answerOf(r: RunResult, rough = false): unknown {
  const j = asJson(plain(r));
  return rough ? roughly(j) : j;
}

/** Tensor elements to 5 significant digits: the direct runtime computes tensors in float32, the reference in binary64. */
const roughly = (j: unknown): unknown =>
  JSON.parse(
    JSON.stringify(j, (k, x) =>
      k === "data" && Array.isArray(x)
        ? x.map((n: string) =>
            n.endsWith("f") && Number.isFinite(Number.parseFloat(n)) ? Number.parseFloat(n).toPrecision(5) : n,
          )
        : x,
    ),
  );

/**
 * The paths whose answer (result, and events where both have them) differs from the
 * reference's (tensor elements compared to 5 digits), or from the closures tier's
 * run exactly (the generated tier must be bit-identical to it).
 */
export async function disagreements(
  p: PreparedNode,
  inputs: Map<string, Value>,
  options: Partial<ContextOptions> = {},
): Promise<Record<string, unknown>> {
  const all = await everyWayToRun(p, inputs, options);
  const want = roughly(asJson(all["reference.run"].result));
  const wantEvents = roughly(all["reference.step"].events);
  const exact = JSON.stringify(asJson(all["closures.run"].result));
  const exactEvents = JSON.stringify(all["closures.step"].events);
  const out: Record<string, unknown> = {};
  for (const [name, got] of Object.entries(all)) {
    const r = asJson(got.result);
    if (JSON.stringify(roughly(r)) !== JSON.stringify(want)) out[name] = { want, got: r };
    else if (got.events && JSON.stringify(roughly(got.events)) !== JSON.stringify(wantEvents))
      out[`${name} events`] = { want: wantEvents, got: got.events };
    else if (name.startsWith("generated") && JSON.stringify(r) !== exact)
      out[`${name} vs closures`] = { want: JSON.parse(exact), got: r };
    else if (name.startsWith("generated") && got.events && JSON.stringify(got.events) !== exactEvents)
      out[`${name} events vs closures`] = { want: JSON.parse(exactEvents), got: got.events };
  }
  return out;
}
