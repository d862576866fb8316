import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// A YAML alias (*name) with no anchor (&name) before it is read by the YAML library
// as null, which used to surface as a wrong type ("'intent' must be a string", "got
// null"). In a .vsp file it is a V100 at the alias; in --inputs an input error naming
// it; an alias after its anchor still works.

const dir = mkdtempSync(join(tmpdir(), "vesper-alias-"));
const message = (name: string) =>
  `the alias *${name} names no anchor: write &${name} on a value before it, or write the value out`;

describe("an alias with no anchor", () => {
  it("in a .vsp file: one V100 at the alias, also when the anchor comes after it", () => {
    const file = join(dir, "alias.vsp");
    writeFileSync(file, "node_id: a.b@1.0.0\ntype: function\nintent: *why\nmetadata: {owner: &why x}\nflow: []\n");
    const r = cli("vesper", ["validate", file]);
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe(`${file}:3:9: error V100: ${message("why")}`);
    expect(r.stderr).not.toContain("must be a string");
  });

  it("in --inputs: an input error naming the alias; with its anchor the run goes on", () => {
    const r = cli("vesper", ["run", "examples/order_total.vsp", "--inputs", "{items: *cart, tax_rate: 0.1}"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`vesper: error: input 'items' (array<LineItem>): ${message("cart")}\n`);
    const ok = cli("vesper", [
      "run",
      "examples/order_total.vsp",
      "--inputs",
      "{items: &cart [{sku: abc, quantity: 1, unit_price: 2}], tax_rate: 0.1}",
    ]);
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
  });
});
