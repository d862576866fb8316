// `vesper test --tools recorded` on a store that does not exist: there are no recorded
// calls to serve, so it exits 2 with the message that says what to do, and, as for every
// exit 2 (docs/differential-testing.md), writes nothing: no store file appears.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("vesper test --tools recorded without a store", () => {
  it("exits 2, says nothing is recorded, and does not create the store", () => {
    const store = join(mkdtempSync(join(tmpdir(), "vesper-test-recorded-")), "missing.db");
    const r = cli("vesper", ["test", "examples/payment.vsp", "--tools", "recorded", "--runs", "5", "--store", store]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--tools recorded: the trace store has no recorded calls of sim.payments.charge");
    expect(existsSync(store)).toBe(false);
  });

  it("a node that calls no tool needs no recordings: it runs and creates the store", () => {
    const store = join(mkdtempSync(join(tmpdir(), "vesper-test-recorded-")), "new.db");
    const r = cli("vesper", [
      "test",
      "examples/order_total.vsp",
      "--tools",
      "recorded",
      "--runs",
      "5",
      "--seed",
      "1",
      "--store",
      store,
    ]);
    expect(r.status).toBe(0);
    expect(existsSync(store)).toBe(true);
  });
});
