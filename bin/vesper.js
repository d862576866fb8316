#!/usr/bin/env node
// Launcher only: the program lives in commands/vesper.ts, bundled into
// dist/bundle/vesper.cjs by `npm install` (scripts/build.mjs) and started through
// V8's code cache (bin/load-bundle.js); --debug starts it with source maps on.
const { join } = require("node:path");
const { loadBundle } = require("./load-bundle.js");

let program;
try {
  program = loadBundle(join(__dirname, "..", "dist", "bundle", "vesper.cjs"), {
    debug: process.argv.includes("--debug"),
  }).exports;
} catch (err) {
  process.stderr.write(
    `vesper: cannot start (${err.code ?? err.message}); run 'npm install' in the package directory to build it.\n`,
  );
  process.exitCode = 1;
}
program?.main(process.argv);
