// The recorder writes a step's event JSON with its own writer (eventJson: cached name
// openings, values through valueJson) and hashes and stores that text: it must be
// JSON.stringify(encodeEvent(...)) character for character, for any binding names
// (quotes, escapes, any Unicode, names repeated within a step and across steps, more
// names than the caches hold) and any number of changed bindings.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StepEvent } from "../../src/runtime/protocol.js";
import { encodeEvent, eventJson } from "../../src/trace/step-codec.js";
import { Decimal } from "../../src/values/decimal.js";
import { withDisplayScale } from "../../src/values/display-scale.js";
import type { Value } from "../../src/values/values.js";

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
});
