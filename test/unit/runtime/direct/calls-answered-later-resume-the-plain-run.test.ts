// The plain generated run (nobody observes it) is a synchronous function while every
// call answers at once (the simulated tools); a call answered with a promise hands
// the run to its asynchronous copy, which waits and goes on from the step after the
// call. Whichever way a call answers (at once, later, failing transiently then
// succeeding, failing for good, or throwing), the run must end exactly as the
// reference and the closures tier end it: outputs, failures, steps, state, effects.
import { describe, expect, it } from "vitest";
import { ToolRegistry, type ToolReply, type ToolSpec } from "../../../../src/tools/index.js";
import { SIMULATED_TOOLS } from "../../../../src/tools/simulated.js";
import { VRecord, type Value } from "../../../../src/values/values.js";
import { context, inputs, node, plain, reference } from "../../../helpers/runtimes.js";
import { DirectRuntime } from "../../../../src/runtime/direct/direct-runtime.js";
import type { ExecutionContext } from "../../../../src/runtime/context.js";
import type { Runtime } from "../../../../src/runtime/runtime.js";

/** A tool that answers `n + 1` after `later` promise turns; `fail` and `throws` pick the attempts that fail or throw. */
function counter(name: string, later: boolean, fail: (attempt: number) => boolean, throws = false): ToolSpec {
  let attempt = 0;
  const reply = (args: VRecord): ToolReply => {
    attempt++;
    if (throws) throw new Error(`${name} broke`);
    if (fail(attempt)) return { ok: false, code: "UNAVAILABLE", message: `${name} is down`, latencyMs: 7 };
    const n = args.fields.get("n") as bigint;
    return { ok: true, value: new VRecord("r", new Map<string, Value>([["n", n + 1n]])), latencyMs: 3 };
  };
  return {
    name,
    summary: "counts",
    reversible: true,
    simulated: true,
    defaultTimeoutMs: 1000,
    capability: () => "test.count",
    invoke: (args) => (later ? Promise.resolve().then(() => reply(args)) : reply(args)),
  };
}

const yaml = (onError: boolean) => `
node_id: test.calls@1.0.0
type: handler
inputs:
  n: integer
outputs:
  success:
    total: integer
    charge: string
  error:
    code: enum[DOWN]
    message: string
contracts:
  invariants:
    - "n >= 0"
flow:
  - step: first
    op: call
    tool: test.now
    args: {n: "n"}
    bind: a
    returns: {n: integer}
  - step: pay
    op: call
    tool: sim.payments.charge
    args: {amount: "12.50", idempotency_key: "'key-1'"}
    bind: c
  - step: second
    op: call
    tool: test.later
    args: {n: "a.n * 10"}
    bind: b
    returns: {n: integer}
    error_handling:
      retry: {max_attempts: 3, backoff_ms: 50}
${onError ? '      on_error: {code: DOWN, message: "the counter is down"}' : ""}
  - step: third
    op: call
    tool: test.later
    args: {n: "b.n"}
    bind: d
    returns: {n: integer}
  - step: done
    op: return
    output: success
    values:
      total: "d.n"
      charge: "c.status"
security:
  capabilities_required: [test.count, payments.charge]
`;

/** Tools for one run: `first` answers at once; `test.later` answers later, failing (or throwing) as `fail` says. */
function tools(fail: (attempt: number) => boolean, throws = false): ToolRegistry {
  return new ToolRegistry([
    ...SIMULATED_TOOLS,
    counter("test.now", false, () => false),
    counter("test.later", true, fail, throws),
  ]);
}

const scenarios: [string, (attempt: number) => boolean, boolean][] = [
  ["answered later", () => false, false],
  ["failing once, then answered on the retry", (a) => a === 1, false],
  ["failing every attempt", () => true, false],
  ["throwing", () => false, true],
];

describe("a call answered with a promise, on the plain generated run", () => {
  for (const onError of [false, true])
    for (const [what, fail, throws] of scenarios)
      it(`ends as the reference and the closures end, ${what}${onError ? ", with on_error" : ""}`, async () => {
        const p = node(yaml(onError));
        const ins = inputs({ n: 4n });
        const run = async (runtime: Runtime) => {
          const ctx: ExecutionContext = context(p, { tools: tools(fail, throws) });
          const r = await Promise.resolve(runtime.run(p, ins, ctx)).catch((err: Error) => err);
          if (r instanceof Error) return { threw: r.message };
          return {
            result: plain(r),
            steps: r.steps,
            calls: ctx.tape.calls.map((c) => [c.step, c.effect.ok, c.effect.attempts, c.effect.elapsedMs]),
          };
        };
        const generated = new DirectRuntime({ hotThreshold: 0 });
        const want = await run(reference);
        expect(await run(new DirectRuntime({ hotThreshold: Infinity }))).toEqual(want);
        const first = await run(generated);
        expect(generated.cached(p)!.tier.tier).toBe("generated");
        expect(first).toEqual(want);
        // Hot: the plain function (no observer) is the one that runs.
        expect(await run(generated)).toEqual(want);
      });

  it("answers 52 through three calls, one of them answered later, when nothing fails", async () => {
    const p = node(yaml(false));
    const r = await new DirectRuntime({ hotThreshold: 0 }).run(
      p,
      inputs({ n: 4n }),
      context(p, { tools: tools(() => false) }),
    );
    expect(r.status).toBe("success");
    expect(r.output!.fields.get("total")).toBe(52n);
  });
});
