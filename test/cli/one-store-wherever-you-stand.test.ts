import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findProject } from "../../src/config/project.js";
import { cli, ROOT } from "../helpers/cli.js";

// Without --store or VEYRA_STORE, every command finds the store the way git finds
// its repository: the nearest folder, here or above, holding veyra.config.yaml or
// traces/; outside any project, the per-user store. A printed `vesper replay ID`
// works pasted anywhere in the project, and carries --store exactly when the store
// in use is not the one a command without --store would find.

const PAYMENT = join(ROOT, "examples", "payment.vsp");
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `vesper-${name}-`));
const state = join(tmp("state"), "state");
/** No VEYRA_STORE: the default rule decides; the per-user folder is a scratch one. */
const env = { VEYRA_STORE: undefined, XDG_STATE_HOME: state };

/** Runs the payment node once on the reference from `cwd`; the printed replay command, split into words. */
function runFrom(cwd: string, ...args: string[]): string[] {
  const r = cli("vesper", ["run", PAYMENT, "--runtime", "reference", ...args], { cwd, env });
  expect([r.status, r.stderr]).toEqual([0, ""]);
  const line = /: (vesper replay .*)$/m.exec(r.stdout);
  expect(line).not.toBeNull();
  return line![1]!.split(" ");
}

/** Pastes a printed `vesper …` command in `cwd`. */
const paste = (words: string[], cwd: string) => cli("vesper", words.slice(1), { cwd, env });

describe("one store wherever you stand", () => {
  it("runs from any folder of a project record into its traces/ folder, and the printed replay works anywhere in it", () => {
    const project = tmp("project");
    mkdirSync(join(project, "traces"));
    mkdirSync(join(project, "nodes", "payments"), { recursive: true });
    const replay = runFrom(join(project, "nodes", "payments"));
    expect(replay).toHaveLength(3);
    expect(existsSync(join(project, "traces", "vesper.db"))).toBe(true);
    expect(existsSync(join(project, "nodes", "payments", "traces"))).toBe(false);
    expect(paste(replay, project).status).toBe(0);
    expect(paste(replay, join(project, "nodes")).status).toBe(0);
    const list = cli("vesper", ["traces", "list", "--json"], { cwd: join(project, "nodes"), env });
    expect(list.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("a veyra.config.yaml without a store: setting marks a project too", () => {
    const project = tmp("configured");
    mkdirSync(join(project, "sub"));
    writeFileSync(join(project, "veyra.config.yaml"), "# this project's settings\n");
    runFrom(join(project, "sub"));
    expect(existsSync(join(project, "traces", "vesper.db"))).toBe(true);
  });

  it("outside any project, runs go to the per-user store, and nothing is created where the user stands", () => {
    const outside = tmp("outside");
    expect(findProject(outside), "a folder above the test's temporary folder holds traces/").toBeUndefined();
    const replay = runFrom(outside);
    expect(replay).toHaveLength(3);
    expect(existsSync(join(state, "vesper", "vesper.db"))).toBe(true);
    expect(existsSync(join(outside, "traces"))).toBe(false);
    expect(paste(replay, tmp("elsewhere")).status).toBe(0);
  });

  it("a --store other than the default is printed in the replay command, which then works from anywhere", () => {
    const project = tmp("project");
    mkdirSync(join(project, "traces"));
    const replay = runFrom(project, "--store", "elsewhere.db");
    expect(replay.slice(3)).toEqual(["--store", join(project, "elsewhere.db")]);
    expect(paste(replay, tmp("elsewhere")).status).toBe(0);
    const auto = cli("vesper", ["run", PAYMENT, "--mode", "auto", "--store", "elsewhere.db"], { cwd: project, env });
    expect(auto.stdout).toContain(
      `(vesper mode payments.process_payment@1.0.0 --store ${join(project, "elsewhere.db")} --auto hands it to the controller)`,
    );
    // The default store named with --store is the default: the command stays short.
    expect(runFrom(project, "--store", "traces/vesper.db")).toHaveLength(3);
  });

  it("--help says the rule and which store a command run here would use", () => {
    const project = tmp("project");
    mkdirSync(join(project, "traces"));
    mkdirSync(join(project, "deep"));
    const help = cli("vesper", ["run", "--help"], { cwd: join(project, "deep"), env });
    expect(help.stdout.replace(/\s+/g, " ")).toContain(
      "(default: VEYRA_STORE, else store: in veyra.config.yaml, else traces/vesper.db in the nearest folder (this one or above) holding veyra.config.yaml or a traces/ folder, else ~/.local/state/vesper/vesper.db)",
    );
    expect(help.stdout).toContain(
      `Trace store here (without --store): ${join(project, "traces", "vesper.db")} (the project's, found at or above this folder)`,
    );
    const outside = cli("vesper", ["traces", "list", "--help"], { cwd: tmp("outside"), env });
    expect(outside.stdout).toContain(
      `Trace store here (without --store): ${join(state, "vesper", "vesper.db")} (the per-user store`,
    );
  });
});
