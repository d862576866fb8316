import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the real programs in bin/ as a user would, from the package root. */
export function cli(program: "vesper" | "veyra", args: string[], options: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [`${ROOT}/bin/${program}.js`, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
