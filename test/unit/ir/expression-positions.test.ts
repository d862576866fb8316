import { describe, expect, it } from "vitest";
import { validateSource } from "../../../src/ir/validate.js";

// A problem inside an expression string is reported at its own line and column in
// the .vsp file, whichever YAML quoting style holds the expression.

function node(flowCheck: string): string {
  return [
    "node_id: demo.positions@1.0.0",
    "type: function",
    "inputs:",
    "  amount: decimal",
    "outputs:",
    "  success:",
    "    ok: boolean",
    "  error:",
    "    code: enum[BAD]",
    "    message: string",
    "flow:",
    "  - step: check",
    "    op: validate",
    flowCheck,
    "    error: {code: BAD}",
    "  - step: done",
    "    op: return",
    "    output: success",
    "    values: {ok: 'true'}",
    "",
  ].join("\n");
}

function firstProblem(flowCheck: string) {
  const r = validateSource("demo.vsp", node(flowCheck));
  expect(r.diagnostics.length).toBeGreaterThan(0);
  return r.diagnostics[0]!;
}

describe("expression problems map back to the file", () => {
  it("in a plain scalar", () => {
    const d = firstProblem("    check: amount > 'x'");
    expect([d.code, d.line, d.col]).toEqual(["V410", 14, 12]);
    expect(d.message).toContain("cannot compare decimal with string");
  });

  it("in a double-quoted scalar, past an escaped quote", () => {
    const d = firstProblem(`    check: "LEN(\\"ab\\") > 0 AND amout > 0"`);
    expect([d.code, d.line]).toEqual(["V401", 14]);
    // 'amout' starts after column 12's quote and the text before it, escapes counted as written.
    expect(d.col).toBe(12 + 1 + `LEN(\\"ab\\") > 0 AND `.length);
  });

  it("in a single-quoted scalar", () => {
    const d = firstProblem(`    check: 'amount > ''x'''`);
    expect([d.code, d.line, d.col]).toEqual(["V410", 14, 13]);
  });

  it("in a block scalar, on its own line", () => {
    const d = firstProblem(["    check: |-", "      amount > 0 AND", "        amout < 10"].join("\n"));
    expect([d.code, d.line, d.col]).toEqual(["V401", 16, 9]);
  });

  it("for a syntax error, at the offending character", () => {
    const d = firstProblem(`    check: "amount >> 1"`);
    // The quote is column 12, so the second '>' (offset 8 of the expression) is column 21.
    expect([d.code, d.line, d.col]).toEqual(["V400", 14, 21]);
  });
});
