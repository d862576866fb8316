// Repros for the front matter of docs/vesper-ir.md (1.1, 3.3, 3.5, 4.3): each problem is one
// diagnostic with the documented code, at the offending token, with a message that says what is
// wrong; a value of the wrong shape does not also produce follow-on diagnostics about its contents.
import { describe, expect, it } from "vitest";
import { validateSource } from "../../../src/ir/validate.js";

const header = ["node_id: pay@1.0.0", "type: handler", "flow: []"];
const diags = (lines: string[]) =>
  validateSource("t.vsp", [...header, ...lines, ""].join("\n")).diagnostics.map(
    (d) => `${d.code} ${d.line}:${d.col} ${d.message}`,
  );

describe("samples (4.3)", () => {
  it("a sample that is not a mapping is one V101, not also a V501 for every required input", () => {
    expect(diags(["inputs: {ratio: decimal, items: array<integer>}", "samples:", "  fourth: []", "  fifth:"])).toEqual([
      "V101 6:11 sample 'fourth' must be a mapping (key: value pairs)",
      "V101 7:9 sample 'fifth' must be a mapping (key: value pairs)",
    ]);
  });

  it("a mapping sample still names each required input it lacks", () => {
    expect(diags(["inputs: {ratio: decimal}", "samples:", "  second: {}"])).toEqual([
      "V501 6:3 sample 'second' has no value for required input 'ratio'",
    ]);
  });
});

describe("types (3.3)", () => {
  it("an enum value listed twice is reported at its second listing", () => {
    expect(diags(["inputs:", "  x: enum[A, B, 'A']"])).toEqual(["V201 5:17 enum value 'A' is listed twice"]);
  });

  it("tensor<...> without its [dims], or enum<...>, says how the type is written, not that it takes no arguments", () => {
    expect(diags(["inputs:", "  x: tensor<float64>", "  y: enum<A, B>"])).toEqual([
      "V201 5:6 'tensor' is written tensor<dtype, [d1, ..., dn]>, e.g. tensor<float32, [3]>",
      "V201 6:6 'enum' is written enum[A, B], with square brackets",
    ]);
  });

  it("other names followed by <...> keep the documented message", () => {
    expect(diags(["inputs:", "  x: string<integer>"])).toEqual([
      "V201 5:6 'string' takes no type arguments; only array<T>, set<T> and map<K, V> do",
    ]);
  });
});

describe("record types (3.5)", () => {
  it("a record's description must be a string (V101), as every documented string is", () => {
    expect(
      diags([
        "types:",
        "  R: {fields: {a: string}, description: [x]}",
        "  Q: {fields: {a: string}, description: null}",
      ]),
    ).toEqual([
      "V101 5:41 'description' of type 'R' must be a string",
      "V101 6:41 'description' of type 'Q' must be a string",
    ]);
  });

  it("a record's description may be a number, kept as written", () => {
    expect(diags(["types:", "  R: {fields: {a: string}, description: 1.50}"])).toEqual([]);
  });
});

describe("field declarations (4.1)", () => {
  it("a declaration that is neither a type nor a mapping says both forms", () => {
    expect(diags(["inputs:", "  z: [integer]"])).toEqual([
      "V101 5:6 input 'z' must be a type (a string) or a field declaration (a mapping)",
    ]);
  });
});

describe("what docs/vesper-ir.md 2 and 4.1 now say plainly", () => {
  it("performance values must be finite numbers of at least 0", () => {
    expect(diags(["performance: {a: .inf, b: 1e400, c: .nan, d: 0, e: 1.5}"])).toEqual([
      "V101 4:18 'performance.a' must be a number of at least 0",
      "V101 4:27 'performance.b' must be a number of at least 0",
      "V101 4:37 'performance.c' must be a number of at least 0",
    ]);
  });

  it("scale is an integer >= 0 on every field, but only an input's scale must be on a decimal", () => {
    expect(
      diags([
        "types: {R: {fields: {a: {type: string, scale: 3, default: [1]}, b: {type: string, scale: -1}}}}",
        "outputs: {success: {c: {type: integer, scale: 1.5}}}",
      ]),
    ).toEqual([
      "V101 4:90 'scale' of field 'b' must be an integer of at least 0",
      "V101 5:47 'scale' of success output field 'c' must be an integer of at least 0",
    ]);
  });
});

describe("YAML (1.1)", () => {
  it("a second document is V100 at its start, with a message about the file, not the YAML library's API", () => {
    expect(diags(["---", "a: 1"])).toEqual([
      "V100 4:1 a .vsp file holds one YAML document, but a second one starts here",
    ]);
  });

  it("the top-level 'inputs' is quoted in its message like every other top-level field", () => {
    expect(diags(["inputs: string"])).toEqual(["V101 4:9 'inputs' must be a mapping (key: value pairs)"]);
  });
});
