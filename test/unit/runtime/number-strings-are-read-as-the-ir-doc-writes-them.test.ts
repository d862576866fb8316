// docs/vesper-ir.md 4.4: an integer given as a string must match [+-]?\d+, a decimal
// or a float the decimal pattern, exactly as written. JavaScript's Number() (and a
// trim before the pattern) took " 12", "0x10", "0b11", "1e3 " and "" as numbers; those
// are rejected now, on every number type, while every string the patterns allow
// reads as the number it spells.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseInputAssignment } from "../../../src/runtime/input-text.js";
import { prepareSource } from "../../../src/runtime/prepared.js";
import { Decimal } from "../../../src/values/decimal.js";

const p = prepareSource(
  "numbers.vsp",
  `node_id: t.numbers@1.0.0
type: function
inputs: {i: integer, d: decimal, f: float}
outputs: {success: {ok: boolean}}
flow:
  - {step: done, op: return, output: success, values: {ok: "true"}}
`,
);

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The input's value read from `text` written as a single-quoted YAML string, or the error's message. */
function read(name: string, text: string): unknown {
  try {
    return parseInputAssignment(p, `${name}='${text.replaceAll("'", "''")}'`)[1];
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const numberish = fc.oneof(
  fc.stringMatching(/^[ +-]?[0-9]{0,4}(\.[0-9]{0,3})?([eE][+-]?[0-9]{1,2})?[ ]?$/),
  fc.constantFrom(
    " 12",
    "12 ",
    "0x10",
    "0b11",
    "0o7",
    "1_000",
    "Infinity",
    "-Infinity",
    "NaN",
    "",
    "1e999",
    ".",
    "+.5",
    "5.",
    "1e",
    "١٢",
  ),
  fc.string({ maxLength: 6 }),
);

describe("number strings are read as the IR doc writes them", () => {
  it("property: a string is an integer, decimal or float exactly when it matches the doc's pattern", () => {
    fc.assert(
      fc.property(numberish, (s) => {
        const i = read("i", s);
        if (INTEGER.test(s) && BigInt(s) >= -(2n ** 63n) && BigInt(s) < 2n ** 63n) expect(i).toBe(BigInt(s));
        else expect(i).toMatchObject({ error: expect.stringContaining("input 'i'") });
        const d = read("d", s);
        if (DECIMAL.test(s)) expect((d as Decimal).eq(new Decimal(s))).toBe(true);
        else expect(d).toMatchObject({ error: expect.stringContaining("expected a decimal number") });
        const f = read("f", s);
        if (DECIMAL.test(s) && Number.isFinite(Number(s))) expect(f).toBe(Number(s));
        else expect(f).toMatchObject({ error: expect.stringContaining("expected a finite number") });
      }),
      { numRuns: 400 },
    );
  });

  it("names the input and the text for each kind of near-number", () => {
    for (const s of [" 12", "0x10", "Infinity", ""])
      expect(read("f", s)).toMatchObject({
        error: expect.stringMatching(/^input 'f' \(float\): expected a finite number/),
      });
    expect(read("i", "0x10")).toMatchObject({
      error: expect.stringMatching(/^input 'i' \(integer\): expected an integer/),
    });
  });
});
