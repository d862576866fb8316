import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { len, lenCmp } from "../../src/runtime/direct/ops.js";
import { VMap, VSet, type Value } from "../../src/values/values.js";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { context, inputs, node, plain, runAll } from "../helpers/runtimes.js";

// Generated code compares LEN with a small integer constant in one operation
// (O.lenCmp, codegen.ts), counting a string's code points only where its length
// leaves the answer open (a string of length l has between ceil(l / 2) and l code
// points). The order is always LEN's own against the constant, and a value that is
// not a collection fails exactly as LEN fails: over strings of paired and lone
// surrogates, arrays, sets, maps and other values, at every constant around them.

const SPAN = { start: 3, end: 9 };

/** Strings of ASCII, astral characters (surrogate pairs) and lone surrogates, in any mix. */
const text = fc
  .array(fc.constantFrom("a", "é", "😀", "\ud800", "\udc00", "𝄞", "z"), { maxLength: 12 })
  .map((parts) => parts.join(""));
const value: fc.Arbitrary<Value> = fc.oneof(
  text,
  fc.array(fc.bigInt({ min: 0n, max: 9n }), { maxLength: 6 }),
  fc.array(fc.bigInt({ min: 0n, max: 5n }), { maxLength: 6 }).map((xs) => new VSet(xs)),
  fc.array(fc.bigInt({ min: 0n, max: 5n }), { maxLength: 6 }).map((xs) => new VMap(xs.map((x) => [x, x]))),
  fc.constantFrom<Value>(3n, null, true),
);

/** What a call gives: its answer, or the failure's code, message and place. */
function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    const err = e as { code?: string; message: string; span?: unknown };
    return { code: err.code, message: err.message, span: err.span };
  }
}

describe("LEN compared with a constant in one operation agrees with LEN", () => {
  it("orders as LEN's length against the constant, and fails as LEN fails", () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 14 }), (v, n) => {
        const want = outcome(() => {
          const l = len(v, SPAN);
          return l < BigInt(n) ? -1 : l > BigInt(n) ? 1 : 0;
        });
        expect(outcome(() => lenCmp(v, SPAN, n))).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });

  it("a node comparing LENs with constants both ways round answers as the reference on every tier", async () => {
    const p = node(`
node_id: len.compared@1.0.0
type: function
inputs:
  s: string
  xs: array<integer>
outputs:
  success: {a: boolean, b: boolean, c: boolean, d: boolean}
flow:
  - step: done
    op: return
    output: success
    values: {a: "LEN(s) >= 3", b: "2 < LEN(s)", c: "LEN(xs) <= 1", d: "4 >= LEN(s) AND LEN(s) > 0"}
`);
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.bigInt({ min: 0n, max: 9n }), { maxLength: 3 }), async (s, xs) => {
        const runs = await runAll(p, inputs({ s, xs }));
        const want = plain(runs.reference);
        expect(plain(runs.closures)).toEqual(want);
        expect(plain(runs.generated)).toEqual(want);
      }),
      { numRuns: 300 },
    );
    const direct = new DirectRuntime({ hotThreshold: 0 });
    await direct.run(p, inputs({ s: "abc", xs: [] }), context(p));
    expect(direct.cached(p)?.source).toContain("O.lenCmp(");
  });
});
