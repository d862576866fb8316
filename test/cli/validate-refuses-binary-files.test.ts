import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// `vesper validate` on a file that is not UTF-8 text (a binary, a Latin-1 file)
// says so in one V001 diagnostic, exit 2, and prints none of its bytes.

const dir = mkdtempSync(join(tmpdir(), "vesper-binary-"));

describe("validate refuses a file that is not text", () => {
  it("a binary file: one V001 line with where the first NUL byte is, no bytes of it", () => {
    const file = join(dir, "image.vsp");
    writeFileSync(file, Buffer.concat([Buffer.from("node:\n  id: x\n\0"), randomBytes(150_000)]));
    const r = cli("vesper", ["validate", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${file}:3:1: error V001: not a text file (a binary?): a NUL byte at line 3, column 1 (byte 14); a .vsp file is YAML text in UTF-8\n`,
    );
    expect(r.stdout).toBe(`FAIL  ${file}  (1 error)\n`);
    const json = cli("vesper", ["validate", "--json", file]);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ code: "V001", line: 3, col: 1, severity: "error" }),
    ]);
    // Running it is refused the same way, with nothing printed of its bytes.
    const run = cli("vesper", ["run", file]);
    expect(run.status).toBe(2);
    expect(run.stderr.length).toBeLessThan(400);
    expect(run.stderr).toContain("not a text file");
  });

  it("a file in another encoding: where its first byte that is not UTF-8 is", () => {
    const file = join(dir, "latin1.vsp");
    writeFileSync(file, Buffer.concat([Buffer.from("node:\n  id: caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
    const r = cli("vesper", ["validate", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^.*latin1\.vsp:2:10: error V001: not UTF-8 text .*at line 2, column 10 \(byte 15\)/);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("UTF-8 text with accents and emoji is still read", () => {
    const file = join(dir, "accents.vsp");
    writeFileSync(file, "# café — ✓ 🚀\nnode: [\n");
    const r = cli("vesper", ["validate", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain("V001");
  });
});
