// Builds what the programs need: the expression parser generated from its grammar,
// then the TypeScript sources into dist/ (tests, fixtures and benches import these),
// then the two programs bundled for a fast start (scripts/bundle.mjs; bin/ runs the
// bundles). Runs on `npm install` (prepare) and before tests.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

// A build whose inputs are unchanged is skipped: `npm test` builds first, and CI (like any
// `npm install`) has just built. The inputs are every file the build reads (sources,
// grammars, launchers, build scripts, configs, the lockfile) and the Node version (the
// code cache is Node's); their hash is kept in dist/.build-inputs, written last, so a
// build that failed or was interrupted never counts as done. VESPER_BUILD=always forces one.
const INPUTS = [
  "src",
  "commands",
  "tui",
  "bin",
  "scripts",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "package-lock.json",
];
const stampFile = join(root, "dist", ".build-inputs");

function inputsHash() {
  const hash = createHash("sha256").update(process.version);
  const visit = (path) => {
    if (!existsSync(path)) return;
    if (path.endsWith("generated")) return; // the grammars' output, not an input
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      hash.update(`${relative(root, path)}\0`).update(readFileSync(path));
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) visit(join(path, e.name));
  };
  for (const input of INPUTS) visit(join(root, input));
  return hash.digest("hex");
}

const stamp = inputsHash();
const built = ["dist/bundle/vesper.cjs", "dist/bundle/veyra/veyra.js", "dist/src"].every((p) =>
  existsSync(join(root, p)),
);
if (
  process.env.VESPER_BUILD !== "always" &&
  built &&
  existsSync(stampFile) &&
  readFileSync(stampFile, "utf8") === stamp
) {
  console.log("build: up to date (its inputs are unchanged since the last build)");
  process.exit(0);
}

// Each grammar becomes an ES module with typings in a generated/ folder beside it.
const grammars = [
  ["src/expr/grammar.peggy", "src/expr/generated/parser.js"],
  ["src/ir/type-grammar.peggy", "src/ir/generated/type-parser.js"],
];
for (const [grammar, output] of grammars) {
  mkdirSync(join(root, dirname(output)), { recursive: true });
  run(bin("peggy"), ["--format", "es", "--dts", "--allowed-start-rules", "Start", "-o", output, grammar]);
}
run(bin("tsc"), ["-p", "tsconfig.build.json"]);
run(process.execPath, [join(root, "scripts", "bundle.mjs")]);
writeFileSync(stampFile, stamp);
