import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// The schema lives in numbered SQL files in traces/ (001_initial.sql, …). A store's
// PRAGMA user_version is the number of the last migration applied to it.

export interface Migration {
  version: number;
  name: string;
  /** The file's SQL, read when first asked for: opening an up-to-date store needs only the count. */
  readonly sql: string;
}

/** traces/ at the package root, found from this file whether it runs from src/ or dist/src/. */
function migrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "traces");
    if (existsSync(join(candidate, "001_initial.sql"))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("the trace store's migrations (traces/001_initial.sql) are missing from the installation");
}

let cached: Migration[] | undefined;

export function migrations(): Migration[] {
  if (cached) return cached;
  const dir = migrationsDir();
  const found = readdirSync(dir)
    .map((f) => /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const file = join(dir, m[0]);
      let sql: string | undefined;
      return {
        version: Number(m[1]),
        name: m[2]!,
        get sql() {
          sql ??= readFileSync(file, "utf8");
          return sql;
        },
      };
    })
    .sort((a, b) => a.version - b.version);
  found.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`traces/: migration ${String(i + 1).padStart(3, "0")} is missing (found ${m.version})`);
  });
  return (cached = found);
}

export function latestVersion(): number {
  return migrations().length;
}
