#!/usr/bin/env node
// Launcher only: the program lives in commands/veyra.ts, built to dist/ by `npm install`.
import("../dist/commands/veyra.js").then(
  (m) => m.main(process.argv),
  (err) => {
    process.stderr.write(
      `veyra: cannot start (${err.code ?? err.message}); run 'npm install' in the package directory to build it.\n`,
    );
    process.exitCode = 1;
  },
);
