#!/usr/bin/env node
// Launcher only: the program lives in commands/veyra.ts, bundled into
// dist/bundle/veyra/ (ES modules split per verb) by `npm install`
// (scripts/build.mjs); --debug turns source maps on before it loads.
if (process.argv.includes("--debug")) process.setSourceMapsEnabled(true);
import("../dist/bundle/veyra/veyra.js").then(
  (m) => m.main(process.argv),
  (err) => {
    process.stderr.write(
      `veyra: cannot start (${err.code ?? err.message}); run 'npm install' in the package directory to build it.\n`,
    );
    process.exitCode = 1;
  },
);
