import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, cli } from "../helpers/cli.js";

// The side-by-side view reads well at 80 columns (nothing runs past the edge) and
// uses the extra room at 160 (more of each value, the location beside the step).

const columns = (line: string) => [...line].length;

function wrongRound(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, "test/fixtures/vesper-wrong-op.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input: "",
    env: { ...process.env, NO_COLOR: "1", VESPER_WRONG_OP: "round" },
  });
}

const SESSION = [
  "debug",
  "examples/payment.vsp",
  "--no-record",
  "--sample",
  "default",
  "--input",
  "amount=99.95",
  "--commands",
  "continue; continue; where; print customer; breaks; diff",
];

describe("the side-by-side view", () => {
  it("fits 80 columns, divergence report, messages and summary included", () => {
    const r = wrongRound([...SESSION, "--width", "80"]);
    expect(r.status).toBe(4);
    const lines = r.stdout.split("\n");
    expect(lines.filter((l) => columns(l) > 80)).toEqual([]);
    expect(r.stdout).toMatch(/^REFERENCE RUNTIME +│ DIRECT RUNTIME$/m);
    // Narrow: the location gets its own line under the step.
    expect(r.stdout).toMatch(
      /^#2 compute_fee \(compute\) +│ #2 compute_fee \(compute\)\n {2}at examples\/payment\.vsp:64 +│ {3}at examples\/payment\.vsp:64$/m,
    );
    // Changed and differing variables are marked on both sides.
    expect(r.stdout).toMatch(/^\*!fee = 3\.2 +│ \*!fee = 3\.19$/m);
    expect(r.stdout).toMatch(/^\* credit_used = 10 +│ \* credit_used = 10$/m);
  });

  it("uses the extra room at 160 columns and still fits", () => {
    const r = wrongRound([...SESSION, "--width", "160"]);
    const lines = r.stdout.split("\n");
    expect(lines.filter((l) => columns(l) > 160)).toEqual([]);
    expect(lines.some((l) => columns(l) > 120)).toBe(true);
    expect(r.stdout).toMatch(
      /^#2 compute_fee \(compute\) {2}at examples\/payment\.vsp:64 +│ #2 compute_fee \(compute\) {2}at examples\/payment\.vsp:64$/m,
    );
    // The whole customer record fits at 160; at 80 it is cut short.
    expect(r.stdout).toContain('customer={id: "cus_42", balance: 10, tier: "gold"}');
    expect(wrongRound([...SESSION, "--width", "80"]).stdout).not.toContain(
      'customer={id: "cus_42", balance: 10, tier: "gold"}',
    );
  });

  it("shows more of each tensor at 160 than at 80", () => {
    const run = (width: string) =>
      cli("vesper", ["debug", "examples/mlp_inference.vsp", "--no-record", "--commands", "step 2", "--width", width])
        .stdout;
    const hidden = (out: string) => /^\* hidden = (tensor\[1x8\]\([^│]*?)\s*│/m.exec(out)?.[1] ?? "";
    const narrow = hidden(run("80"));
    const wide = hidden(run("160"));
    expect(narrow).toMatch(/…\)?$/);
    expect(wide.split(",").length).toBeGreaterThan(narrow.split(",").length);
  });

  it("shows the call about to be made, with each runtime's arguments", () => {
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--no-record",
      "--break-on",
      "call:sim.payments.charge",
      "--commands",
      "continue",
      "--width",
      "100",
    ]);
    expect(r.stdout).toMatch(/^next: charge_card, line 75 +│ next: charge_card, line 75$/m);
    expect(r.stdout).toMatch(/^ {2}call sim\.payments\.charge +│ {3}call sim\.payments\.charge$/m);
    expect(r.stdout).toMatch(/^ {4}amount: 93\.19 +│ {5}amount: 93\.19$/m);
  });

  it("is 80 columns wide when the output is not a terminal and no --width is given", () => {
    const r = cli("vesper", ["debug", "examples/payment.vsp", "--no-record", "--commands", "step"]);
    const rule = r.stdout.split("\n").find((l) => l.startsWith("─"))!;
    expect(columns(rule)).toBe(80 - 1);
  });
});
