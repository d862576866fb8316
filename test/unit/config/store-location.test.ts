import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, resolveStorePath } from "../../../src/config/config.js";
import { cli } from "../../helpers/cli.js";

// Where the trace store lives: --store, then VEYRA_STORE, then veyra.config.yaml,
// then ./traces/vesper.db, in that order.

const dir = () => mkdtempSync(join(tmpdir(), "vesper-config-"));

describe("store location precedence", () => {
  it("flag, then environment, then config file, then the default", () => {
    const cwd = dir();
    writeFileSync(join(cwd, "veyra.config.yaml"), "# team settings\nstore: shared/team.db\n");
    const env = { VEYRA_STORE: "from-env.db" };
    expect(resolveStorePath("flag.db", cwd, env)).toBe(join(cwd, "flag.db"));
    expect(resolveStorePath(undefined, cwd, env)).toBe(join(cwd, "from-env.db"));
    expect(resolveStorePath(undefined, cwd, {})).toBe(join(cwd, "shared/team.db"));
    expect(resolveStorePath(undefined, dir(), {})).toMatch(/traces\/vesper\.db$/);
  });

  it("VEYRA_CONFIG names another config file; its relative store path is taken from its folder", () => {
    const cwd = dir();
    const other = dir();
    writeFileSync(join(other, "settings.yaml"), "store: here.db\n");
    expect(resolveStorePath(undefined, cwd, { VEYRA_CONFIG: join(other, "settings.yaml") })).toBe(
      join(other, "here.db"),
    );
    expect(() => loadConfig(cwd, { VEYRA_CONFIG: join(other, "missing.yaml") })).toThrow(
      /VEYRA_CONFIG names .*missing\.yaml, which does not exist/,
    );
  });

  it("a bad config file is an error with file:line:col", () => {
    const cwd = dir();
    writeFileSync(join(cwd, "veyra.config.yaml"), "# settings\nstroe: x.db\n");
    expect(() => loadConfig(cwd, {})).toThrow(
      /veyra\.config\.yaml:2:1: unknown setting 'stroe'; did you mean 'store'\?/,
    );
    writeFileSync(join(cwd, "veyra.config.yaml"), "store: [a, b]\n");
    expect(() => loadConfig(cwd, {})).toThrow(/veyra\.config\.yaml:1:8: 'store' must be a file path/);
    writeFileSync(join(cwd, "veyra.config.yaml"), "store: 'unterminated\n");
    expect(() => loadConfig(cwd, {})).toThrow(/veyra\.config\.yaml:\d+:\d+: Missing closing/);
  });

  it("the CLI reports a bad config file without a stack trace and exits 2", () => {
    const cwd = dir();
    writeFileSync(join(cwd, "veyra.config.yaml"), "stroe: x.db\n");
    const r = cli("vesper", ["traces", "list"], { cwd, env: { VEYRA_STORE: undefined } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^vesper: error: .*veyra\.config\.yaml:1:1: unknown setting 'stroe'/);
  });
});
