import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Every example of flags a verb's --help prints in parentheses, such as
// `(--node payments.process_payment@1.0.0 --node payments.refund_charge@1.0.0)`, is
// what a newcomer copies onto the command line against the bundled examples, so
// each must be accepted as printed. Before, `vesper metrics --help` named a node
// `payments.refund@1.0.0` that no example has (exit 2, "has nothing for node") and
// `vesper debug --help` a breakpoint `state_transition:pending->charged` on a
// state the payment node does not have (exit 2). A verb that gains an example
// must be given a command line here to run it on, or this test fails.

type Program = "vesper" | "veyra";

let store = "";
beforeAll(() => {
  store = join(mkdtempSync(join(tmpdir(), "vesper-help-examples-")), "store.db");
  for (const file of ["examples/payment.vsp", "examples/refund.vsp"])
    expect(cli("vesper", ["run", file, "--store", store]).status).toBe(0);
});

/** Each verb, and the command line its examples are added to (a file, a store, no recording). */
const verbs: [Program, string[], () => string[]][] = [
  ["vesper", ["validate"], () => ["examples/payment.vsp"]],
  ["vesper", ["compile"], () => ["examples/payment.vsp", "--emit", "ast"]],
  ["vesper", ["run"], () => ["examples/payment.vsp", "--no-record"]],
  ["vesper", ["debug"], () => ["examples/payment.vsp", "--no-record", "--commands", "quit"]],
  ["vesper", ["replay"], () => []],
  ["vesper", ["test"], () => ["examples/payment.vsp", "--runs", "5", "--store", store]],
  ["vesper", ["mode"], () => ["payments.process_payment@1.0.0", "--store", store]],
  ["vesper", ["metrics"], () => ["--store", store]],
  ["vesper", ["bench"], () => ["examples/payment.vsp", "--ms", "20"]],
  ["vesper", ["traces", "list"], () => ["--store", store]],
  ["vesper", ["traces", "show"], () => []],
  ["vesper", ["traces", "verify"], () => []],
  ["vesper", ["traces", "export"], () => []],
  ["vesper", ["traces", "gc"], () => []],
  ["vesper", ["traces", "follow"], () => []],
  ["veyra", ["tui"], () => []],
  ["veyra", ["seeds", "run"], () => []],
  ["veyra", ["seeds", "watch"], () => []],
  ["veyra", ["seeds", "list"], () => []],
  ["veyra", ["seeds", "show"], () => []],
  ["veyra", ["seeds", "verify"], () => []],
  ["veyra", ["seeds", "blueprints"], () => []],
  ["veyra", ["engine", "info"], () => []],
  ["veyra", ["engine", "bench"], () => []],
];

/** The flag examples in a help text: parenthesised runs of `--flag value`, each as argv (shell quotes removed). */
function examples(help: string): string[][] {
  const text = help.replace(/\s+/g, " ");
  const found: string[][] = [];
  for (const [, inner] of text.matchAll(/\(((?:--[a-z-]+ \S+)(?: --[a-z-]+ \S+)*)\)/g)) {
    found.push(inner!.split(" ").map((word) => word.replace(/^'(.*)'$/, "$1")));
  }
  return found;
}

describe("the flag examples in --help run as printed", () => {
  it("finds the examples it is about (the parser is not blind)", () => {
    const metrics = examples(cli("vesper", ["metrics", "--help"]).stdout);
    expect(metrics).toContainEqual([
      "--node",
      "payments.process_payment@1.0.0",
      "--node",
      "payments.refund_charge@1.0.0",
    ]);
    const debug = examples(cli("vesper", ["debug", "--help"]).stdout);
    expect(debug).toContainEqual([
      "--break-on",
      "step:charge_card",
      "--break-on",
      "state_transition:pending->processing",
    ]);
  });

  it.each(verbs)("%s %j", (program, verb, base) => {
    const help = cli(program, [...verb, "--help"]);
    expect(help.status).toBe(0);
    const found = examples(help.stdout);
    if (found.length === 0) return;
    expect(base(), `${program} ${verb.join(" ")} prints examples: give it a command line here`).not.toEqual([]);
    for (const example of found) {
      const r = cli(program, [...verb, ...base(), ...example]);
      expect(r.stderr, `${program} ${verb.join(" ")} ${example.join(" ")}`).not.toMatch(/: error: /);
      expect(r.status, `${program} ${verb.join(" ")} ${example.join(" ")}`).not.toBe(2);
    }
  });
});
