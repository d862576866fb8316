import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// What `vesper validate` and `vesper run` print for an invalid file stays readable
// whatever the file looks like: a megabyte-long line shows as a window around the
// column (never the whole line), a file with lone-CR line ends shows the right line,
// and the suggested command quotes a path with spaces and puts `--` before one that
// starts with a dash, so it can be pasted as it is.

const dir = mkdtempSync(join(tmpdir(), "vesper-readable-"));
const lateFee = join(ROOT, "examples/invalid/misspelled-field.vsp");

describe("a very long source line", () => {
  it("shows 100 characters either side of the column, with the caret under it", () => {
    const file = join(dir, "long-line.vsp");
    const long = "x".repeat(1_000_000);
    const text = readLines(lateFee).replace(
      "amount: {type: decimal, contraints:",
      `amount: {type: decimal, description: "${long}", contraints:`,
    );
    writeFileSync(file, text);
    const r = cli("vesper", ["validate", file]);
    expect(r.status).toBe(2);
    expect(r.stderr.length).toBeLessThan(1_000);
    const [head, , excerpt, caret] = r.stderr.split("\n");
    const col = Number(/:14:(\d+): error V103/.exec(head!)![1]);
    expect(col).toBeGreaterThan(1_000_000);
    expect(excerpt).toBe(`14 | …${"x".repeat(100 - 3)}", contraints: ["amount >= 0"]}`);
    expect(caret!.indexOf("^")).toBe(excerpt!.indexOf("contraints"));
  });
});

describe("lone CR line ends", () => {
  it("the node validates and a diagnostic shows its own line", () => {
    const file = join(dir, "mac.vsp");
    writeFileSync(file, readLines(lateFee).replace(/\n/g, "\r"));
    const r = cli("vesper", ["validate", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:14:27: error V103: unknown field 'contraints'`);
    expect(r.stderr).toContain(`14 |   amount: {type: decimal, contraints: ["amount >= 0"]}\n`);
    const ok = join(dir, "mac-ok.vsp");
    writeFileSync(ok, readLines(join(ROOT, "examples/order_total.vsp")).replace(/\n/g, "\r"));
    expect(cli("vesper", ["validate", ok]).status).toBe(0);
  });
});

describe("the suggested validate command", () => {
  it("quotes a path with spaces and puts -- before a path starting with a dash", () => {
    const spaced = join(dir, "late fee's.vsp");
    writeFileSync(spaced, readLines(lateFee));
    const r = cli("vesper", ["run", spaced]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`nothing ran (vesper validate '${dir}/late fee'\\''s.vsp' shows the same problems)`);
    const dashed = cli("vesper", ["run", "--", "--json"], { cwd: dir });
    expect(dashed.status).toBe(2);
    expect(dashed.stderr).toContain("nothing ran (vesper validate -- --json shows the same problems)");
    expect(cli("vesper", ["validate", "--", "--json"], { cwd: dir }).stderr).toContain(
      "--json:1:1: error V001: cannot read the file: no such file",
    );
  });
});

// The message of V110 quoted the whole node_id: a 5 MB id printed 5 MB. It quotes at
// most 80 characters of it.
describe("messages quoting the user's text", () => {
  it("quote at most a screen of it", () => {
    const file = join(dir, "long-id.vsp");
    writeFileSync(file, `node_id: ${"a".repeat(100_000)}\ntype: function\nflow: []\n`);
    const r = cli("vesper", ["validate", "--json", file]);
    expect(r.status).toBe(2);
    for (const d of JSON.parse(r.stdout) as { message: string }[]) expect(d.message.length).toBeLessThan(400);
  });
});

function readLines(file: string): string {
  return readFileSync(file, "utf8");
}
