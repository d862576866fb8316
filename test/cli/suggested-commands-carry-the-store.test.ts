import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// A command vesper suggests (`vesper replay FORK`, the reproduce line of a test)
// reaches the store it came from when pasted as printed: it carries --store when
// the store in use is not the one the command would find by itself.

describe("suggested commands carry --store when the store is not the default", () => {
  const store = join(mkdtempSync(join(tmpdir(), "vesper-suggested-")), "elsewhere.db");

  it("replay's fork line names the store it forked in", () => {
    const run = cli("vesper", [
      "run",
      "examples/payment.vsp",
      "--runtime",
      "reference",
      "--sim",
      "sim.payments.charge:latency_ms=4000",
      "--store",
      store,
      "--json",
    ]);
    const id = JSON.parse(run.stdout).traces[0].id as string;
    const replay = cli("vesper", ["replay", id, "--store", store, "--commands", "modify step 4 timeout_ms=4500; run"]);
    expect(replay.status, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(
      new RegExp(`vesper replay tr_[0-9a-f]+ --store ${store.replace(/[.]/g, "\\.")} travels`),
    );
  });

  it("a fork in the default store is suggested without --store", () => {
    const run = cli("vesper", [
      "run",
      "examples/payment.vsp",
      "--runtime",
      "reference",
      "--sim",
      "sim.payments.charge:latency_ms=4000",
      "--json",
    ]);
    const id = JSON.parse(run.stdout).traces[0].id as string;
    const replay = cli("vesper", ["replay", id, "--commands", "modify step 4 timeout_ms=4500; run"]);
    expect(replay.stdout).toMatch(/vesper replay tr_[0-9a-f]+ travels/);
  });
});
