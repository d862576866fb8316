import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// A trace recorded now stores a plain contract check compactly ([kind code, name,
// passed] in the step row's event: docs/trace-store.md, "Contract checks"), but every
// reader shows it as it always did: an object of kind, name, text and passed. This
// drives the real programs on a real store: `vesper run` records, `vesper traces
// export` reads back (replay and show decode through decodeStep, tested in
// test/unit/trace/step-encoding.test.ts).

const dir = mkdtempSync(join(tmpdir(), "vesper-compact-contracts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, "traces.db");

interface Check {
  kind: string;
  name?: string;
  text: string;
  passed: boolean;
}

function expectObjectChecks(checks: unknown): void {
  expect(Array.isArray(checks)).toBe(true);
  for (const c of checks as Check[]) {
    expect(Array.isArray(c)).toBe(false);
    expect(["precondition", "postcondition", "invariant", "input constraint"]).toContain(c.kind);
    expect(typeof c.text).toBe("string");
    expect(typeof c.passed).toBe("boolean");
  }
}

describe("contract checks of a trace recorded now", () => {
  const run = cli("vesper", ["run", "examples/order_total.vsp", "--store", store, "--json"]);
  const traceId = (JSON.parse(run.stdout) as { traces: { id: string }[] }).traces[0]!.id;

  it("are stored compactly in the step rows", () => {
    expect(run.status).toBe(0);
    const db = new Database(store, { readonly: true });
    try {
      const enter = db.prepare("SELECT event FROM steps WHERE trace_id = ? AND idx = 0").pluck().get(traceId) as string;
      const contracts = (JSON.parse(enter) as { contracts: unknown[] }).contracts;
      expect(contracts.length).toBeGreaterThan(0);
      for (const c of contracts) expect(Array.isArray(c)).toBe(true);
    } finally {
      db.close();
    }
  });

  it("are exported as objects, input constraints and postconditions alike", () => {
    const out = cli("vesper", ["traces", "export", traceId, "--store", store]);
    expect(out.status).toBe(0);
    const exported = JSON.parse(out.stdout) as { steps: { event: { contracts?: Check[] } }[] };
    const all = exported.steps.flatMap((s) => s.event.contracts ?? []);
    expectObjectChecks(all);
    const kinds = new Set(all.map((c) => c.kind));
    expect(kinds).toContain("input constraint");
    expect(kinds).toContain("postcondition");
    expect(all.find((c) => c.name === "total_adds_up")).toMatchObject({
      kind: "postcondition",
      text: "output.total == output.subtotal - output.discount + output.tax + shipping",
      passed: true,
    });
    expect(all.find((c) => c.text === "LEN(items) >= 1" && c.kind === "input constraint")).toMatchObject({
      name: "LEN(items) >= 1",
      passed: true,
    });
  });
});
