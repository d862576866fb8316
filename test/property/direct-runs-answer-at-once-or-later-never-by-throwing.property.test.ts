// Runtime.run answers a result, or a promise of one, and never throws (src/runtime/runtime.ts):
// the direct runtime's generated plain run hands back its result itself when no call made
// it wait, so a hot run costs no promise. Over random nodes of calls (each tool answering at
// once or later, failing some attempts, throwing at once or rejecting later, with and without
// on_error, an input that breaks the invariant), every way a run can end must be the same on
// the reference, the closures tier and the generated tier cold and hot: the result (output,
// failure code, message and place, steps, state), the calls on the context's tape, or the
// thrown error's message; run() itself never throws, and a hot generated run whose every
// call answered at once is a result, not a promise. A call answered with a promise hands the
// plain generated run to its asynchronous copy, which goes on from the step after the call
// (this replaces the example test of the same name over eight fixed cases).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ExecutionContext } from "../../src/runtime/context.js";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import type { PreparedNode } from "../../src/runtime/prepared.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import type { Runtime } from "../../src/runtime/runtime.js";
import { ToolRegistry, type ToolReply, type ToolSpec } from "../../src/tools/index.js";
import { SIMULATED_TOOLS } from "../../src/tools/simulated.js";
import { VRecord, type Value } from "../../src/values/values.js";
import { context, inputs, node, plain, reference } from "../helpers/runtimes.js";

/** How one tool behaves in a run: whether it answers later, which attempts fail, and whether it throws. */
interface Behaviour {
  later: boolean;
  failing: boolean[];
  throws: boolean;
}

/** `asked.later` is set when a tool that answers later is called: the run had to wait. */
function counter(name: string, b: Behaviour, asked: { later: boolean }): ToolSpec {
  let attempt = 0;
  const reply = (args: VRecord): ToolReply => {
    attempt++;
    if (b.throws) throw new Error(`${name} broke`);
    if (b.failing[(attempt - 1) % b.failing.length])
      return { ok: false, code: "UNAVAILABLE", message: `${name} is down`, latencyMs: 7 };
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
    invoke: (args) => {
      if (!b.later) return reply(args);
      asked.later = true;
      return Promise.resolve().then(() => reply(args));
    },
  };
}

const yaml = (onError: boolean, retries: number) => `
node_id: test.answers@1.0.0
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
    tool: test.a
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
    tool: test.b
    args: {n: "a.n * 10"}
    bind: b
    returns: {n: integer}
    error_handling:
      retry: {max_attempts: ${retries}, backoff_ms: 50}
${onError ? '      on_error: {code: DOWN, message: "the counter is down"}' : ""}
  - step: third
    op: call
    tool: test.c
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

const behaviour = fc.record({
  later: fc.boolean(),
  failing: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
  throws: fc.boolean(),
});
const scenario = fc.record({
  onError: fc.boolean(),
  retries: fc.integer({ min: 1, max: 3 }),
  n: fc.bigInt({ min: -2n, max: 50n }),
  a: behaviour,
  b: behaviour,
  c: behaviour,
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const nodes = new Map<string, PreparedNode>();
const nodeOf = (s: Scenario) => {
  const key = `${s.onError}/${s.retries}`;
  let p = nodes.get(key);
  if (!p) nodes.set(key, (p = node(yaml(s.onError, s.retries), "answers.vsp")));
  return p;
};

const toolsOf = (s: Scenario, asked: { later: boolean }) =>
  new ToolRegistry([
    ...SIMULATED_TOOLS,
    counter("test.a", s.a, asked),
    counter("test.b", s.b, asked),
    counter("test.c", s.c, asked),
  ]);

/**
 * How a run ended, whichever way it answered; `sync` says whether run() handed back the result
 * itself, `waited` whether a tool answered later.
 */
async function ending(runtime: Runtime, p: PreparedNode, s: Scenario) {
  const asked = { later: false };
  const ctx: ExecutionContext = context(p, { tools: toolsOf(s, asked) });
  let answer: RunResult | Promise<RunResult>;
  try {
    answer = runtime.run(p, inputs({ n: s.n }), ctx);
  } catch (err) {
    return { thrownAtOnce: (err as Error).message };
  }
  const sync = !(answer instanceof Promise);
  const settled = await Promise.resolve(answer).then(
    (r) => ({ result: plain(r), steps: r.steps }),
    (err: Error) => ({ rejected: err.message }),
  );
  const calls = ctx.tape.calls.map((c) => [c.step, c.effect.ok, c.effect.attempts, c.effect.elapsedMs]);
  return { ending: { ...settled, calls }, sync, waited: asked.later };
}

describe("a direct run answers at once or with a promise, never by throwing", () => {
  it("ends as the reference ends, on the closures tier and the generated tier, cold and hot", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const p = nodeOf(s);
        const want = await ending(reference, p, s);
        expect(want.ending).toBeDefined();
        // The closures tier steps asynchronously: always a promise, as the reference's.
        expect(await ending(new DirectRuntime({ hotThreshold: Infinity }), p, s)).toEqual({ ...want, sync: false });
        const generated = new DirectRuntime({ hotThreshold: 0 });
        for (let run = 0; run < 3; run++) {
          const got = await ending(generated, p, s);
          expect(got.ending).toEqual(want.ending);
          expect(got.waited).toBe(want.waited);
          // A result when nothing waited and nothing failed; a promise (resolved or rejected) otherwise.
          expect(got.sync).toBe(!got.waited && !("rejected" in got.ending!));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("answers 52 through three calls, two of them answered later, when nothing fails", async () => {
    const s: Scenario = {
      onError: false,
      retries: 3,
      n: 4n,
      a: { later: false, failing: [false], throws: false },
      b: { later: true, failing: [false], throws: false },
      c: { later: true, failing: [false], throws: false },
    };
    const p = nodeOf(s);
    const generated = new DirectRuntime({ hotThreshold: 0 });
    for (let run = 0; run < 2; run++) {
      const r = await generated.run(p, inputs({ n: s.n }), context(p, { tools: toolsOf(s, { later: false }) }));
      expect(r.status).toBe("success");
      expect(r.output!.fields.get("total")).toBe(52n);
    }
  });
});
