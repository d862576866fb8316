import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig, locateStore, resolveStorePath, storeNeedsNaming } from "../../../src/config/config.js";
import { findProject } from "../../../src/config/project.js";
import { cli } from "../../helpers/cli.js";
import { TraceStore } from "../../../src/store/store.js";

// Where the trace store lives: --store, then VEYRA_STORE, then store: in the config
// file, then the project's traces/vesper.db (the nearest folder, here or above,
// holding veyra.config.yaml or traces/), then the per-user store.

const dir = () => mkdtempSync(join(tmpdir(), "vesper-config-"));
/** An environment whose per-user state folder is a scratch folder, never the real home. */
const userEnv = () => ({ XDG_STATE_HOME: join(dir(), "state") });

describe("store location precedence", () => {
  it("flag, then environment, then config file, then the project, then the per-user store", () => {
    const cwd = dir();
    writeFileSync(join(cwd, "veyra.config.yaml"), "# team settings\nstore: shared/team.db\n");
    const env = { ...userEnv(), VEYRA_STORE: "from-env.db" };
    expect(locateStore("flag.db", cwd, env)).toEqual({ path: join(cwd, "flag.db"), source: "flag" });
    expect(locateStore(undefined, cwd, env)).toEqual({ path: join(cwd, "from-env.db"), source: "env" });
    expect(locateStore(undefined, cwd, userEnv())).toEqual({ path: join(cwd, "shared/team.db"), source: "config" });
    const project = dir();
    mkdirSync(join(project, "traces"));
    expect(locateStore(undefined, project, userEnv())).toEqual({
      path: join(project, "traces", "vesper.db"),
      source: "project",
    });
    const nowhere = dir();
    const user = userEnv();
    expect(locateStore(undefined, nowhere, user)).toEqual({
      path: join(user.XDG_STATE_HOME, "vesper", "vesper.db"),
      source: "user",
    });
  });

  it("the per-user store is under XDG_STATE_HOME, else ~/.local/state; its folder is made by the first writer", () => {
    const home = dir();
    // A relative XDG_STATE_HOME is invalid by the XDG spec and ignored.
    const env = { HOME: home, XDG_STATE_HOME: "relative/state" };
    const path = resolveStorePath(undefined, dir(), env);
    expect(path).toBe(join(home, ".local", "state", "vesper", "vesper.db"));
    // Choosing the store creates nothing; opening it to write makes the folders one at a time.
    expect(existsSync(join(home, ".local", "state", "vesper"))).toBe(false);
    TraceStore.open(path).close();
    expect(existsSync(path)).toBe(true);
  });

  it("a config file without store: marks the project, whose store is its traces/vesper.db", () => {
    const project = dir();
    writeFileSync(join(project, "veyra.config.yaml"), "# no settings yet\n");
    mkdirSync(join(project, "nodes", "payments"), { recursive: true });
    expect(locateStore(undefined, join(project, "nodes", "payments"), userEnv())).toEqual({
      path: join(project, "traces", "vesper.db"),
      source: "project",
    });
  });

  it("the config file is found from a subfolder too, and its store: is read against its own folder", () => {
    const project = dir();
    writeFileSync(join(project, "veyra.config.yaml"), "store: ../team.db\n");
    mkdirSync(join(project, "a", "b"), { recursive: true });
    expect(locateStore(undefined, join(project, "a", "b"), userEnv()).path).toBe(join(project, "..", "team.db"));
  });

  it("the nearest project wins, as with git: a traces/ folder below a config file starts a project of its own", () => {
    const outer = dir();
    writeFileSync(join(outer, "veyra.config.yaml"), "store: outer.db\n");
    mkdirSync(join(outer, "inner", "traces"), { recursive: true });
    mkdirSync(join(outer, "inner", "deep"));
    expect(locateStore(undefined, join(outer, "inner", "deep"), userEnv()).path).toBe(
      join(outer, "inner", "traces", "vesper.db"),
    );
    // A file named traces is not a project marker.
    const plain = dir();
    writeFileSync(join(plain, "traces"), "not a folder");
    expect(findProject(plain)).not.toBe(plain);
  });

  it("from any folder inside a project, every command finds the same store (property)", () => {
    const project = dir();
    mkdirSync(join(project, "traces"));
    const segment = fc.stringMatching(/^[a-z][a-z0-9_-]{0,7}$/).filter((s) => s !== "traces");
    fc.assert(
      fc.property(fc.array(segment, { minLength: 0, maxLength: 6 }), (parts) => {
        const cwd = join(project, ...parts);
        mkdirSync(cwd, { recursive: true });
        expect(locateStore(undefined, cwd, userEnv()).path).toBe(join(project, "traces", "vesper.db"));
        expect(storeNeedsNaming(join(project, "traces", "vesper.db"), cwd, userEnv())).toBe(false);
        expect(storeNeedsNaming(join(project, "other.db"), cwd, userEnv())).toBe(true);
      }),
      { numRuns: 40 },
    );
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
