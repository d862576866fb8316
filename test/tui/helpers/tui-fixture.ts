import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TraceStore } from "../../../src/store/store.js";
import { cli, ROOT } from "../../helpers/cli.js";

// A working folder with two nodes (one valid, one not) and a store in which the
// valid one has been run twice in dual_verify through bin/vesper.js, as a user
// would before opening the TUI.

export interface TuiFixture {
  cwd: string;
  storePath: string;
  store: TraceStore;
}

export function tuiFixture(options: { runs?: number } = {}): TuiFixture {
  const cwd = mkdtempSync(join(tmpdir(), "tui-"));
  mkdirSync(join(cwd, "nodes"));
  mkdirSync(join(cwd, "node_modules", "dep"), { recursive: true });
  copyFileSync(join(ROOT, "examples/order_total.vsp"), join(cwd, "nodes/order_total.vsp"));
  copyFileSync(join(ROOT, "examples/invalid/duplicate-key.vsp"), join(cwd, "nodes/duplicate-key.vsp"));
  // Never listed: dependencies are skipped.
  copyFileSync(join(ROOT, "examples/refund.vsp"), join(cwd, "node_modules/dep/refund.vsp"));
  const storePath = join(cwd, "store.db");
  for (let i = 0; i < (options.runs ?? 2); i++) {
    const r = cli("vesper", ["run", "nodes/order_total.vsp", "--store", storePath, "--mode", "dual_verify"], { cwd });
    if (r.status !== 0) throw new Error(`vesper run failed: ${r.stderr}`);
  }
  return { cwd, storePath, store: TraceStore.open(storePath) };
}

/** Any SGR colour code (foreground or background); bold/inverse/underline are allowed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
export const COLOUR_CODE = /\u001b\[(3[0-9]|4[0-9]|9[0-7]|10[0-7])(;[0-9]+)*m/;
