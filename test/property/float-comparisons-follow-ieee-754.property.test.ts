import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/values/decimal.js";
import type { Value } from "../../src/values/values.js";
import { inputs, node, plain, runAll } from "../helpers/runtimes.js";

// Floats compare as IEEE 754 binary64 on every runtime and tier: every comparison
// with NaN is false except `!=`, -0 == 0, infinities order as numbers, subnormals
// are numbers like any other. Both runtimes agreeing is not enough (they once agreed
// on the wrong answer), so the expected values come from JavaScript's own operators,
// which are IEEE 754's. Mixed pairs convert the integer or decimal to binary64 first.

const OPS = { eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" } as const;
type Name = keyof typeof OPS;

function ieee(x: number, y: number): Record<Name, boolean> {
  return { eq: x === y, ne: x !== y, lt: x < y, le: x <= y, gt: x > y, ge: x >= y };
}

/** A node comparing `left` with `right` (expressions over x, y, i, d) with all six operators. */
function comparing(left: string, right: string) {
  const set = Object.entries(OPS)
    .map(([name, op]) => `      ${name}: "${left} ${op} ${right}"`)
    .join("\n");
  return node(
    `
node_id: ieee.compare@1.0.0
type: function
inputs:
  x: {type: float}
  y: {type: float}
  i: {type: integer}
  d: {type: decimal}
outputs:
  success:
${Object.keys(OPS)
  .map((n) => `    ${n}: boolean`)
  .join("\n")}
flow:
  - step: c
    op: compute
    set:
${set}
  - step: ret
    op: return
    output: success
    values:
${Object.keys(OPS)
  .map((n) => `      ${n}: "${n}"`)
  .join("\n")}
`,
    "ieee.vsp",
  );
}

const floats = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, 0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_VALUE, -5e-324),
);

async function agreeWithIeee(p: ReturnType<typeof comparing>, given: Record<string, Value>, expected: object) {
  const runs = await runAll(p, inputs(given));
  for (const [tier, r] of Object.entries(runs)) {
    expect({ tier, ...plain(r) }).toEqual({ tier, status: "success", output: expected, failure: null, state: null });
  }
}

const base = { x: 0, y: 0, i: 0n, d: new Decimal(0) };

describe("float comparisons follow IEEE 754 on the reference and both direct tiers", () => {
  it("float against float, NaN and signed zeros and infinities included", async () => {
    const p = comparing("x", "y");
    await fc.assert(
      fc.asyncProperty(floats, floats, async (x, y) => agreeWithIeee(p, { ...base, x, y }, ieee(x, y))),
      { numRuns: 150 },
    );
  });

  it("a value against itself: only NaN is unequal to itself", async () => {
    const p = comparing("x", "x");
    await fc.assert(
      fc.asyncProperty(floats, async (x) => agreeWithIeee(p, { ...base, x }, ieee(x, x))),
      { numRuns: 60 },
    );
  });

  it("NaN made inside the node (0.0 / 0.0) compares false except !=", async () => {
    const p = comparing("(x - x) / (y - y)", "y");
    await fc.assert(
      fc.asyncProperty(floats, floats, async (x, y) => agreeWithIeee(p, { ...base, x, y }, ieee((x - x) / (y - y), y))),
      { numRuns: 60 },
    );
  });

  it("integer against float: the integer is converted to binary64", async () => {
    const p = comparing("i", "y");
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), floats, async (i, y) =>
        agreeWithIeee(p, { ...base, i, y }, ieee(Number(i), y)),
      ),
      { numRuns: 100 },
    );
  });

  it("decimal against float, through FLOAT(): the decimal is converted to binary64", async () => {
    const p = comparing("FLOAT(d)", "y");
    const decimals = fc
      .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
      .map(([digits, scale]) => new Decimal(digits.toString()).div(new Decimal(10).pow(scale)));
    await fc.assert(
      fc.asyncProperty(decimals, floats, async (d, y) => agreeWithIeee(p, { ...base, d, y }, ieee(d.toNumber(), y))),
      { numRuns: 100 },
    );
  });
});

describe("structural equality is element by element, so NaN inside makes values unequal", () => {
  const lists = node(
    `
node_id: ieee.lists@1.0.0
type: function
inputs:
  x: {type: float}
outputs:
  success: {same: boolean, differ: boolean, member: boolean}
flow:
  - step: c
    op: compute
    set:
      same: "[x, x] == [x, x]"
      differ: "[x, x] != [x, x]"
      member: "x IN [x]"
  - step: ret
    op: return
    output: success
    values: {same: same, differ: differ, member: member}
`,
    "lists.vsp",
  );

  it("arrays holding NaN are unequal, and NaN is not IN an array holding NaN", async () => {
    await fc.assert(
      fc.asyncProperty(floats, async (x) => {
        const eq = !Number.isNaN(x);
        const runs = await runAll(lists, inputs({ x }));
        for (const r of Object.values(runs)) expect(plain(r).output).toEqual({ same: eq, differ: !eq, member: eq });
      }),
      { numRuns: 40 },
    );
  });
});
