// Builds what the programs need: the expression parser generated from its grammar,
// then the TypeScript sources into dist/ (tests, fixtures and benches import these),
// then the two programs bundled for a fast start (scripts/bundle.mjs; bin/ runs the
// bundles). Runs on `npm install` (prepare) and before tests.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

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
