import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Standard input for the program (none by default). */
  input?: string;
}

/**
 * Each test process records into a trace store of its own (VEYRA_STORE), so test
 * files running in parallel never see each other's traces. A test that cares about
 * the store passes its own VEYRA_STORE or --store. The per-user state folder (the
 * store outside any project) is a scratch folder too, so a test that unsets
 * VEYRA_STORE never writes into the real home directory.
 */
const processDir = mkdtempSync(join(tmpdir(), "vesper-test-"));
const processStore = join(processDir, "vesper.db");
export const testStateHome = join(processDir, "state");

/** Runs one of the real programs in bin/ as a user would, from the package root. */
export function cli(program: "vesper" | "veyra", args: string[], options: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [`${ROOT}/bin/${program}.js`, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    input: options.input ?? "",
    env: {
      ...process.env,
      NO_COLOR: "1",
      VEYRA_STORE: processStore,
      XDG_STATE_HOME: testStateHome,
      VEYRA_CONFIG: undefined,
      ...options.env,
    },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
