import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import { inputs, node, plain, runAll } from "../helpers/runtimes.js";

// FLOAT(x) and DECIMAL(x, places) on the reference and both direct tiers, against
// oracles written here without decimal.js: FLOAT is JavaScript's own parse of the
// decimal's digits (correctly rounded, ties to even); DECIMAL rounds the float's
// shortest round-trip digits half-up with BigInt arithmetic.

/** The shortest digits of a finite float as [sign, digits, exponent]: value = sign · digits · 10^exponent. */
function digitsOf(x: number): [bigint, bigint, number] {
  const [mantissa, exp = "0"] = String(Math.abs(x)).split("e");
  const [int, frac = ""] = mantissa!.split(".");
  return [x < 0 || Object.is(x, -0) ? -1n : 1n, BigInt(int! + frac), Number(exp) - frac.length];
}

/** x rounded half-up (ties away from zero) to `places` digits after the point, as plain text. */
function roundHalfUp(x: number, places: number): string {
  const [sign, digits, exponent] = digitsOf(x);
  let scaled: bigint; // the value times 10^places, rounded
  const shift = exponent + places;
  if (shift >= 0) scaled = digits * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    scaled = digits / div + ((digits % div) * 2n >= div ? 1n : 0n);
  }
  if (scaled === 0n) return "0";
  const text = scaled.toString().padStart(places + 1, "0");
  const whole = places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
  return `${sign < 0n ? "-" : ""}${whole}`;
}

const converting = node(
  `
node_id: conv.both@1.0.0
type: function
inputs:
  x: {type: float}
  d: {type: decimal}
  p: {type: integer}
outputs:
  success: {f: float, r: decimal}
flow:
  - step: c
    op: compute
    set:
      f: "FLOAT(d)"
      r: "DECIMAL(x, p)"
  - step: ret
    op: return
    output: success
    values: {f: f, r: r}
`,
  "conv.vsp",
);

const decimals = fc
  .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 25 }))
  .map(([digits, scale]) => {
    const s = digits
      .toString()
      .replace("-", "")
      .padStart(scale + 1, "0");
    const text = `${digits < 0n ? "-" : ""}${scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s}`;
    return { text, value: new Decimal(text) };
  });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 });

describe("FLOAT and DECIMAL convert exactly as specified on every runtime", () => {
  it("FLOAT(d) is the nearest binary64 to the decimal; DECIMAL(x, p) rounds x's shortest digits half-up", async () => {
    await fc.assert(
      fc.asyncProperty(decimals, finite, fc.integer({ min: 0, max: 8 }), async (d, x, p) => {
        const runs = await runAll(converting, inputs({ x, d: d.value, p: BigInt(p) }));
        for (const r of Object.values(runs)) {
          const out = plain(r);
          expect(out.status).toBe("success");
          const { f, r: rounded } = out.output as { f: number; r: string };
          expect(Object.is(f, Number(d.text)) || f === Number(d.text)).toBe(true);
          expect(new Decimal(rounded).eq(new Decimal(roundHalfUp(x, p)))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("ties round away from zero: DECIMAL(2.675, 2) is 2.68 and DECIMAL(-0.125, 2) is -0.13", async () => {
    for (const [x, p, want] of [
      [2.675, 2, "2.68"],
      [-0.125, 2, "-0.13"],
      [0.1, 20, "0.1"],
      [1e21, 0, "1000000000000000000000"],
    ] as const) {
      const runs = await runAll(converting, inputs({ x, d: new Decimal(0), p: BigInt(p) }));
      for (const r of Object.values(runs))
        expect(new Decimal((plain(r).output as { r: string }).r).eq(want)).toBe(true);
    }
  });

  it("DECIMAL of NaN or an infinity is R110 at the call, the same on every runtime", async () => {
    const p = node(
      `
node_id: conv.nan@1.0.0
type: function
inputs:
  x: {type: float}
outputs:
  success: {r: decimal}
flow:
  - step: c
    op: compute
    set:
      r: "DECIMAL(x / (x - x), 2)"
  - step: ret
    op: return
    output: success
    values: {r: r}
`,
      "nan.vsp",
    );
    for (const x of [0, 1, -1]) {
      const runs = await runAll(p, inputs({ x }));
      const failures = Object.values(runs).map((r) => plain(r).failure as { code: string; location: { col: number } });
      for (const f of failures) expect(f.code).toBe("R110");
      expect(new Set(failures.map((f) => f.location.col)).size).toBe(1);
    }
  });
});
