// The scalar expression language of docs/vesper-ir.md section 9 (literals, integer,
// decimal and float arithmetic, comparisons, strings, collections, aggregates,
// quantifiers, short-circuits, built-ins, null of a left-out input, error codes, and
// random expressions printed with the fewest parentheses precedence allows) against
// answers computed in Python from the doc (test/fixtures/expr-oracle/generate.py),
// on every path a run can take (reference run and stepped; closures and generated
// tiers, run, observed and stepped).
import { describe, expect, it } from "vitest";
import { everyWayToRun } from "../../helpers/every-way-to-run.js";
import { differs, exprCases, exprInputs, exprNode, refusalDiffers } from "../../helpers/expr-oracle.js";
import type { PreparedNode } from "../../../src/runtime/prepared.js";
import type { RunResult } from "../../../src/runtime/protocol.js";

describe("scalar expression answers match an oracle computed outside Vesper", () => {
  it("has several hundred cases of every kind and error code", () => {
    expect(exprCases.length).toBeGreaterThan(500);
    const kinds = new Set(exprCases.map((c) => ("error" in c.want ? c.want.error : c.want.kind)));
    for (const k of [
      "integer",
      "decimal",
      "float",
      "string",
      "boolean",
      "R101",
      "R103",
      "R104",
      "R106",
      "R108",
      "R110",
      "V400",
      "V405",
      "V410",
    ])
      expect(kinds).toContain(k);
  });

  it("every case, on every path", async () => {
    const failures: string[] = [];
    for (const c of exprCases) {
      let p: PreparedNode;
      try {
        p = exprNode(c);
      } catch (e) {
        const d = refusalDiffers(e, c.want);
        if (d) failures.push(`${c.name} [${c.expr}]: ${d}`);
        continue;
      }
      if ("error" in c.want && c.want.error.startsWith("V")) {
        failures.push(`${c.name} [${c.expr}]: wanted the validator to refuse it with ${c.want.error}`);
        continue;
      }
      const paths = await everyWayToRun(p, exprInputs(c));
      for (const [path, answer] of Object.entries(paths)) {
        const d = differs(answer.result as unknown as RunResult, c.want);
        if (d) failures.push(`${c.name} [${c.expr}] ${path}: ${d}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
