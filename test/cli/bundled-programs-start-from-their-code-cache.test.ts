import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// bin/ runs the bundles the build makes (scripts/bundle.mjs): vesper as one CommonJS
// file started through V8's code cache (bin/load-bundle.js), veyra as ES modules split
// per verb. These check the loader's promises: the cache made at build is used; a
// cache of another build is never trusted and one V8 rejects only costs the compile
// (the program still runs either way); --debug maps stack traces to the TypeScript
// sources; and every chunk of veyra's bundle loads. Each load runs in a child process.

const BUNDLE = join(ROOT, "dist", "bundle", "vesper.cjs");
const LOADER = join(ROOT, "bin", "load-bundle.js");
const scratch = mkdtempSync(join(tmpdir(), "bundle-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Loads `bundle` in a fresh node with the loader's options; prints the cache state, then runs argv. */
function load(bundle: string, options: object, argv: unknown) {
  const script = `
    const { loadBundle } = require(${JSON.stringify(LOADER)});
    const r = loadBundle(${JSON.stringify(bundle)}, ${JSON.stringify(options)});
    process.stdout.write("cache " + r.cache + "\\n");
    r.exports.main(${JSON.stringify(argv)}).catch((e) => { process.stdout.write(e.stack); process.exitCode = 7; });`;
  return spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
}

/** A copy of the bundle and its cache, with the cache's bytes rewritten by `edit`. */
function copyWithCache(name: string, edit: (cache: Buffer) => Buffer): string {
  const dir = mkdtempSync(join(scratch, `${name}-`));
  const bundle = join(dir, "vesper.cjs");
  copyFileSync(BUNDLE, bundle);
  writeFileSync(`${bundle}.v8cache`, edit(readFileSync(`${BUNDLE}.v8cache`)));
  return bundle;
}

describe("vesper's bundle and its code cache", () => {
  it("starts from the cache the build made", () => {
    const r = load(BUNDLE, {}, ["node", "vesper", "--version"]);
    expect(r.stdout).toBe("cache used\n0.1.0\n");
    expect(r.status).toBe(0);
  });

  it("ignores a cache made from another build, and still runs", () => {
    const bundle = copyWithCache("other-build", (cache) => {
      const text = cache.toString("latin1");
      // The header is `vesper-build <16 hex digits>\n`: another build has another id.
      return Buffer.from(text.replace(/^vesper-build [0-9a-f]{16}/, "vesper-build 0123456789abcdef"), "latin1");
    });
    const r = load(bundle, {}, ["node", "vesper", "--version"]);
    expect(r.stdout).toBe("cache none\n0.1.0\n");
    expect(r.status).toBe(0);
  });

  it("runs when V8 rejects the cache's bytes (another Node, say)", () => {
    const bundle = copyWithCache("garbled", (cache) => {
      const header = cache.indexOf(10) + 1;
      const garbled = Buffer.from(cache);
      garbled.fill(0x5a, header, Math.min(cache.length, header + 4096));
      return garbled;
    });
    const r = load(bundle, {}, ["node", "vesper", "--version"]);
    expect(r.stdout).toBe("cache rejected\n0.1.0\n");
    expect(r.status).toBe(0);
  });

  it("runs without any cache", () => {
    const dir = mkdtempSync(join(scratch, "none-"));
    const bundle = join(dir, "vesper.cjs");
    copyFileSync(BUNDLE, bundle);
    const r = load(bundle, {}, ["node", "vesper", "--version"]);
    expect(r.stdout).toBe("cache none\n0.1.0\n");
  });

  it("with --debug, a stack trace names the TypeScript file and line; without, the bundle", () => {
    // main(null) fails inside runProgram: a real stack through the bundled code.
    const debug = load(BUNDLE, { debug: true }, null);
    expect(debug.status).toBe(7);
    expect(debug.stdout).toMatch(/at runProgram \(.*commands[/\\]program\.ts:\d+:\d+\)/);
    const plain = load(BUNDLE, {}, null);
    expect(plain.stdout).toMatch(/at runProgram \(.*dist[/\\]bundle[/\\]vesper\.cjs:\d+:\d+\)/);
  });

  it("bin/vesper.js --debug runs the program as usual", () => {
    const r = cli("vesper", ["validate", "examples/payment.vsp", "--debug"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("veyra's bundle", () => {
  it("loads every chunk (no chunk imports a package that is missing or declares a name twice)", () => {
    const dir = join(ROOT, "dist", "bundle", "veyra", "chunks");
    // The one chunk that throws is Ink's devtools bridge, imported only when DEV=true (scripts/bundle.mjs).
    const chunks = readdirSync(dir).filter((f) => f.endsWith(".js") && !f.startsWith("ink-devtools-"));
    expect(chunks.length).toBeGreaterThan(10);
    const script = `for (const f of ${JSON.stringify(chunks)}) await import(${JSON.stringify(`${dir}/`)} + f); console.log("loaded");`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("loaded\n");
  });

  it("veyra --debug --help prints the help", () => {
    const r = cli("veyra", ["--debug", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: veyra");
  });
});
