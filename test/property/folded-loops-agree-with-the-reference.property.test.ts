import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DirectRuntime } from "../../src/runtime/direct/direct-runtime.js";
import { VRecord, type Value } from "../../src/values/values.js";
import { context, inputs, node, plain, runAll } from "../helpers/runtimes.js";

// The generated tier folds COUNT and a SUM of integers as it goes, with no list of
// the bodies' values (codegen.ts, loop()). The reference evaluates every body first,
// then counts (failing at the first body that is not a boolean) or adds (failing at
// the first partial sum outside the 64-bit range). So the answers and the failures
// (code, message, place) must be the reference's: a body that is not a boolean
// before a body that fails (an index out of range) fails with the latter, an overflowing partial sum fails with its
// own value even when a later term would bring the sum back into range, and an empty
// collection counts and sums to 0.

const p = node(
  `
node_id: folded.loops@1.0.0
type: function
types:
  Row:
    fields:
      ok: {type: boolean, required: false}
      d: integer
      bs: array<boolean>
inputs:
  xs: array<integer>
  rows: array<Row>
outputs:
  success: {total: integer, pos: integer, oks: integer, big: integer, firsts: integer}
flow:
  - step: sums
    op: compute
    set:
      total: "SUM(i IN xs: i)"
      pos: "COUNT(i IN xs: i > 0)"
  - step: counts
    op: compute
    set:
      oks: "COUNT(r IN rows: r.ok)"
      big: "COUNT(r IN rows: 12 / r.d > 1)"
      firsts: "COUNT(r IN rows: r.bs[0])"
  - step: done
    op: return
    output: success
    values: {total: total, pos: pos, oks: oks, big: big, firsts: firsts}
`,
  "folded-loops.vsp",
);

const int64 = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n), 2n ** 62n),
);

/** A Row; `bs` may be empty (its [0] fails with R104) or, handed in unconformed, start with a value that is not a boolean. */
const r = (ok: boolean | null, d: bigint, bs: Value[] = [true]) =>
  new VRecord("Row", new Map<string, Value>([...(ok === null ? [] : [["ok", ok] as const]), ["d", d], ["bs", bs]]));

const row = fc
  .tuple(
    fc.option(fc.boolean(), { nil: null }),
    fc.bigInt({ min: -3n, max: 30n }),
    fc.array(fc.oneof(fc.boolean(), fc.bigInt({ min: 0n, max: 9n }), fc.constant(null)), { maxLength: 2 }),
  )
  .map(([ok, d, bs]) => r(ok, d, bs));

describe("COUNT and integer SUM folded as they go give the reference's answers and failures", () => {
  it("counts, sums, overflow, null bodies and division by zero, in the reference's order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(int64, { maxLength: 5 }), fc.array(row, { maxLength: 5 }), async (xs, rows) => {
        const runs = await runAll(p, inputs({ xs, rows }));
        const want = plain(runs.reference);
        expect(plain(runs.closures)).toEqual(want);
        expect(plain(runs.generated)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it("each outcome is reached: success, an overflow that a later term undoes, a null body before a division by zero", async () => {
    const direct = new DirectRuntime({ hotThreshold: 0 });
    const run = async (xs: bigint[], rows: VRecord[]) => plain(await direct.run(p, inputs({ xs, rows }), context(p)));
    expect(direct.cached(p)).toBeUndefined();
    const ok = await run([3n, -1n, 2n], [r(true, 1n), r(false, 12n)]);
    expect(ok.output).toEqual({ total: 4, pos: 2, oks: 1, big: 1, firsts: 2 });
    expect(direct.cached(p)?.source).toContain("acc += b;");
    expect(direct.cached(p)?.source).not.toContain("v.filter");
    const over = await run([2n ** 63n - 1n, 1n, -5n], []);
    expect(over.failure).toMatchObject({ code: "R101" });
    expect(JSON.stringify(over.failure)).toContain(String(2n ** 63n));
    // COUNT(r.bs[0]): a first body that is not a boolean, then a body that fails: the failure is the second's.
    const order = await run([], [r(true, 1n, [7n]), r(true, 1n, [])]);
    expect(order.failure).toMatchObject({ code: "R104" });
    const notBoolean = await run([], [r(true, 1n, [7n]), r(true, 1n, [null])]);
    expect(notBoolean.failure).toMatchObject({ code: "R102", message: expect.stringContaining("7") });
    // A null body is null where a boolean is needed: R103 (docs/vesper-ir.md 9.8).
    const nullBody = await run([], [r(true, 1n), r(null, 1n)]);
    expect(nullBody.failure).toMatchObject({ code: "R103" });
    expect(await run([], [])).toMatchObject({ output: { total: 0, pos: 0, oks: 0, big: 0, firsts: 0 } });
  });
});
