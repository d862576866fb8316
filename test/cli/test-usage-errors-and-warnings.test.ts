import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const fresh = () => join(mkdtempSync(join(tmpdir(), "vesper-test-usage-")), "vesper.db");

describe("vesper test: bad usage exits 2, names the flag, and writes nothing", () => {
  it.each([
    [["--runs", "abc"], "--runs must be a whole number from 1 to 10,000,000, not 'abc'"],
    [["--runs", "0"], "--runs must be a whole number from 1 to 10,000,000, not '0'"],
    [["--seed", "-3"], "--seed must be a whole number from 0 to 2,147,483,647, not '-3'"],
    [["--tools", "live"], "--tools must be simulated or recorded, not 'live'"],
    [["--min-samples", "0"], "--min-samples must be a whole number of at least 1, not '0'"],
  ])("%j", (flags, message) => {
    const store = fresh();
    const r = cli("vesper", ["test", "examples/payment.vsp", ...flags], { env: { VEYRA_STORE: store } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`vesper: error: ${message}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(store)).toBe(false);
  });

  it("an invalid node exits 2 with its diagnostics", () => {
    const store = fresh();
    const r = cli("vesper", ["test", "examples/invalid/unknown-name.vsp"], { env: { VEYRA_STORE: store } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("the node is invalid");
    expect(existsSync(store)).toBe(false);
  });

  it("--tools recorded with nothing recorded for the node's calls exits 2 and says what to do", () => {
    const r = cli("vesper", ["test", "examples/payment.vsp", "--tools", "recorded", "--runs", "5"], {
      env: { VEYRA_STORE: fresh() },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "--tools recorded: the trace store has no recorded calls of sim.payments.charge by payments.process_payment@1.0.0; record some with vesper run first, or use --tools simulated",
    );
  });

  it("a store that is not a trace store exits 2 and is left untouched", () => {
    const dir = mkdtempSync(join(tmpdir(), "vesper-test-usage-"));
    const bad = join(dir, "not-a-store.db");
    writeFileSync(bad, "hello");
    const r = cli("vesper", ["test", "examples/payment.vsp", "--runs", "5", "--store", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("is not a usable trace store");
  });
});

describe("vesper test: what it warns about", () => {
  it("warns when more than half of the generated inputs were discarded", () => {
    const dir = mkdtempSync(join(tmpdir(), "vesper-test-usage-"));
    const file = join(dir, "narrow.vsp");
    writeFileSync(
      file,
      `node_id: t.narrow@1.0.0
type: function
inputs:
  a: {type: integer, constraints: ["a >= 0", "a <= 1000"]}
  b: {type: integer, constraints: ["b >= 0", "b <= 1000"]}
outputs:
  success: {d: integer}
  error: {code: "enum[X]", message: string}
contracts:
  preconditions:
    - "a + b == 1000"
flow:
  - step: done
    op: return
    output: success
    values: {d: "a - b"}
`,
    );
    const r = cli("vesper", ["test", file, "--runs", "200", "--seed", "1", "--json"], {
      env: { VEYRA_STORE: join(dir, "s.db") },
    });
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.discard_rate).toBeGreaterThan(0.5);
    expect(r.stderr).toMatch(
      /^vesper test: warning: \d+\.\d% of generated inputs failed a precondition or input constraint and were discarded/,
    );
  });

  it("--aa on a node whose output depends on now() without declaring it noisy exits 4 with a noise floor", () => {
    const dir = mkdtempSync(join(tmpdir(), "vesper-test-usage-"));
    const file = join(dir, "clock.vsp");
    writeFileSync(
      file,
      `node_id: t.clock@1.0.0
type: function
inputs:
  n: {type: integer, constraints: ["n >= 0", "n <= 9"]}
outputs:
  success: {n: integer, at: timestamp}
  error: {code: "enum[X]", message: string}
flow:
  - step: stamp
    op: compute
    set: {at: "now()"}
  - step: done
    op: return
    output: success
    values: {n: "n", at: "at"}
`,
    );
    const r = cli("vesper", ["test", file, "--aa", "--runs", "30", "--seed", "1", "--case", join(dir, "case.yaml")], {
      env: { VEYRA_STORE: join(dir, "s.db") },
    });
    expect(r.status).toBe(4);
    expect(r.stdout).toContain("A/A (reference against reference)");
    expect(r.stdout).toContain(
      "noise floor 100.0%: the node's result depends on now() or random() in fields it does not declare noisy",
    );
    expect(r.stdout).toContain("output.at:");
  });
});
