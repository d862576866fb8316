// The recorder writes a step's event JSON with its own writer (eventJson: cached name
// openings, values through valueJson) and hashes and stores that text: it must be
// JSON.stringify(encodeEvent(...)) character for character, for any binding names
// (quotes, escapes, any Unicode, names repeated within a step and across steps, more
// names than the caches hold) and any number of changed bindings; and for the rest
// of an event it writes itself (transition, skip, branch, error, recovery, and a
// result whose output is a record of nested values, fields named like array
// indexes among them), as for a trace row's inputs and output.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RunResult, StepEvent } from "../../src/runtime/protocol.js";
import {
  bindingsJson,
  encodeEvent,
  encodeResult,
  eventJson,
  resultJson,
  storedEventJson,
  valueJson,
} from "../../src/trace/step-codec.js";
import { encodeBindings, encodeValue } from "../../src/trace/value-codec.js";
import { Decimal } from "../../src/values/decimal.js";
import { withDisplayScale } from "../../src/values/display-scale.js";
import { type Value, VRecord } from "../../src/values/values.js";

const name = fc.oneof(fc.string({ unit: "binary", maxLength: 6 }), fc.constantFrom("x", "total", 'a"b', "\\", "\n"));
const value: fc.Arbitrary<Value> = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 9 }), fc.nat(4))
    .map(([m, s, scale]) => withDisplayScale(new Decimal(`${m}e-${s}`), scale)),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
);

/** Field and binding names, array-index-like ones ("0", "12", "4294967295") among them. */
const fieldName = fc.oneof(name, fc.constantFrom("0", "12", "007", "4294967294", "4294967295", "-1", "__proto__"));
const nested: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    value,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.array(fc.tuple(fieldName, tie("v")), { maxLength: 4 }).map((fields) => new VRecord("T", new Map(fields))),
  ),
})).v;
const output = fc
  .array(fc.tuple(fieldName, nested), { maxLength: 4 })
  .map((fields) => new VRecord("Out", new Map(fields)));
const failure = fc.record({
  code: fc.constantFrom("R201", "C300"),
  message: fc.string(),
  location: fc.record({ file: fc.constant("f.vsp"), line: fc.nat(9), col: fc.nat(9) }),
});
const result: fc.Arbitrary<RunResult> = fc.record(
  {
    status: fc.constantFrom("success", "error", "contract_violation", "runtime_error") as fc.Arbitrary<
      RunResult["status"]
    >,
    steps: fc.nat(40),
    output,
    failure,
    state: fc.string({ maxLength: 4 }),
  },
  { requiredKeys: ["status", "steps"] },
);

const event = (changed: [string, Value][]): StepEvent => ({
  index: 3,
  step: "s",
  op: "compute",
  location: { file: "f.vsp", line: 1, col: 1 },
  effects: [],
  contracts: [],
  changed,
});

describe("eventJson", () => {
  it("is JSON.stringify(encodeEvent) for any names and values of the changed bindings", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 6 }), (changed) => {
        const ev = event(changed);
        const kept: [string, string][] = [];
        const json = eventJson(ev, undefined, [], (k, j) => kept.push([k, j]));
        expect(json).toBe(JSON.stringify(encodeEvent(ev, undefined)));
        // Each binding's own JSON goes to the checkpoint state, in order.
        expect(kept).toEqual(
          changed.map(([k, v]) => [k, JSON.stringify(encodeEvent(event([[k, v]]), undefined).changed[0]![1])]),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("stays exact past the name caches' size (they start again)", () => {
    for (let i = 0; i < 9000; i += 7) {
      const ev = event([
        [`n${i}`, BigInt(i)],
        [`n${i + 1}`, i],
        [`n${i}`, `${i}`],
      ]);
      expect(eventJson(ev, undefined, [])).toBe(JSON.stringify(encodeEvent(ev, undefined)));
    }
  });

  it("reads back as JSON.stringify(encodeEvent) for any transition, skip, branch, error, recovery and result", () => {
    const rest = fc.record(
      {
        transition: fc.record({ from: fc.string({ maxLength: 3 }), to: fc.string({ maxLength: 3 }) }),
        skipped: fc.boolean(),
        branch: fc.constantFrom("then", "else") as fc.Arbitrary<"then" | "else">,
        error: failure,
        recovered: fc.constantFrom("fallback", "on_error") as fc.Arbitrary<"fallback" | "on_error">,
        result,
      },
      { requiredKeys: [] },
    );
    const contract = fc.record({
      kind: fc.constantFrom("input constraint", "postcondition") as fc.Arbitrary<"postcondition">,
      name: name,
      text: name,
      passed: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, value), { maxLength: 3 }),
        rest,
        fc.array(contract, { maxLength: 3 }),
        (changed, extra, contracts) => {
          const ev: StepEvent = { ...event(changed), ...extra, contracts };
          // Character for character once read back (contract checks are stored compact).
          expect(storedEventJson(eventJson(ev, undefined, []))).toBe(JSON.stringify(encodeEvent(ev, undefined)));
          expect(eventJson({ ...ev, contracts: [] }, undefined, [])).toBe(
            JSON.stringify(encodeEvent({ ...ev, contracts: [] }, undefined)),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("writes a result, a trace's inputs and any nested value as encode + JSON.stringify do", () => {
    fc.assert(
      fc.property(result, fc.array(fc.tuple(fieldName, nested), { maxLength: 4 }), (r, inputs) => {
        expect(resultJson(r)).toBe(JSON.stringify(encodeResult(r)));
        const m = new Map(inputs);
        expect(bindingsJson(m)).toBe(JSON.stringify(encodeBindings(m)));
        for (const [, v] of inputs) expect(valueJson(v)).toBe(JSON.stringify(encodeValue(v)));
      }),
      { numRuns: 500 },
    );
    // A record whose field is named like an array index: that field comes first, as in the object encodeValue builds.
    const r = new VRecord(
      "T",
      new Map<string, Value>([
        ["b", 1],
        ["3", 2],
      ]),
    );
    expect(valueJson(r)).toBe('{"$r":"T","f":{"3":2,"b":1}}');
  });
});
