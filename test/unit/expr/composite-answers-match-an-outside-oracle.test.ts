// Timestamps, bytes, sets, maps, records, enums, arrays and R102 reached through `any`
// (docs/vesper-ir.md 3, 4.4 and 9) against answers computed in Python from the doc
// (test/fixtures/value-oracle/generate.py), each input read from the text a user
// would write in a sample, on every path a run can take (reference run and stepped;
// closures and generated tiers, run, observed and stepped).
import { describe, expect, it } from "vitest";
import type { PreparedNode } from "../../../src/runtime/prepared.js";
import type { RunResult } from "../../../src/runtime/protocol.js";
import { everyWayToRun } from "../../helpers/every-way-to-run.js";
import { refusalDiffers } from "../../helpers/expr-oracle.js";
import { valueCases, valueDiffers, valueInputs, valueNode } from "../../helpers/value-oracle.js";

const classes = ["timestamp", "bytes", "set", "map", "record", "enum", "array", "any"];

describe("composite and non-numeric value answers match an oracle computed outside Vesper", () => {
  it("has several hundred cases over every class, answer kind and error code", () => {
    expect(valueCases.length).toBeGreaterThan(400);
    const kinds = new Set(valueCases.map((c) => ("error" in c.want ? c.want.error : c.want.kind)));
    for (const k of ["integer", "decimal", "string", "boolean", "timestamp", "R102", "R103", "R104", "R108", "V410"])
      expect(kinds).toContain(k);
    const names = valueCases.map((c) => c.name).join("\n");
    for (const k of classes) expect(names).toContain(k);
  });

  it("every case, on every path", async () => {
    const failures: string[] = [];
    for (const c of valueCases) {
      let p: PreparedNode;
      try {
        p = valueNode(c);
      } catch (e) {
        const d = refusalDiffers(e, c.want as never);
        if (d) failures.push(`${c.name} [${c.expr}]: ${d}`);
        continue;
      }
      if ("error" in c.want && c.want.error.startsWith("V")) {
        failures.push(`${c.name} [${c.expr}]: wanted the validator to refuse it with ${c.want.error}`);
        continue;
      }
      const paths = await everyWayToRun(p, valueInputs(p));
      for (const [path, answer] of Object.entries(paths)) {
        const d = valueDiffers(answer.result as unknown as RunResult, c.want);
        if (d) failures.push(`${c.name} [${c.expr}] ${path}: ${d}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
