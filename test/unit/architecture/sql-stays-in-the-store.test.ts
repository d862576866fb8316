import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/cli.js";

// Only src/store (the file, migrations, the follow cursor), src/trace (the trace
// tables) and src/seeds/telemetry-* (the seed tables) talk SQL. dependency-cruiser checks who imports better-sqlite3; this
// checks what an import rule cannot see: a database handle used elsewhere
// (`store.db.prepare(…)`, `db.transaction(…)`, a SQL keyword in a string).

const ALLOWED = /^src\/(store|trace)\/|^src\/seeds\/telemetry-/;
const DB_USE = /(\.db\b|\bdb\s*\.\s*(prepare|exec|transaction|pragma)\s*\()/;
/** The line with its string literals emptied, so a file name like 'vesper.db' is not a handle. */
const code = (line: string) => line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, "$1$1");
const SQL_TEXT = /["'`]\s*(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE|PRAGMA)\b/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "generated") out.push(...sources(path));
    } else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

describe("SQL stays in src/store, src/trace and the seed telemetry", () => {
  const files = ["src", "commands", "tui"].flatMap((d) => {
    try {
      return sources(join(ROOT, d));
    } catch {
      return [];
    }
  });

  it("finds the sources it checks", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it("no other file touches a database handle or writes SQL", () => {
    const offenders = files
      .map((f) => relative(ROOT, f))
      .filter((f) => !ALLOWED.test(f))
      .flatMap((f) =>
        readFileSync(join(ROOT, f), "utf8")
          .split("\n")
          .map((line, i) => ({ f, line, n: i + 1 }))
          .filter(({ line }) => !/^(\/\/|\/\*|\*)/.test(line.trim()))
          .filter(({ line }) => DB_USE.test(code(line)) || SQL_TEXT.test(line))
          .map(({ f, n, line }) => `${f}:${n}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
