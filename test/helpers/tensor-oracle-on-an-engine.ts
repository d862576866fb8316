// The tensor oracle's cases (test/fixtures/tensor-oracle) run by the direct runtime on
// a TensorFlow.js backend: engine.md says its kernels follow the float64 reference
// exactly except for float32 rounding, so each answer must be the oracle's float32
// answer within float32 error (relative 1e-5, with 1e-6 absolute for results that
// cancel to near zero), and exactly where it is NaN, an infinity or an error. `%` is
// discontinuous: the engine rounds its operands to float32 before it divides, so a
// finite remainder may land a whole divisor away (0.4 where binary64 gives 2e-15);
// for `%` a finite element may differ by up to the largest operand's magnitude.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createEngine } from "../../src/engine/create-engine.js";
import type { TfjsEngine } from "../../src/engine/tfjs-engine.js";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import type { RunResult } from "../../src/runtime/protocol.js";
import { Tensor } from "../../src/values/values.js";
import { context } from "./runtimes.js";
import { type OracleAnswer, type OracleCase, oracleCases, oracleInputs, oracleNode } from "./tensor-oracle.js";

const num = (n: number | string): number =>
  n === "NaN" ? Number.NaN : n === "Infinity" ? Infinity : n === "-Infinity" ? -Infinity : n === "-0" ? -0 : Number(n);

const closeTo = (g: number, w: number): boolean =>
  Number.isNaN(w) ? Number.isNaN(g) : !Number.isFinite(w) ? g === w : Math.abs(g - w) <= 1e-5 * Math.abs(w) + 1e-6;

function differsRoughly(r: RunResult, want: OracleAnswer, slack = 0): string | null {
  const close = (g: number, w: number) =>
    closeTo(g, w) || (Number.isFinite(g) && Number.isFinite(w) && Math.abs(g - w) <= slack * (1 + 1e-5));
  if ("error" in want) {
    if (r.failure?.code !== want.error) return `wanted ${want.error}, got ${r.status} ${r.failure?.code ?? ""}`;
    if (want.message !== null && !r.failure.message.includes(want.message))
      return `wanted '${want.message}', got '${r.failure.message}'`;
    return null;
  }
  if (r.status !== "success") return `wanted a value, got ${r.failure?.code} ${r.failure?.message}`;
  const got = r.output!.fields.get("r");
  const w = want.value;
  if (typeof w !== "object")
    return typeof got === "number" && close(got, num(w)) ? null : `wanted ${num(w)}, got ${got}`;
  if (!(got instanceof Tensor) || JSON.stringify(got.shape) !== JSON.stringify(w.shape))
    return `wanted shape [${w.shape}], got ${got instanceof Tensor ? `[${got.shape}]` : String(got)}`;
  const bad = w.data.findIndex((x, i) => !close(got.data[i]!, num(x)));
  return bad < 0 ? null : `element ${bad}: wanted ${num(w.data[bad]!)}, got ${got.data[bad]} (all ${[...got.data]})`;
}

/** The largest finite magnitude among a case's inputs. */
const largest = (c: OracleCase): number =>
  Math.max(
    ...Object.values(c.inputs).flatMap(({ value }) =>
      (typeof value === "object" ? value.data : [value]).map(num).filter(Number.isFinite).map(Math.abs),
    ),
  );

/** One `it` running every case through both tiers of the direct runtime on `backend`. */
export function oracleCasesOn(backend: "cpu" | "wasm"): void {
  let engine: TfjsEngine;
  beforeAll(async () => {
    engine = await createEngine({ backend, env: { VEYRA_WASM_THREADS: "1" } });
  }, 60_000);
  afterAll(() => engine?.dispose());

  it(`every case on TensorFlow.js ${backend} agrees with the oracle within float32 error`, async () => {
    const failures: string[] = [];
    for (const c of oracleCases) {
      const p = oracleNode(c);
      const inputs = oracleInputs(c);
      for (const [tier, hotThreshold] of [
        ["closures", Infinity],
        ["generated", 0],
      ] as const) {
        const r = await new DirectRuntime({ hotThreshold, engine }).run(p, inputs, context(p));
        const d = differsRoughly(r, c.f32, c.expr.includes("%") ? largest(c) : 0);
        if (d) failures.push(`${c.name} [${c.expr}] ${tier}: ${d}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
}
