import { describe, expect, it } from "vitest";
import { compareResults } from "../../../src/exec/comparator.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import { example, plain, runAll } from "../../helpers/runtimes.js";

// Every bundled example, every sample: the reference runtime and both tiers of the
// direct runtime produce the same result. Scalar nodes agree exactly; tensor nodes
// within the node's stated tolerance (float32 engine against float64 loops).

const SCALAR = ["payment", "refund", "order_total"];
const TENSOR = ["sensor_anomaly", "mlp_inference"];

describe("every example runs on both runtimes with the same result", () => {
  for (const name of SCALAR) {
    const p = example(name);
    for (const sample of p.node.samples) {
      it(`${name} / ${sample.name}: identical on reference, closures and generated code`, async () => {
        const runs = await runAll(p, sampleInputs(p, sample.name));
        expect(runs.reference.status).toMatch(/^(success|error)$/);
        expect(plain(runs.closures)).toEqual(plain(runs.reference));
        expect(plain(runs.generated)).toEqual(plain(runs.reference));
      });
    }
  }

  for (const name of TENSOR) {
    const p = example(name);
    for (const sample of p.node.samples) {
      it(`${name} / ${sample.name}: within tolerance ${p.node.verification.tolerance}`, async () => {
        const runs = await runAll(p, sampleInputs(p, sample.name));
        expect(runs.reference.status).toBe("success");
        const tolerance = p.node.verification.tolerance;
        expect(compareResults(runs.reference, runs.closures, { tolerance })).toEqual([]);
        expect(compareResults(runs.reference, runs.generated, { tolerance })).toEqual([]);
        // They are genuinely different implementations: float32 results are not bit-identical.
        expect(plain(runs.generated)).not.toEqual(plain(runs.reference));
      });
    }
  }

  it("http_fetch: success, 404 and an unreachable host agree (fetch replaced by a fake server)", async () => {
    const p = example("http_fetch");
    const server =
      (status: number, body: unknown): typeof fetch =>
      async (url) => {
        expect(String(url)).toMatch(/^https:\/\/api\.example\.com\/v[12]\/users\//);
        return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
      };
    const profile = { id: "usr_1001", name: "Ada", email: "ada@example.com", plan: "pro", seats: 3 };
    const down: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: { code: "ENOTFOUND" } });
    };
    for (const [fake, expected] of [
      [server(200, profile), "success"],
      [server(404, {}), "error"],
      [down, "error"],
    ] as const) {
      const runs = await runAll(p, sampleInputs(p), { fetch: fake });
      expect(runs.reference.status).toBe(expected);
      const noisy = ["fetched_at"];
      expect(compareResults(runs.reference, runs.closures, { noisy })).toEqual([]);
      expect(compareResults(runs.reference, runs.generated, { noisy })).toEqual([]);
    }
  });
});
