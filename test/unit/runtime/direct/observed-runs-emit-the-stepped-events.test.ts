import { describe, expect, it } from "vitest";
import type { TapeEntry } from "../../../../src/runtime/context.js";
import { DirectRuntime } from "../../../../src/runtime/direct/direct-runtime.js";
import { runObserved, type RunObserver } from "../../../../src/runtime/observed-run.js";
import { sampleInputs } from "../../../../src/runtime/prepared.js";
import type { RunResult, StepEvent } from "../../../../src/runtime/protocol.js";
import { context, example } from "../../../helpers/runtimes.js";

// An observed direct run (the recorder's) runs straight through on the node's
// tier, the generated code included, telling the observer of each step as it ends.
// It must tell exactly what stepping the same run one event at a time tells: the
// same events, bindings, effects, contract checks and result.

class Collector implements RunObserver {
  events: unknown[] = [];
  result?: RunResult;
  onRecord(_entry: TapeEntry): void {}
  step(event: StepEvent, durationUs: number): void {
    expect(durationUs).toBeGreaterThanOrEqual(0);
    this.events.push(JSON.parse(JSON.stringify(event, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))));
  }
  finish(result: RunResult): void {
    this.result = result;
  }
  abandon(): void {
    throw new Error("abandoned");
  }
}

async function stepped(runtime: DirectRuntime, name: string, sample?: string) {
  const p = example(name);
  const ex = runtime.start(p, sampleInputs(p, sample), context(p));
  const c = new Collector();
  while (!ex.done) c.step(await ex.next(), 0);
  return c.events;
}

describe("an observed direct run", () => {
  for (const [name, sample] of [
    ["order_total", "small_cart"],
    ["order_total", "bulk_order"],
    ["payment", "default"],
    ["refund", undefined],
    ["sensor_anomaly", undefined],
  ] as const) {
    it(`emits the events stepping gives, on the generated tier and on closures: ${name} ${sample ?? ""}`, async () => {
      for (const hotThreshold of [0, Infinity]) {
        const runtime = new DirectRuntime({ hotThreshold });
        const p = example(name);
        const observer = new Collector();
        const result = await runObserved(runtime, p, sampleInputs(p, sample), context(p), observer);
        expect(runtime.cached(p)?.tier.tier).toBe(hotThreshold === 0 ? "generated" : "closures");
        expect(observer.events).toEqual(await stepped(runtime, name, sample));
        expect(observer.result).toBe(result);
        expect((observer.events.at(-1) as { result?: unknown }).result).toBeDefined();
      }
    });
  }
});
