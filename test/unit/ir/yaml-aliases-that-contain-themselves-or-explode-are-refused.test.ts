// Aliases in sample values, defaults and --input values (IR doc 1.1, 4.4) are read
// as the value their anchor names. An alias inside the value it names (`&a [1, *a]`)
// recursed until the stack overflowed (vesper validate and vesper run: "internal
// error", exit 1), and a few lines of aliases that multiply (`&a1 [*a0, *a0, ...]`,
// ten levels deep) expanded without limit and hung the validator. Both are now
// problems of the value, reported where it is read: V501 for a sample, exit 2.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALIAS_EXPANSION_LIMIT } from "../../../src/ir/yaml-reader.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import { cli } from "../../helpers/cli.js";
import { node } from "../../helpers/runtimes.js";

const nodeWith = (inputType: string, sample: string) => `node_id: alias.probe@1.0.0
type: function
inputs: {x: "${inputType}"}
outputs: {success: {}}
flow: []
samples:
  one: {x: ${sample}}
`;

const messages = (yaml: string): string[] => {
  try {
    node(yaml, "alias.vsp");
    return [];
  } catch (err) {
    return ((err as { diagnostics?: { code: string; message: string }[] }).diagnostics ?? []).map(
      (d) => `${d.code} ${d.message}`,
    );
  }
};

// Ten anchors, each a list of ten aliases of the one before: 10^9 values once expanded. They are
// written in a sample of their own (aliases are read only in sample values and defaults; in
// `metadata` an alias is V101), and sample 'one' uses the last.
const anchorRows = [
  "      - &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
  ...Array.from({ length: 8 }, (_, i) => `      - &a${i + 1} [${Array(10).fill(`*a${i}`).join(", ")}]`),
].join("\n");
const bomb = `node_id: alias.probe@1.0.0
type: function
inputs: {x: "${"array<".repeat(9)}integer${">".repeat(9)}"}
outputs: {success: {}}
flow: []
samples:
  anchors:
    x:
${anchorRows}
  one: {x: *a8}
`;

describe("aliases in sample values", () => {
  it("an alias inside the value it names is a V501 problem of the sample, not a stack overflow", () => {
    expect(messages(nodeWith("array<array<integer>>", "&a [[1], *a]"))).toEqual([
      "V501 sample 'one': x[1]: the alias *a is inside the value it names",
    ]);
  });

  it(`aliases that expand past ${ALIAS_EXPANSION_LIMIT} values are one V501 problem, found without expanding them`, () => {
    const all = messages(bomb);
    const over = `aliases expand to more than ${ALIAS_EXPANSION_LIMIT} values in this document; write the value out`;
    expect(all.filter((m) => m.includes("sample 'one'"))).toEqual([`V501 sample 'one': x: ${over}`]);
    // Where the anchors are written (a list of lists of different depths, so also of the wrong type),
    // the aliases read past the limit are refused the same way.
    expect(all.some((m) => m.startsWith("V501 sample 'anchors': x[") && m.endsWith(over))).toBe(true);
  });

  it("an alias used as the doc shows still reads the anchored value", () => {
    const p = node(
      `node_id: alias.reuse@1.0.0
type: function
inputs: {w: "array<decimal>"}
outputs: {success: {}}
flow: []
samples:
  first: {w: &weights [1.5, 2.5]}
  second: {w: *weights}
`,
      "reuse.vsp",
    );
    expect(String(sampleInputs(p, "second").get("w"))).toBe("1.5,2.5");
  });

  it("vesper validate and vesper run refuse them with exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "aliases-"));
    const file = join(dir, "circular.vsp");
    writeFileSync(file, nodeWith("array<array<integer>>", "&a [[1], *a]"));
    const validate = cli("vesper", ["validate", file]);
    expect(validate.status).toBe(2);
    expect(validate.stderr).toContain("error V501: sample 'one': x[1]: the alias *a is inside the value it names");
    const run = cli("vesper", [
      "run",
      "examples/order_total.vsp",
      "--no-record",
      "--input",
      "items=&a [{sku: a, quantity: 1, unit_price: 2}, *a]",
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "vesper: error: input 'items' (array<LineItem>) at items[1]: the alias *a is inside the value it names\n",
    );
  });
});
