import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/values/decimal.js";
import { context, inputs, node, reference, runAll } from "../../helpers/runtimes.js";
import { DirectRuntime } from "../../../src/runtime/direct/direct-runtime.js";

// Tool calls: capabilities are checked before anything is called; retries, time
// limits and back-off run on the virtual clock; error_handling decides the outcome.

const fetcher = (host: string, security: string) => node(fetcherYaml(host, security));
const fetcherYaml = (host: string, security: string) => `
node_id: net.fetch@1.0.0
type: handler
inputs:
  path: string
outputs:
  success:
    status: integer
  error:
    code: enum[DOWN]
    message: string
flow:
  - step: fetch
    op: call
    tool: http.request
    args:
      url: "'https://${host}/' + path"
    bind: response
    returns:
      status: integer
  - step: done
    op: return
    output: success
    values:
      status: "response.status"
security:
${security}
`;

describe("capabilities are checked before the call is made", () => {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (url) => {
    calls.push(String(url));
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  };

  it("a host the node did not declare is refused with a security error, and fetch is never called", async () => {
    calls.length = 0;
    const p = fetcher("evil.example.net", "  capabilities_required: [network.http_client.api.example.com]");
    const runs = await runAll(p, inputs({ path: "x" }), { fetch });
    for (const r of Object.values(runs)) {
      expect(r.status).toBe("runtime_error");
      expect(r.failure!.code).toBe("R201");
      expect(r.failure!.message).toContain(
        "capability 'network.http_client.evil.example.net' is not in security.capabilities_required",
      );
      expect(r.failure!.message).toContain("nothing was called");
    }
    expect(calls).toEqual([]);
  });

  it("a denied capability is refused even when a wildcard grants it", async () => {
    calls.length = 0;
    const p = fetcher(
      "internal.example.com",
      "  capabilities_required: [network.http_client.*]\n  denied_capabilities: [network.http_client.internal.example.com]",
    );
    const runs = await runAll(p, inputs({ path: "x" }), { fetch });
    for (const r of Object.values(runs))
      expect(r.failure!.message).toContain("denied to this node by 'network.http_client.internal.example.com'");
    expect(calls).toEqual([]);
  });

  it("a result that does not fit the step's `returns` is R206", async () => {
    const p = node(
      fetcherYaml("api.example.com", "  capabilities_required: [network.http_client.api.example.com]").replace(
        "returns:\n      status: integer",
        "returns:\n      status: integer\n      body: {type: string, required: false}",
      ),
    );
    const json: typeof globalThis.fetch = async () =>
      new Response('{"nested": true}', { status: 200, headers: { "content-type": "application/json" } });
    const runs = await runAll(p, inputs({ path: "x" }), { fetch: json });
    for (const r of Object.values(runs)) {
      expect(r.failure).toMatchObject({ code: "R206", step: "fetch" });
      expect(r.failure!.message).toBe("the result of http.request.body: expected a string, got record {nested: true}");
    }
  });

  it("the declared host is called", async () => {
    calls.length = 0;
    const p = fetcher("api.example.com", "  capabilities_required: [network.http_client.api.example.com]");
    const runs = await runAll(p, inputs({ path: "users/1" }), { fetch });
    for (const r of Object.values(runs)) expect(r.status).toBe("success");
    expect(calls).toEqual(Array(3).fill("https://api.example.com/users/1"));
  });
});

const charger = (errorHandling: string) =>
  node(`
node_id: pay.charge@1.0.0
type: handler
inputs:
  amount: decimal
outputs:
  success:
    id: string
  error:
    code: enum[GATEWAY_TIMEOUT]
    message: string
flow:
  - step: charge
    op: call
    tool: sim.payments.charge
    args:
      amount: "amount"
      idempotency_key: "'order-1'"
    bind: charge
    returns:
      id: string
      status: enum[succeeded, declined]
    timeout_ms: 3000
${errorHandling}
  - step: done
    op: return
    output: success
    values:
      id: "charge.id"
security:
  capabilities_required: [payments.charge]
`);

describe("retries, time-outs and back-off run on the virtual clock", () => {
  const slow = {
    "sim.payments.charge": { latency: { medianMs: 45_000, p99Ms: 45_000 }, failureRate: 0, declineRate: 0 },
  };
  const amount = inputs({ amount: new Decimal("12.50") });

  it("a 45-second gateway times out after each 3-second limit, three times, then on_error answers", async () => {
    const p = charger(
      '    error_handling:\n      retry: {max_attempts: 3, backoff_ms: 200}\n      on_error: {code: GATEWAY_TIMEOUT, message: "no answer"}',
    );
    for (const runtime of [reference, new DirectRuntime({ hotThreshold: 0 })]) {
      const ctx = context(p, { behaviour: slow });
      const r = await runtime.run(p, amount, ctx);
      expect(r.status).toBe("error");
      expect(r.output!.fields.get("code")).toBe("GATEWAY_TIMEOUT");
      const effect = ctx.tape.calls[0]!.effect;
      expect(effect).toMatchObject({ ok: false, attempts: 3, error: { code: "TIMEOUT" } });
      // 3 attempts of 3000 ms each, plus 2 back-offs of 200 ms, all virtual.
      expect(effect.elapsedMs).toBe(3 * 3000 + 2 * 200);
      expect(ctx.elapsedMs).toBe(9400);
    }
  });

  it("without error_handling a time-out is a runtime failure R203", async () => {
    const p = charger("");
    const runs = await runAll(p, amount, { behaviour: slow });
    for (const r of Object.values(runs)) expect(r.failure).toMatchObject({ code: "R203", step: "charge" });
  });

  it("a transient failure is retried and the retry succeeds", async () => {
    const p = charger("    error_handling:\n      retry: {max_attempts: 5, backoff_ms: 100}");
    // With a 50% failure rate some seed needs a retry; find one deterministically.
    const flaky = { "sim.payments.charge": { failureRate: 0.5, declineRate: 0, latency: { medianMs: 10, p99Ms: 10 } } };
    let retried = false;
    for (let seed = 0; seed < 20 && !retried; seed++) {
      const ctx = context(p, { behaviour: flaky, seed });
      const r = await reference.run(p, amount, ctx);
      const effect = ctx.tape.calls[0]!.effect;
      if (effect.attempts > 1 && effect.ok) {
        retried = true;
        expect(r.status).toBe("success");
        expect(effect.elapsedMs).toBe(effect.attempts * 10 + (effect.attempts - 1) * 100);
        const direct = await new DirectRuntime({ hotThreshold: 0 }).run(
          p,
          amount,
          context(p, { behaviour: flaky, seed }),
        );
        expect(direct.output!.fields.get("id")).toBe(r.output!.fields.get("id"));
      }
    }
    expect(retried).toBe(true);
  });

  it("the same seed gives the same charge id; another seed another", async () => {
    const p = charger("");
    const id = async (seed: number) => (await reference.run(p, amount, context(p, { seed }))).output!.fields.get("id");
    expect(await id(1)).toBe(await id(1));
    expect(await id(1)).not.toBe(await id(2));
  });
});

describe("the recorder hook sees every nondeterministic value as it is handed out", () => {
  it("a payment run reports its one tool call, in order, with the effect", async () => {
    const p = charger("");
    const seen: string[] = [];
    const ctx = context(p, {
      onRecord: (e) => seen.push(e.kind === "call" ? `call ${e.call.tool} ok=${e.call.effect.ok}` : e.kind),
    });
    await new DirectRuntime().run(p, inputs({ amount: new Decimal("5") }), ctx);
    expect(seen).toEqual([`call sim.payments.charge ok=${ctx.tape.calls[0]!.effect.ok}`]);
    expect(ctx.tape.calls).toHaveLength(1);
  });
});
