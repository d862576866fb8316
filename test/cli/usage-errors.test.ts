import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "vesper-test-"));

describe("bad input gives a clear message, a documented exit status and no stack trace", () => {
  it("a missing file is V001 naming the path, exit 2", () => {
    const r = cli("vesper", ["validate", "no/such/file.vsp"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no/such/file.vsp:1:1: error V001: cannot read the file: no such file");
  });

  it("an unknown flag names the flag and suggests the right one, exit 2", () => {
    const r = cli("vesper", ["validate", "--jsn", "examples/payment.vsp"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--jsn'");
    expect(r.stderr).toContain("--json");
  });

  it("a missing argument names it, exit 2", () => {
    const r = cli("vesper", ["validate"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("missing required argument 'files'");
  });

  it("an unknown command suggests the closest, exit 2", () => {
    const r = cli("vesper", ["valdate", "x.vsp"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'valdate'");
    expect(r.stderr).toContain("validate");
  });

  it("compile without --emit names the flag, exit 2", () => {
    const r = cli("vesper", ["compile", "examples/payment.vsp"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--emit <form>");
  });

  it("compile --emit with an unknown form lists the allowed ones, exit 2", () => {
    const r = cli("vesper", ["compile", "examples/payment.vsp", "--emit", "js"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--emit <form>.*Allowed choices are ast/s);
  });

  it("compile --out into a missing directory names the flag, exit 2, and writes nothing", () => {
    const dir = tmp();
    const r = cli("vesper", [
      "compile",
      "examples/payment.vsp",
      "--emit",
      "ast",
      "--out",
      join(dir, "missing", "ast.json"),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out .*missing\/ast\.json: cannot write the file \(ENOENT\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("compile of an invalid file prints its diagnostics and leaves --out untouched", () => {
    const dir = tmp();
    const out = join(dir, "ast.json");
    writeFileSync(out, "previous contents");
    const r = cli("vesper", ["compile", "examples/invalid/undeclared-state.vsp", "--emit", "ast", "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/undeclared-state\.vsp:\d+:\d+: error V305/);
    expect(readFileSync(out, "utf8")).toBe("previous contents");
  });

  it("bad YAML is V100 at the place the YAML parser stopped", () => {
    const dir = tmp();
    const file = join(dir, "broken.vsp");
    writeFileSync(file, "node_id: a.b@1.0.0\ntype: function\nflow: [\n");
    const r = cli("vesper", ["validate", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: error V100: `));
  });
});
