// Bundles the two programs with esbuild so a start reads a few files instead of
// several hundred modules (measured in bench/startup.mjs; the reasons in
// docs/architecture.md, "Start-up"). Run by scripts/build.mjs after tsc.
// - vesper: one CommonJS file, dist/bundle/vesper.cjs, run by bin/load-bundle.js
//   through V8's code cache, which this script makes by running the program once
//   (scripts/warm-code-cache.mjs). The verbs' implementations stay lazily evaluated
//   (esbuild turns each `await import()` into a deferred module initialiser).
// - veyra: ES modules split at every `await import()`, dist/bundle/veyra/veyra.js,
//   because Ink and yoga-layout use top-level await, which CommonJS cannot hold;
//   `veyra --help` loads none of the TUI's chunks.
// better-sqlite3's JavaScript is bundled too; its native addon is still found by the
// `bindings` package in better-sqlite3's own folder (see sqliteAddonFromItsFolder).
// Left outside both bundles: TensorFlow.js (loaded only by the engine and seeds
// verbs; its WASM backend finds its files from its own folder). Source maps sit
// beside each file.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "bundle");
const buildId = randomBytes(8).toString("hex");

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  sourcesContent: false,
  // better-sqlite3/package.json: only resolved (sqliteAddonFromItsFolder), never bundled.
  external: ["@tensorflow/*", "better-sqlite3/package.json"],
  logLevel: "warning",
  legalComments: "none",
  minifyWhitespace: true,
  minifySyntax: true,
};

/**
 * Ink imports its React Devtools bridge only when DEV=true, and that bridge
 * imports react-devtools-core, which is not installed: the bundle gets the error
 * Ink already expects in that case (it prints how to install it) instead of a
 * static import of a missing package.
 */
const noDevtools = {
  name: "ink-without-devtools",
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (a) =>
      /[/\\]ink[/\\]build[/\\]/.test(a.importer) ? { path: "ink-devtools", namespace: "stub" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents:
        'throw Object.assign(new Error("react-devtools-core is not installed"), { code: "ERR_MODULE_NOT_FOUND" });',
    }));
  },
};

/**
 * better-sqlite3 asks `bindings` for its addon, and `bindings` finds the package's
 * folder from the caller's file name, which in a bundle is the bundle's. The bundled
 * copy names the folder itself and first loads the addon from where `npm install`
 * builds or unpacks it (build/Release): `bindings` tries a dozen places in turn, each
 * a failed require (milliseconds of every start), and is asked only when that fails.
 */
const sqliteAddonFromItsFolder = {
  name: "better-sqlite3-addon-from-its-folder",
  setup(b) {
    const call = "require('bindings')('better_sqlite3.node')";
    b.onLoad({ filter: /[/\\]better-sqlite3[/\\]lib[/\\]database\.js$/ }, (a) => {
      const source = readFileSync(a.path, "utf8");
      if (!source.includes(call)) throw new Error(`${a.path} no longer loads its addon with ${call}`);
      const root = "require('path').dirname(require.resolve('better-sqlite3/package.json'))";
      const release = `require('path').join(${root}, 'build', 'Release', 'better_sqlite3.node')`;
      const search = `require('bindings')({ bindings: 'better_sqlite3.node', module_root: ${root} })`;
      return {
        contents: source.replace(call, `(() => { try { return require(${release}); } catch { return ${search}; } })()`),
        loader: "js",
      };
    });
  },
};

/**
 * commander requires node:child_process at load (it loads net, dgram and streams
 * with it: milliseconds of every start) for stand-alone executable subcommands,
 * which neither program has. The bundled copy requires it when it spawns one.
 */
const commanderSpawnsLazily = {
  name: "commander-child-process-on-use",
  setup(b) {
    const line = "const childProcess = require('node:child_process');";
    b.onLoad({ filter: /[/\\]commander[/\\]lib[/\\]command\.js$/ }, (a) => {
      const source = readFileSync(a.path, "utf8");
      if (!source.includes(line)) throw new Error(`${a.path} no longer starts with ${line}`);
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: source.replace(line, lazy), loader: "js" };
    });
  },
};

rmSync(out, { recursive: true, force: true });

await build({
  ...common,
  entryPoints: { vesper: "commands/vesper.ts" },
  format: "cjs",
  outdir: out,
  outExtension: { ".js": ".cjs" },
  // The build id comes first: bin/load-bundle.js pairs the bundle with its code cache by it.
  banner: {
    js: `/*! vesper-build ${buildId} */\nconst __bundleUrl = require("node:url").pathToFileURL(__filename).href;`,
  },
  // Modules that find package files from their own place (migrations, examples)
  // walk up from the bundle's folder instead.
  define: { "import.meta.url": "__bundleUrl" },
  // ASCII (esbuild's default, said here because bin/load-bundle.js relies on it): the
  // loader reads the file as one-byte text, which is the same string only for ASCII.
  charset: "ascii",
  plugins: [sqliteAddonFromItsFolder, commanderSpawnsLazily],
});
const nonAscii = readFileSync(join(out, "vesper.cjs")).findIndex((byte) => byte > 0x7f);
if (nonAscii >= 0)
  throw new Error(`dist/bundle/vesper.cjs has a non-ASCII byte at ${nonAscii}; bin/load-bundle.js reads it as ASCII`);

await build({
  ...common,
  entryPoints: { veyra: "commands/veyra.ts" },
  format: "esm",
  splitting: true,
  outdir: join(out, "veyra"),
  chunkNames: "chunks/[name]-[hash]",
  // Bundled CommonJS packages (commander, yaml, react) require Node's built-in modules.
  banner: {
    js: 'import { createRequire as __bundleRequire } from "node:module";\nconst require = __bundleRequire(import.meta.url);',
  },
  plugins: [noDevtools, sqliteAddonFromItsFolder, commanderSpawnsLazily],
});

// The code cache: V8's compiled code for what one run of the program compiled.
// Without one the program still works (it compiles at every start), so a failed
// warm-up is a warning, not a failed install.
try {
  execFileSync(process.execPath, [join(root, "scripts", "warm-code-cache.mjs"), join(out, "vesper.cjs")], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
} catch (err) {
  process.stderr.write(`scripts/bundle.mjs: no code cache for vesper (${err.message}); it will start slower\n`);
}
