import { expect } from "vitest";

// What the floor tests (test/unit/runtime/{payment,refund}-floor-agrees.test.ts) share:
// a floor (bench/*-floor.mjs, the hand-written node that bench/runtimes.mjs measures
// the direct runtime against) run beside the reference on the same inputs and the
// same simulated gateway must give the same status, output (as printed, so at its
// declared scale), final state, step count and failed contract, and make the same
// calls (tool, arguments, result, attempts, virtual time) on the context's tape.
// Everything is loaded from the built dist/, as the benchmark runs it.

const dist = "../../dist/src";
const { ReferenceRuntime } = await import(`${dist}/runtime/reference/reference-runtime.js`);
const { ExecutionContext } = await import(`${dist}/runtime/context.js`);
const { defaultTools } = await import(`${dist}/tools/index.js`);
const { Decimal } = await import(`${dist}/values/decimal.js`);
const { formatValue, keyOf } = await import(`${dist}/values/values.js`);

export const { VRecord } = await import(`${dist}/values/values.js`);
export const { prepareFile } = await import(`${dist}/runtime/prepared.js`);

/** What a floor answers. */
interface Answer {
  status: string;
  output?: Record<string, string>;
  state?: string;
  steps?: number;
  failure?: { code: string; kind?: string; name?: string };
}

type Floor = (inputs: Map<string, unknown>, ctx: unknown) => Promise<unknown> | unknown;
type Ctx = { tape: { calls: { tool: string; effect: Record<string, unknown> }[] } };

/** Cents as a decimal (decimal.js keeps no trailing zeros, so 50, 50.0 and 50.00 are one value). */
export const money = (c: number) => new Decimal(c).div(100);

/** An output as printed (decimals at their declared scale, strings quoted). */
const printed = (fields: Iterable<[string, unknown]>): Record<string, string> =>
  Object.fromEntries([...fields].map(([k, v]) => [k, formatValue(v as never)]));

const calls = (ctx: Ctx) =>
  ctx.tape.calls.map(({ tool, effect }) => ({
    tool,
    args: keyOf(effect.args as never),
    ok: effect.ok,
    result: effect.ok ? keyOf(effect.result as never) : effect.error,
    attempts: effect.attempts,
    elapsedMs: effect.elapsedMs,
  }));

const reference = new ReferenceRuntime();

/**
 * Runs the node `p` on the reference and `floor` on `inputs`, each with a fresh context of
 * `seed` and the gateway `behaviour`, expects the same answer and calls, and returns the
 * reference's result (for the caller to note which ending was reached). Typed loosely: the
 * runtime's types are loaded from dist/ at run time.
 */
export async function expectFloorAgrees(
  p: any,
  floor: Floor,
  inputs: Map<string, unknown>,
  seed: number,
  behaviour: object,
): Promise<any> {
  const ctx = () => new ExecutionContext({ seed, clockStartMs: 0, grants: p.grants, tools: defaultTools(), behaviour });
  const refCtx = ctx();
  const want = await reference.run(p, inputs, refCtx);
  const floorCtx = ctx();
  const got = (await floor(inputs, floorCtx)) as Answer;
  if (want.status === "contract_violation") {
    const { code, contract } = want.failure;
    expect(got).toEqual({ status: want.status, failure: { code, kind: contract.kind, name: contract.name } });
  } else {
    expect(got.status).toBe(want.status);
    expect(printed(Object.entries(got.output ?? {}))).toEqual(printed(want.output.fields));
    expect(got.state).toBe(want.state);
    expect(got.steps).toBe(want.steps);
  }
  expect(calls(floorCtx)).toEqual(calls(refCtx));
  return want;
}
