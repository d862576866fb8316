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
const { readFileSync } = require("node:fs");
const Module = require("node:module");
const { dirname } = require("node:path");
const vm = require("node:vm");

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
  const source = readFileSync(bundle, "utf8");
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

module.exports = { cacheFileOf, cacheHeader, loadBundle };
