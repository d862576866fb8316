// docs/vesper-ir.md 1.1, 1.2, 2 and 10, where the product disagreed with them: an alias in `metadata`
// was accepted (and printed in the AST as {"source": "x"}) though 1.1 makes every alias outside
// sample values and defaults V101; V111 said "letters" where only ASCII letters are names; user text
// holding a line break broke the one-line message format; and a one-letter word got a "did you mean"
// naming a word with nothing in common ('C' → 'A').
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../../src/ir/diagnostics.js";
import { validateSource } from "../../../src/ir/validate.js";
import { didYouMean } from "../../../src/values/suggest.js";

const problems = (yaml: string) =>
  validateSource("front.vsp", yaml).diagnostics.map((d) => ({
    at: `${d.line}:${d.col}`,
    code: d.code,
    message: d.message,
  }));

const nodeWith = (top: string, inputs = "{}") => `node_id: front.matter@1.0.0
type: function
${top}inputs: ${inputs}
outputs: {success: {}}
flow: []
`;

describe("an alias in metadata", () => {
  it("is V101 at the alias, at any depth, while its anchor stays usable in a sample", () => {
    const yaml = `${nodeWith("metadata:\n  owner: &o team\n  again: *o\n  deep: {list: [1, *o]}\n", "{x: string}")}samples:\n  s: {x: *o}\n`;
    const message =
      "the alias *o in 'metadata' is not read: aliases are read only in sample values and input defaults; write the value out";
    expect(problems(yaml)).toEqual([
      { at: "5:10", code: "V101", message },
      { at: "6:20", code: "V101", message },
    ]);
  });

  it("and a key in metadata that is not a string is V101 (1.1), while plain metadata stays valid", () => {
    expect(problems(nodeWith("metadata:\n  nested: {1: one}\n")).map((p) => p.code)).toEqual(["V101"]);
    expect(problems(nodeWith("metadata:\n  owner: team\n  tags: [a, {b: [1, 2.5, null, true]}]\n"))).toEqual([]);
  });
});

describe("V111", () => {
  it("says the letters of a name are ASCII letters", () => {
    expect(problems(nodeWith("", "{café: string}"))).toEqual([
      {
        at: "3:10",
        code: "V111",
        message:
          "input 'café' must be a name of ASCII letters (A-Z, a-z), digits and underscores that does not start with a digit",
      },
    ]);
  });
});

describe("a message that quotes user text", () => {
  it("quotes text holding a line break as a JSON string, so the message stays one line", () => {
    const yaml = nodeWith("", '{"a\\nb": string}').replace("front.matter@1.0.0", '"bad\\nid\\u2028x"');
    expect(problems(yaml).map((p) => p.message)).toEqual([
      'node_id "bad\\nid\\u2028x" must be a dotted lower-case name with a version, e.g. payments.process_payment@1.0.0',
      'input "a\\nb" must be a name of ASCII letters (A-Z, a-z), digits and underscores that does not start with a digit',
    ]);
  });

  it("never lets any user text break the line of a diagnostic (property)", () => {
    const breaking = fc.constantFrom("\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029", "\t", "\u0000");
    const text = fc
      .tuple(fc.string({ maxLength: 6 }), breaking, fc.string({ maxLength: 6 }))
      .map(([a, b, c]) => `${a}${b}${c}`);
    fc.assert(
      fc.property(text, fc.constantFrom("node_id", "key", "input", "step"), (t, where) => {
        const q = JSON.stringify(t);
        const yaml =
          where === "node_id"
            ? nodeWith("").replace("front.matter@1.0.0", q)
            : where === "key"
              ? `${nodeWith("")}${q}: 1\n`
              : where === "input"
                ? nodeWith("", `{${q}: string}`)
                : nodeWith("").replace("flow: []", `flow: [{step: ${q}, op: compute, set: {}}]`);
        const result = validateSource("front.vsp", yaml);
        for (const d of result.diagnostics) {
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters that must not be in a message
          expect(d.message).not.toMatch(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/);
          expect(formatDiagnostic(d).split(/\r\n|\r|\n|\u2028|\u2029|\u0085/)).toHaveLength(1);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("did you mean", () => {
  it("names nothing for a word that differs from every candidate in all its characters", () => {
    expect(didYouMean("C", ["A", "B"])).toBe("");
    expect(didYouMean("zz", ["v", "w"])).toBe("");
    expect(didYouMean("ab", ["xy"])).toBe("");
  });

  it("keeps the useful suggestions", () => {
    expect(didYouMean("intnet", ["intent", "inputs"])).toBe("; did you mean 'intent'?");
    expect(didYouMean("LEM", ["LEN", "SUM"])).toBe("; did you mean 'LEN'?");
    expect(didYouMean("c", ["C", "A"])).toBe("; did you mean 'C'?");
    expect(didYouMean("ab", ["abc"])).toBe("; did you mean 'abc'?");
  });

  it("for an unknown one-letter error code in a validate step", () => {
    const yaml = `node_id: front.codes@1.0.0
type: function
outputs:
  success: {}
  error: {code: "enum[A, B]"}
flow:
  - {step: v, op: validate, check: "true", error: {code: C}}
  - {step: r, op: return, output: success, values: {}}
`;
    const v303 = problems(yaml).filter((p) => p.code === "V303");
    expect(v303.map((p) => p.message)).toEqual([
      "step 'v' emits error code 'C', which outputs.error.code does not declare (codes: A, B)",
    ]);
  });
});
