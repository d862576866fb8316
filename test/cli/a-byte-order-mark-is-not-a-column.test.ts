// A .vsp saved with a byte-order mark (as some editors write UTF-8) reports line 1 positions in the
// columns the author sees: the invisible mark is not counted, and the caret sits under the fault.
// docs/vesper-ir.md 10 says so (offsets still count it: they index the file's text).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const BOM = "\ufeff";

function inFolder(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "bom-"));
  writeFileSync(join(dir, name), text);
  return dir;
}

describe("a byte-order mark at the start of a .vsp", () => {
  it("is not counted in line 1's columns, and the caret is under the fault", () => {
    const dir = inFolder("bom.vsp", `${BOM}node_id: Pay@1.0.0\ntype: handler\nflow: []\n`);
    const r = cli("vesper", ["validate", "bom.vsp"], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("bom.vsp:1:10: error V110: node_id 'Pay@1.0.0'");
    expect(r.stderr).toContain("1 | node_id: Pay@1.0.0\n  |          ^");
  });

  it("leaves later lines and the AST's offsets as they were", () => {
    const dir = inFolder("bom.vsp", `${BOM}node_id: pay@1.0.0\ntype: handler\nflow: []\n`);
    const r = cli("vesper", ["compile", "bom.vsp", "--emit", "ast"], { cwd: dir });
    expect(r.status).toBe(0);
    const node = JSON.parse(r.stdout).node;
    expect(node.nodeId.loc).toEqual({ file: "bom.vsp", line: 1, col: 10, offset: 10 });
    expect(node.type.loc).toEqual({ file: "bom.vsp", line: 2, col: 7, offset: 26 });
  });
});
