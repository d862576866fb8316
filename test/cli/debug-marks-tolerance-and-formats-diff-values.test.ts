import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// What a careful user of the debugger notices: values the runtimes agree on only
// within the node's tolerance carry ≈ (never passing for bit-for-bit equal), and a
// divergence shows both values the way `print` and the view show values (the value
// formatter), not JSON for some and plain text for others.

describe("values equal within the tolerance", () => {
  it("carry ≈ in the view, with the legend, and print says so (exact: false in JSON)", () => {
    const args = ["debug", "examples/mlp_inference.vsp", "--no-record", "--width", "100"];
    const r = cli("vesper", [...args, "--commands", "step 3; print p_setosa; print hidden"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ ≈p_setosa = 0\.99059432\d+ +│ {2}≈p_setosa = 0\.99059432\d+$/m);
    // The exactly equal binding carries no mark.
    expect(r.stdout).toMatch(/^ {2}hidden = tensor\[1x8\]/m);
    expect(r.stdout).toContain("! differs from the other runtime   ≈ within the tolerance");
    expect(r.stdout).toMatch(
      /\(vesper-db\) print p_setosa\nreference +0\.99\d+\ndirect +0\.99\d+\n≈ equal within the node's tolerance, not bit for bit\n/,
    );
    const printedHidden = r.stdout.slice(r.stdout.indexOf("(vesper-db) print hidden"));
    expect(printedHidden).toMatch(/^\(vesper-db\) print hidden\nreference +tensor.*\ndirect +tensor.*\n(?!≈)/);
    const json = cli("vesper", [...args, "--json", "--commands", "step 3; print p_setosa; print hidden"]);
    const prints = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((e) => e.event === "print");
    expect(prints.map((p) => [p.differ, p.exact])).toEqual([
      [false, false],
      [false, true],
    ]);
  });
});

describe("a divergence's values", () => {
  it("are shown by the value formatter: a record as print shows it, decimals plain", () => {
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, "test/fixtures/vesper-wrong-op.mjs"),
        ...[
          "debug",
          "examples/payment.vsp",
          "--sample",
          "default",
          "--input",
          "amount=99.95",
          "--no-record",
          "--width",
          "120",
        ],
        ...["--commands", "continue; continue; diff"],
      ],
      { cwd: ROOT, encoding: "utf8", input: "", env: { ...process.env, NO_COLOR: "1", VESPER_WRONG_OP: "round" } },
    );
    expect(r.status, r.stderr).toBe(4);
    expect(r.stdout).toMatch(/^ {4}reference {2}result of charge_card \{id: "ch_\w+", status: "succeeded"\}$/m);
    expect(r.stdout).toMatch(
      / {2}fee: values differ \(compared exactly\)\n {4}reference {2}3\.2\n {4}direct {5}3\.19\n/,
    );
    expect(r.stdout).not.toMatch(/reference {2}\{"id"/);
  });
});
