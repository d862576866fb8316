// Loads a program bundled into one CommonJS file (dist/bundle/<name>.cjs, built by
// scripts/bundle.mjs) through V8's code cache, so that a start compiles next to
// nothing: the cache (<name>.cjs.v8cache) holds the code V8 compiled while the build
// ran the program (scripts/warm-code-cache.mjs). Invariants: a cache is used only
// with the bundle it was made from (both carry the build's id; a stale or foreign
// cache is ignored, never trusted); a cache V8 rejects (another Node or V8 version,
// other V8 flags) only costs the compile; with --debug the bundle is required
// plainly with source maps on, so stack traces name the TypeScript files and lines.
// CommonJS, like the launchers (bin/package.json): Node starts a CommonJS entry
// without its ES module loader, a few milliseconds of every start.
// The bundle is read as one-byte text: esbuild writes it in ASCII (non-ASCII
// characters escaped), which scripts/bundle.mjs checks at build, and ASCII read as
// latin1 is the same string without the cost of decoding UTF-8.
// JIT_FLAGS are set before the bundle is compiled, in every process that loads it
// (the build's warm-up included, so the cache is made under the same flags: V8
// rejects a cache made under others). See JIT_FLAGS for why.
const { readFileSync } = require("node:fs");
const Module = require("node:module");
const { dirname } = require("node:path");
const v8 = require("node:v8");
const vm = require("node:vm");

/**
 * V8 starts optimizing a function (TurboFan, on a background thread whose CPU
 * time is the process's too) after a budget of bytecode executed in it. A one-shot
 * command (`vesper run` of an example: about 70 ms of JavaScript) spent about 9 ms
 * of its CPU compiling lexer and parser loops it left a moment later. A budget 4x
 * V8's default (67,584) lets such a command finish in the interpreter and the
 * baseline compiler; a long command (bench, test, a heavy node) is optimized as
 * before, after a few milliseconds more. Measured in bench/startup.mjs.
 */
const JIT_FLAGS = "--interrupt-budget=270336";

/** The build id the bundle opens with: a first line `/*! vesper-build <id> *\/`. */
const BUILD_ID = /^\/\*! vesper-build (\S+) \*\//;

/** The cache file: one header line (`vesper-build <id>\n`), then V8's bytes. */
function cacheFileOf(bundle) {
  return `${bundle}.v8cache`;
}

function cacheHeader(buildId) {
  return Buffer.from(`vesper-build ${buildId}\n`);
}

/** The cache's bytes when it was made from this build, else undefined. */
function cachedDataFor(bundle, buildId) {
  let bytes;
  try {
    bytes = readFileSync(cacheFileOf(bundle));
  } catch {
    return undefined;
  }
  const header = cacheHeader(buildId);
  return bytes.subarray(0, header.length).equals(header) ? bytes.subarray(header.length) : undefined;
}

/**
 * Compiles and runs the bundle at the absolute path `bundle`; returns its exports,
 * the compiled script (the build asks it for the cache after a warm-up run), the
 * build id, and what became of the cache: "used", "rejected" (by V8) or "none"
 * (no cache of this build).
 */
function loadBundle(bundle, { debug = false, useCache = true } = {}) {
  const require = Module.createRequire(bundle);
  if (debug) {
    process.setSourceMapsEnabled(true);
    return { exports: require(bundle), script: undefined, buildId: undefined, cache: "none" };
  }
  v8.setFlagsFromString(JIT_FLAGS);
  const source = readFileSync(bundle, "latin1");
  const buildId = BUILD_ID.exec(source)?.[1];
  const cachedData = useCache && buildId ? cachedDataFor(bundle, buildId) : undefined;
  const script = new vm.Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
    // import() inside the bundle resolves as in any module.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  script.runInThisContext()(module.exports, require, module, bundle, dirname(bundle));
  module.loaded = true;
  const cache = cachedData === undefined ? "none" : script.cachedDataRejected ? "rejected" : "used";
  return { exports: module.exports, script, buildId, cache };
}

module.exports = { cacheFileOf, cacheHeader, loadBundle, JIT_FLAGS };
